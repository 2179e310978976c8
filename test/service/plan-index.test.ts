import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cidr, IpAddress } from '../../src/domain/ip/index.js';
import { fromIpAddress } from '../../src/domain/lookup/lookup-address.js';
import { EntryFilter, type IndexEntry, PlanIndex } from '../../src/service/plan-index.js';
import type { IndexedPlan, PlanIndexSource } from '../../src/store/plan-store.js';

const CIDRS = ['10.0.0.0/8', '10.1.0.0/16', '10.1.2.0/24', '10.1.2.0/25', 'fd00::/8', 'fd00::/64'].map((c) =>
  Cidr.parse(c),
);

const planArb = fc.record({
  ranges: fc.uniqueArray(fc.constantFrom(...CIDRS), { minLength: 1, maxLength: 3 }),
  env: fc.constantFrom('prod', 'dev'),
});

/** A source that serves a fixed set of plans. */
function sourceOf(plans: readonly IndexedPlan[]): PlanIndexSource {
  return {
    changeVersion: async () => 1,
    indexSnapshot: async () => ({ version: 1, plans }),
    indexChangesSince: async () => undefined,
  };
}

describe('PlanIndex.select takes the first entries by plan id and counts them all', () => {
  it('agrees with sorting every holding range, with and without a filter, at any limit', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(planArb, { maxLength: 40 }),
        fc.shuffledSubarray(['10.1.2.3', '10.1.2.200', '10.9.9.9', '11.0.0.1', 'fd00::1', 'fd00:0:0:1::1'], {
          minLength: 1,
        }),
        fc.integer({ min: 1, max: 8 }),
        fc.boolean(),
        async (specs, ips, limit, filtered) => {
          const plans: IndexedPlan[] = specs.map((spec, i) => ({
            id: `id-${String((i * 7919) % 1000).padStart(4, '0')}-${i}`,
            name: `plan-${i}`,
            revision: 1,
            labels: { env: spec.env },
            hasNodes: false,
            ranges: spec.ranges.map((cidr) => ({ kind: 'node-subnet' as const, cidr })),
          }));
          const index = new PlanIndex(sourceOf(plans));
          await index.sync();
          // One filter for every address, as a request uses it: what it keeps of a bucket is reused.
          const filter = filtered
            ? new EntryFilter((e: IndexEntry) => e.plan.labels.env === 'prod')
            : undefined;
          for (const ip of ips) {
            const address = IpAddress.parse(ip);
            const reference = plans
              .flatMap((plan) => plan.ranges.filter((r) => r.cidr.contains(address)).map(() => plan))
              .filter((plan) => !filtered || plan.labels.env === 'prod')
              .map((plan) => plan.id)
              .sort();
            const { chosen, count } = index.select(fromIpAddress(address), limit, filter);
            expect(chosen.map((e) => e.plan.id)).toEqual(reference.slice(0, limit));
            expect(count).toBe(reference.length);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
