import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { SYSTEM_CHANGE } from '../../src/domain/auth/actor.js';
import { Team } from '../../src/domain/auth/team.js';
import { createServices } from '../../src/service/services.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import { turnsDuring } from '../support/event-loop-turns.js';

const nodeList = (count: number) => ({
  items: Array.from({ length: count }, (_, k) => ({
    metadata: { name: `aks-system-${k}`, labels: { agentpool: 'system' } },
    status: { addresses: [{ type: 'InternalIP', address: `10.240.0.${4 + k * 31}` }] },
  })),
});

describe('a node import', () => {
  it('lets the event loop run between reading, writing and matching the nodes', async () => {
    const store = openSqliteStore(':memory:');
    const { plans, nodes } = createServices(store);
    const { plan } = await plans.create({
      name: 'nodes',
      network: { plugin: 'azure-cni-node-subnet', nodeSubnet: '10.240.0.0/24' },
      nodePools: [{ name: 'system', nodeCount: 3, maxPods: 30 }],
    });
    let recorded = 0;
    const turns = await turnsDuring(async () => {
      recorded = (await nodes.import(plan.id, nodeList(3))).recorded.length;
    });
    expect(recorded).toBe(3);
    // The counter's own first turn, then one after the read and one after the write.
    expect(turns).toBeGreaterThanOrEqual(3);
    await store.close();
  });

  it("writes nothing when the plan leaves the caller's team while the import pauses", async () => {
    const store = openSqliteStore(':memory:');
    const { plans, nodes } = createServices(store);
    const design = {
      name: 'nodes',
      network: { plugin: 'azure-cni-node-subnet' as const, nodeSubnet: '10.240.0.0/24' },
      nodePools: [{ name: 'system', nodeCount: 3, maxPods: 30 }],
    };
    const { plan } = await plans.create(design, { team: 'a' });
    const teamA = { change: SYSTEM_CHANGE, team: Team.of({ scope: 'write', labels: { team: 'a' } }) };
    const importing = nodes.import('nodes', nodeList(3), teamA);
    await nextTurn();
    await plans.replace(plan.id, plan.revision, design, { team: 'b' });
    await expect(importing).rejects.toThrow('no plan with id or name "nodes"');
    expect(await store.nodes(plan.id)).toEqual([]);
    await store.close();
  });
});
