import { describe, expect, it } from 'vitest';
import { createServices } from '../../src/service/services.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';

/** A small Azure CNI node-subnet plan with a node subnet of its own. */
const design = (nodeSubnet: string) => ({
  name: 'racer',
  network: { plugin: 'azure-cni-node-subnet' as const, vnetAddressSpace: ['10.1.0.0/16'], nodeSubnet },
  nodePools: [{ name: 'system', nodeCount: 3 }],
});

describe('a replacement whose revision another writer moved on between its check and its read', () => {
  it('is refused as stale (412), not judged against the change it never saw', async () => {
    const store = openSqliteStore(':memory:');
    const { plans } = createServices(store);
    const { plan } = await plans.create(design('10.1.0.0/24'));
    // Two replicas both passed If-Match: "1"; the winner moved the plan to revision 2 first.
    await plans.replace(plan.id, 1, {
      ...design('10.1.0.0/24'),
      nodePools: [{ name: 'system', nodeCount: 4 }],
    });
    const loser = plans.replace(plan.id, 1, design('10.1.1.0/24'));
    await expect(loser).rejects.toMatchObject({
      code: 'REVISION_MISMATCH',
      message: `plan ${plan.id} is at revision 2, not 1; read it again and retry`,
    });
    expect((await store.getPlan(plan.id))?.revision).toBe(2);
    await store.close();
  });
});
