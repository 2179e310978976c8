import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cidr } from '../../../src/domain/ip/index.js';
import { type Conflict, findConflicts, type HeldRange } from '../../../src/domain/space/conflicts.js';
import { classifyPair } from './support/pairwise-conflicts.js';

/**
 * The sweep against a brute-force scan: every pair of ranges whose [first, last] intervals
 * intersect (integer arithmetic, not Cidr.overlaps) is judged on its own, and the sweep must
 * report exactly those judgements, no more and no fewer, in any order.
 */
const KINDS = ['node-subnet', 'pod-subnet', 'pod-cidr', 'service-cidr', 'vnet'] as const;

const rangeArb = fc
  .record({
    family: fc.constantFrom<4 | 6>(4, 6),
    offset: fc.integer({ min: 0, max: 255 }),
    prefix: fc.integer({ min: 0, max: 8 }),
    holder: fc.oneof(
      fc.record({ type: fc.constant('plan' as const), n: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ type: fc.constant('allocation' as const), n: fc.integer({ min: 0, max: 50 }) }),
    ),
    kind: fc.constantFrom(...KINDS),
    exclusive: fc.boolean(),
    planOf: fc.option(fc.integer({ min: 0, max: 3 })),
  })
  .map(({ family, offset, prefix, holder, kind, exclusive, planOf }): HeldRange => {
    // Blocks inside one /16 (IPv4) or /112 (IPv6), of /16 + 0..8 bits, so that many nest.
    const base = family === 4 ? `10.20.${offset}.0` : `fd00::14:${offset.toString(16)}00`;
    const length = (family === 4 ? 16 : 112) + prefix;
    const cidr = Cidr.containing(Cidr.parse(`${base}/${family === 4 ? 32 : 128}`).first, length);
    const id = `${holder.type}-${holder.n}`;
    return holder.type === 'plan'
      ? { holder: { type: 'plan', id, name: id }, kind, cidr, exclusive }
      : {
          holder: { type: 'allocation', id: `${id}-${offset}`, name: id },
          kind: 'allocation',
          cidr,
          planId: planOf === null ? null : `plan-${planOf}`,
        };
  });

const intersect = (a: HeldRange, b: HeldRange) =>
  a.cidr.family === b.cidr.family &&
  a.cidr.first.value <= b.cidr.last.value &&
  b.cidr.first.value <= a.cidr.last.value;

/** A conflict as an unordered pair of range positions and its code. */
const key = (ranges: readonly HeldRange[], c: Conflict) => {
  const [i, j] = c.sides.map((side) => ranges.indexOf(side)).sort((x, y) => x - y);
  return `${i}-${j}:${c.code}:${c.severity}`;
};

function bruteForce(ranges: readonly HeldRange[]): string[] {
  const found: string[] = [];
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      const [a, b] = [ranges[i] as HeldRange, ranges[j] as HeldRange];
      if (!intersect(a, b)) continue;
      const c = classifyPair(a, b);
      if (c !== undefined) found.push(`${i}-${j}:${c.code}:${c.severity}`);
    }
  }
  return found.sort();
}

describe('findConflicts agrees with a pairwise scan', () => {
  it('reports exactly the conflicting pairs among up to 40 ranges', () => {
    fc.assert(
      fc.property(fc.array(rangeArb, { maxLength: 40 }), (ranges) => {
        const swept = findConflicts(ranges).map((c) => key(ranges, c));
        expect(swept.sort()).toEqual(bruteForce(ranges));
      }),
      { numRuns: 300 },
    );
  });

  it('never reports ranges that do not intersect', () => {
    fc.assert(
      fc.property(fc.array(rangeArb, { maxLength: 40 }), (ranges) => {
        for (const c of findConflicts(ranges)) expect(intersect(c.sides[0], c.sides[1])).toBe(true);
      }),
    );
  });
});
