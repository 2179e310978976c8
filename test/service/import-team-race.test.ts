import { describe, expect, it } from 'vitest';
import { SYSTEM_CHANGE } from '../../src/domain/auth/actor.js';
import { Team } from '../../src/domain/auth/team.js';
import { IpAddress } from '../../src/domain/ip/index.js';
import { createServices } from '../../src/service/services.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import { DYN_DESIGN, movedBeforeWrites } from './support/moved-before-writes.js';

const design = DYN_DESIGN;
const teamA = { change: SYSTEM_CHANGE, team: Team.of({ scope: 'write', labels: { team: 'a' } }) };
const nodeList = {
  items: [
    {
      metadata: { name: 'aks-system-0', labels: { agentpool: 'system' } },
      status: { addresses: [{ type: 'InternalIP', address: '10.241.0.4' }] },
    },
  ],
};
const podList = {
  items: [
    {
      metadata: { name: 'web-0', namespace: 'shop' },
      spec: { nodeName: 'aks-system-0' },
      status: { podIP: '10.240.0.9' },
    },
  ],
};

describe("a write into a plan that leaves the caller's team just before it", () => {
  it('records no node and no pod, and deletes nothing: 404, named as the caller named the plan', async () => {
    const store = openSqliteStore(':memory:');
    const { plans } = createServices(store);
    const { plan } = await plans.create(design, { team: 'a' });
    let revision = plan.revision;
    const moveTo = async (team: string) => {
      revision = (await plans.replace(plan.id, revision, design, { team })).plan.revision;
    };
    const racing = createServices(
      movedBeforeWrites(store, ['recordNodes', 'recordPods', 'deletePlan'], () => moveTo('b')),
    );
    const node = {
      name: 'aks-system-0',
      pool: 'system',
      nodeIp: IpAddress.parse('10.241.0.4'),
      podCidr: null,
    };
    const writes = [
      () => racing.nodes.record('dyn', node, teamA),
      () => racing.nodes.import('dyn', nodeList, teamA),
      () => racing.pods.import('dyn', podList, undefined, teamA),
      () => racing.plans.delete('dyn', undefined, teamA),
    ];
    for (const write of writes) {
      await expect(write()).rejects.toThrow('no plan with id or name "dyn"');
      await moveTo('a'); // the next write reads it in team a, then sees it leave
    }
    expect(await store.nodes(plan.id)).toEqual([]);
    expect(await store.podsAt(plan.id, [IpAddress.parse('10.240.0.9')])).toEqual([]);
    expect((await store.getPlan(plan.id))?.labels).toEqual({ team: 'a' });
    await store.close();
  });
});
