import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { SYSTEM_CHANGE } from '../../src/domain/auth/actor.js';
import { Team } from '../../src/domain/auth/team.js';
import { PodService } from '../../src/service/pod-service.js';
import { createServices } from '../../src/service/services.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import { turnsDuring } from '../support/event-loop-turns.js';
import { DYN_DESIGN } from './support/moved-before-writes.js';

const podList = (count: number) => ({
  items: Array.from({ length: count }, (_, k) => ({
    metadata: { name: `web-${k}`, namespace: 'shop' },
    spec: { nodeName: `aks-system-${k % 3}` },
    status: { podIP: `10.240.${k >> 8}.${k & 255}` },
  })),
});

describe('a pod import', () => {
  it('lets the event loop run while it checks a long list', async () => {
    const store = openSqliteStore(':memory:');
    const { plans } = createServices(store);
    const { plan } = await plans.create({
      name: 'dyn',
      network: { plugin: 'azure-cni-pod-subnet', nodeSubnet: '10.241.0.0/22', podSubnet: '10.240.0.0/16' },
      nodePools: [{ name: 'system', nodeCount: 3 }],
    });
    // Slices of no time: a pause after every few hundred items, whatever the machine's speed.
    const pods = new PodService(
      store,
      plans,
      () => new Date(),
      () => '',
      0,
    );
    let result: unknown;
    const turns = await turnsDuring(async () => {
      result = await pods.import(plan.id, podList(4_000), undefined);
    });
    expect(result).toMatchObject({ seen: 4_000, opened: 4_000, closed: 0 });
    // 4,000 items read 200 at a time: twenty pauses, each a turn for other work.
    expect(turns).toBeGreaterThanOrEqual(20);
    await store.close();
  });

  it("writes nothing when the plan leaves the caller's team while the import pauses", async () => {
    const store = openSqliteStore(':memory:');
    const { plans } = createServices(store);
    const design = DYN_DESIGN;
    const { plan } = await plans.create(design, { team: 'a' });
    const pods = new PodService(
      store,
      plans,
      () => new Date(),
      () => '',
      0,
    );
    const teamA = { change: SYSTEM_CHANGE, team: Team.of({ scope: 'write', labels: { team: 'a' } }) };
    const importing = pods.import('dyn', podList(400), undefined, teamA);
    await nextTurn();
    await plans.replace(plan.id, plan.revision, design, { team: 'b' });
    await expect(importing).rejects.toThrow('no plan with id or name "dyn"');
    expect((await store.audit.entries({ limit: 10 })).items.map((e) => e.action)).not.toContain(
      'pods.import',
    );
    await store.close();
  });
});
