import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { SYSTEM_CHANGE } from '../../src/domain/auth/actor.js';
import { Team } from '../../src/domain/auth/team.js';
import type { MatchedNode } from '../../src/domain/nodes/real-node.js';
import { NodeService } from '../../src/service/node-service.js';
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

  it('reads, and matches to slots, a large list in slices, as drift matches them', async () => {
    // Slices of 0 ms: a pause after every 100 items read and every node matched. 5,000 nodes took
    // 20-80 ms to read and as long to match, each in one turn.
    const store = openSqliteStore(':memory:');
    const { plans } = createServices(store);
    const nodes = new NodeService(store, plans, undefined, 0);
    const { plan } = await plans.create({
      name: 'large',
      // A /24 of pods per node: 1,024 of them in a /14.
      network: { plugin: 'azure-cni-overlay', nodeSubnet: '10.240.0.0/16', podCidr: '10.244.0.0/14' },
      nodePools: [{ name: 'system', nodeCount: 1000, maxSurge: '0', maxPods: 30 }],
    });
    const list = {
      items: Array.from({ length: 1000 }, (_, k) => ({
        metadata: { name: `aks-system-${k}`, labels: { agentpool: 'system' } },
        status: { addresses: [{ type: 'InternalIP', address: `10.240.${(k + 4) >> 8}.${(k + 4) & 255}` }] },
      })),
    };
    let recorded: MatchedNode[] = [];
    const importTurns = await turnsDuring(async () => {
      recorded = (await nodes.import(plan.id, list)).recorded;
    });
    expect(recorded.filter((m) => m.slot !== null)).toHaveLength(1000);
    expect(importTurns).toBeGreaterThan(1000);
    let outside = -1;
    const driftTurns = await turnsDuring(async () => {
      outside = (await nodes.drift(plan.id)).outsidePlan.length;
    });
    expect(outside).toBe(0);
    expect(driftTurns).toBeGreaterThan(1000);
    // Drift matches the same thousand; the import also read its ten pieces in turns of their own.
    expect(importTurns - driftTurns).toBeGreaterThanOrEqual(10);
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
