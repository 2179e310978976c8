import { describe, expect, it } from 'vitest';
import { ComparisonService } from '../../src/service/comparison-service.js';
import { createServices } from '../../src/service/services.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import { turnsDuring } from '../support/event-loop-turns.js';

describe('a comparison', () => {
  it('lets the event loop run between the variants it plans', async () => {
    const store = openSqliteStore(':memory:');
    const { plans } = createServices(store);
    // Slices of no time: a pause after every variant, whatever the machine's speed.
    const comparisons = new ComparisonService(plans, 0);
    const base = {
      network: { plugin: 'azure-cni-node-subnet' as const, nodeSubnet: '10.240.0.0/22' },
      nodePools: [{ name: 'system', nodeCount: 3 }],
    };
    const variants = Array.from({ length: 5 }, (_, i) => ({
      name: `v${i}`,
      changes: { nodePools: [{ name: 'system', nodeCount: 3 + i }] },
    }));
    let valid = 0;
    const turns = await turnsDuring(async () => {
      const compared = await comparisons.compare(base, variants, (merged) => ({ input: merged as never }));
      valid = compared.variants.filter((v) => v.valid).length;
    });
    expect(valid).toBe(5);
    expect(turns).toBeGreaterThanOrEqual(5);
    await store.close();
  });
});
