import { setImmediate as nextTurn } from 'node:timers/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cidr, IpAddress } from '../../src/domain/ip/index.js';
import { fromIpAddress } from '../../src/domain/lookup/lookup-address.js';
import { EntryFilter, type IndexEntry, PlanIndex } from '../../src/service/plan-index.js';
import type { IndexedPlan, PlanIndexSource } from '../../src/store/plan-store.js';
import { turnsDuring } from '../support/event-loop-turns.js';

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

describe('PlanIndex catch-up', () => {
  const IPS = ['10.1.2.3', '10.1.2.200', '10.9.9.9', 'fd00::1', 'fd00:0:0:1::1'].map((ip) =>
    fromIpAddress(IpAddress.parse(ip)),
  );
  const planOf = (id: number, spec: { ranges: Cidr[]; env: string }, rename: number): IndexedPlan => ({
    id: `id-${String((id * 7919) % 1000).padStart(4, '0')}-${id}`,
    name: `plan-${id}-${rename}`, // names are unique, as the store keeps them
    revision: 1,
    labels: { env: spec.env },
    hasNodes: false,
    ranges: spec.ranges.map((cidr) => ({ kind: 'node-subnet' as const, cidr })),
  });

  it('answers after any change set as an index built afresh from the plans it leaves', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(planArb, { maxLength: 12 }),
        fc.array(
          fc.record({
            changed: fc.array(fc.tuple(fc.nat(15), planArb, fc.nat(3)), { maxLength: 8 }),
            removed: fc.array(fc.nat(15), { maxLength: 4 }),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        async (specs, steps) => {
          let stored = new Map(specs.map((spec, id) => [planOf(id, spec, 0).id, planOf(id, spec, 0)]));
          let version = 1;
          let changes: { version: number; plans: IndexedPlan[]; removed: string[] } | undefined;
          const index = new PlanIndex({
            changeVersion: async () => version,
            indexSnapshot: async () => ({ version, plans: [...stored.values()] }),
            indexChangesSince: async () => changes,
          });
          await index.sync();
          for (const step of steps) {
            const plans = step.changed.map(([id, spec, rename]) => planOf(id, spec, rename));
            const removed = step.removed
              .map((id) => planOf(id, { ranges: [], env: '' }, 0).id)
              .filter((id) => !plans.some((p) => p.id === id));
            stored = new Map(stored);
            for (const id of removed) stored.delete(id);
            for (const plan of plans) stored.set(plan.id, plan);
            version++;
            changes = { version, plans, removed };
            await index.sync();
          }
          const fresh = new PlanIndex(sourceOf([...stored.values()]));
          await fresh.sync();
          expect(index.planCount).toBe(stored.size);
          for (const address of IPS) {
            const pick = (i: PlanIndex) => {
              const { chosen, count } = i.select(address, 50);
              return { count, chosen: chosen.map((e) => [e.planId, e.planName, e.cidr.toString()]) };
            };
            expect(pick(index)).toEqual(pick(fresh));
          }
          for (const plan of stored.values()) expect(index.plan(plan.name)?.name).toBe(plan.name);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('PlanIndex.syncNow', () => {
  const plan = (id: string): IndexedPlan => ({
    id,
    name: id,
    revision: 1,
    labels: {},
    hasNodes: false,
    ranges: [{ kind: 'node-subnet' as const, cidr: Cidr.parse('10.1.2.0/24') }],
  });

  it('has nothing to wait for when a store that reads at once says the index is current', async () => {
    let current = { version: 1, plans: [plan('a')] };
    let failing = false;
    const asked: (number | undefined)[] = [];
    const source: PlanIndexSource = {
      changeVersion: (startedAfter) => {
        asked.push(startedAfter);
        if (failing) throw new Error('the database is gone');
        return current.version;
      },
      indexSnapshot: async () => current,
      indexChangesSince: async () => undefined,
    };
    const index = new PlanIndex(source);
    const first = index.syncNow();
    expect(first).toBeInstanceOf(Promise); // never built: it must catch up first
    await first;
    // The arrival time reaches the store, which may answer from a read started after it only.
    expect(index.syncNow(1234.5)).toBeUndefined();
    expect(asked.at(-1)).toBe(1234.5);
    current = { version: 2, plans: [plan('a'), plan('b')] };
    const behind = index.syncNow();
    expect(behind).toBeInstanceOf(Promise);
    await behind;
    expect(index.planCount).toBe(2);
    expect(index.syncNow()).toBeUndefined();
    // A store that fails at once fails `sync` as a promise, as an asynchronous store would.
    failing = true;
    const synced = index.sync();
    expect(synced).toBeInstanceOf(Promise);
    await expect(synced).rejects.toThrow('the database is gone');
  });

  it('waits for a store that reads asynchronously, current or not', async () => {
    const index = new PlanIndex(sourceOf([plan('a')]));
    await index.sync();
    expect(index.syncNow()).toBeInstanceOf(Promise);
  });
});

describe('PlanIndex rebuild', () => {
  const plansOf = (prefix: string, count: number): IndexedPlan[] =>
    Array.from({ length: count }, (_, i) => ({
      id: `${prefix}-${String(i).padStart(4, '0')}`,
      name: `${prefix}-${i}`,
      revision: 1,
      labels: {},
      hasNodes: false,
      ranges: [{ kind: 'node-subnet' as const, cidr: Cidr.parse('10.1.2.0/24') }],
    }));

  it('files plans aside a slice at a time and swaps them in whole', async () => {
    let current = { version: 1, plans: plansOf('a', 2) };
    const source: PlanIndexSource = {
      changeVersion: async () => current.version,
      indexSnapshot: async () => current,
      // The log never reaches back: every catch-up is a rebuild.
      indexChangesSince: async () => undefined,
    };
    const removed: string[] = [];
    const index = new PlanIndex(source, (id) => removed.push(id), 0);
    await index.sync();
    current = { version: 2, plans: [...plansOf('a', 1), ...plansOf('b', 300)] };
    // What other work sees at each turn while the rebuild runs: the old index, or the new one whole.
    const seen = new Set<number>();
    let done = false;
    let turns = 0;
    const watching = (async () => {
      while (!done) {
        seen.add(index.planCount);
        turns++;
        await nextTurn();
      }
    })();
    await index.sync();
    done = true;
    await watching;
    expect([...seen].every((count) => count === 2 || count === 301)).toBe(true);
    expect(seen.has(2)).toBe(true);
    expect(turns).toBeGreaterThanOrEqual(301);
    expect(index.planCount).toBe(301);
    const address = fromIpAddress(IpAddress.parse('10.1.2.3'));
    expect(index.select(address, 500).count).toBe(301);
    // Only the plan that is gone is dropped; the one still there keeps what is held of it.
    expect(removed).toEqual(['a-0001']);
    // Before the port opens there is nothing to let in: one pass.
    current = { version: 3, plans: plansOf('c', 300) };
    expect(await turnsDuring(() => index.sync(undefined, false))).toBeLessThan(10);
    expect(index.planCount).toBe(300);
  });
});

describe('PlanIndex.changedAt', () => {
  it("dates a plan a rebuild finds at the rebuild's version: the trimmed log may have held its change", async () => {
    const plan: IndexedPlan = {
      id: 'a-0000',
      name: 'a',
      revision: 1,
      labels: {},
      hasNodes: false,
      ranges: [{ kind: 'node-subnet', cidr: Cidr.parse('10.1.2.0/24') }],
    };
    let version = 1;
    const source: PlanIndexSource = {
      changeVersion: async () => version,
      indexSnapshot: async () => ({ version, plans: [plan] }),
      // The log never reaches back: every catch-up is a rebuild.
      indexChangesSince: async () => undefined,
    };
    const index = new PlanIndex(source);
    await index.sync();
    expect(index.changedAt('a-0000')).toBe(1);
    // Records read before an import the trimmed log held must not be served after it.
    version = 5;
    await index.sync();
    expect(index.changedAt('a-0000')).toBe(5);
  });
});
