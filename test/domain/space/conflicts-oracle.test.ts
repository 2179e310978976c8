import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cidr } from '../../../src/domain/ip/index.js';
import { type Conflict, findConflicts, type HeldRange } from '../../../src/domain/space/conflicts.js';
import { expandPairs } from './support/expand-conflicts.js';
import { classifyPair, pairwiseConflicts } from './support/pairwise-conflicts.js';

/**
 * The grouped sweep against a brute-force scan: every pair of ranges whose [first, last]
 * intervals intersect (integer arithmetic, not Cidr.overlaps) is judged on its own by the
 * pairwise rules, and the sweep's items, expanded into the pairs they stand for, must be
 * exactly those judgements, no more, no fewer and none twice, in any order.
 */
const KINDS = ['node-subnet', 'pod-subnet', 'pod-cidr', 'service-cidr', 'vnet'] as const;

/** Ranges over the whole /16 (spread), or over a few blocks many plans hold (crowded). */
const rangeArb = (offsets: fc.Arbitrary<number>, prefixes: fc.Arbitrary<number>, plans: number) =>
  fc
    .record({
      family: fc.constantFrom<4 | 6>(4, 6),
      offset: offsets,
      prefix: prefixes,
      holder: fc.oneof(
        fc.record({ type: fc.constant('plan' as const), n: fc.integer({ min: 0, max: plans }) }),
        fc.record({ type: fc.constant('allocation' as const), n: fc.integer({ min: 0, max: 50 }) }),
      ),
      kind: fc.constantFrom(...KINDS),
      exclusive: fc.boolean(),
      // Drawn for every kind: the rules read it on pod subnets only. None stands for a pod
      // subnet stored before its mode was.
      podIpAllocation: fc.constantFrom(undefined, 'dynamic' as const, 'static-block' as const),
      planOf: fc.option(fc.integer({ min: 0, max: 3 })),
    })
    .map(({ family, offset, prefix, holder, kind, exclusive, podIpAllocation, planOf }): HeldRange => {
      // Blocks inside one /16 (IPv4) or /112 (IPv6), of /16 + 0..8 bits, so that many nest.
      const base = family === 4 ? `10.20.${offset}.0` : `fd00::14:${offset.toString(16)}00`;
      const length = (family === 4 ? 16 : 112) + prefix;
      const cidr = Cidr.containing(Cidr.parse(`${base}/${family === 4 ? 32 : 128}`).first, length);
      const id = `${holder.type}-${holder.n}`;
      return holder.type === 'plan'
        ? {
            holder: { type: 'plan', id, name: id },
            kind,
            cidr,
            exclusive,
            ...(podIpAllocation === undefined ? {} : { podIpAllocation }),
          }
        : {
            holder: { type: 'allocation', id: `${id}-${offset}`, name: id },
            kind: 'allocation',
            cidr,
            planId: planOf === null ? null : `plan-${planOf}`,
          };
    });

const spread = rangeArb(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 8 }), 3);
const crowded = rangeArb(fc.constantFrom(0, 128), fc.constantFrom(0, 1, 8), 9);

const intersect = (a: HeldRange, b: HeldRange) =>
  a.cidr.family === b.cidr.family &&
  a.cidr.first.value <= b.cidr.last.value &&
  b.cidr.first.value <= a.cidr.last.value;

/** A pair of ranges in conflict as an unordered pair of range positions, its code and severity. */
const key = (
  ranges: readonly HeldRange[],
  pair: readonly HeldRange[],
  c: Pick<Conflict, 'code' | 'severity'>,
) => {
  const [i, j] = pair.map((range) => ranges.indexOf(range)).sort((x, y) => x - y);
  return `${i}-${j}:${c.code}:${c.severity}`;
};

/** The sweep's items, expanded into the pairs they stand for. */
const expanded = (ranges: readonly HeldRange[]) =>
  findConflicts(ranges)
    .flatMap((c) => expandPairs(c).map((pair) => key(ranges, pair, c)))
    .sort();

function bruteForce(ranges: readonly HeldRange[]): string[] {
  const found: string[] = [];
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      const [a, b] = [ranges[i] as HeldRange, ranges[j] as HeldRange];
      if (!intersect(a, b)) continue;
      const c = classifyPair(a, b, ranges);
      if (c !== undefined) found.push(`${i}-${j}:${c.code}:${c.severity}`);
    }
  }
  return found.sort();
}

describe('findConflicts agrees with a pairwise scan', () => {
  it.each([
    ['spread', spread],
    ['crowded', crowded],
  ])('reports exactly the conflicting pairs among up to 40 ranges, %s', (_, arb) => {
    fc.assert(
      fc.property(fc.array(arb, { maxLength: 40 }), (ranges) => {
        expect(expanded(ranges)).toEqual(bruteForce(ranges));
      }),
      { numRuns: 300 },
    );
  });

  it('stands for exactly the pairs, codes and severities the pairwise sweep reported', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(spread, crowded), { maxLength: 60 }), (ranges) => {
        const before = pairwiseConflicts(ranges).map((c) => key(ranges, c.sides, c));
        expect(expanded(ranges)).toEqual(before.sort());
      }),
      { numRuns: 300 },
    );
  });

  it('gives every item a position past the one before: pages resume after a position', () => {
    // A held range is stored once: an allocation's id, a plan's kind and CIDR, are its own.
    const once = (r: HeldRange) =>
      r.holder.type === 'allocation' ? r.holder.id : `${r.holder.id} ${r.kind} ${r.cidr}`;
    fc.assert(
      fc.property(fc.uniqueArray(fc.oneof(spread, crowded), { maxLength: 40, selector: once }), (ranges) => {
        const positions = findConflicts(ranges).map((c) => c.position);
        positions.forEach((p, i) => {
          if (i > 0) expect(p > (positions[i - 1] as string)).toBe(true);
        });
      }),
    );
  });

  it('never reports ranges that do not intersect, nor an item that stands for no pair', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(spread, crowded), { maxLength: 40 }), (ranges) => {
        for (const c of findConflicts(ranges)) {
          const pairs = expandPairs(c);
          expect(pairs.length).toBeGreaterThan(0);
          for (const [a, b] of pairs) expect(intersect(a, b)).toBe(true);
        }
      }),
    );
  });

  it('puts one range on each side, and counts every holder it could list', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(spread, crowded), { maxLength: 40 }), (ranges) => {
        for (const c of findConflicts(ranges)) {
          for (const side of c.sides) {
            const holders = side.holders();
            expect(holders).toHaveLength(side.holderCount);
            expect(side.holders(2)).toEqual(holders.slice(0, 2));
            for (const h of holders) expect([h.kind, h.cidr.equals(side.cidr)]).toEqual([side.kind, true]);
          }
        }
      }),
    );
  });
});
