import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cidr } from '../../../src/domain/ip/index.js';
import { freeBlocks, placeSubnets } from '../../../src/domain/vnet/placement.js';

/** A /25 VNet counted in /29 units (16 of them): small enough to search every packing. */
const VNET = Cidr.parse('10.8.0.0/25');
const UNITS = 16;
const unitsOf = (length: number) => 2 ** (29 - length);
const blockAt = (unit: number, length: number) => VNET.subnet(length, unit / unitsOf(length));

/** Aligned blocks of /27 to /29 that do not overlap: the subnets a design gives. */
const takenArb = fc
  .array(fc.tuple(fc.integer({ min: 27, max: 29 }), fc.nat(UNITS - 1)), { maxLength: 3 })
  .map((picks) => {
    const taken: Cidr[] = [];
    for (const [length, unit] of picks) {
      const aligned = unit - (unit % unitsOf(length));
      const block = blockAt(aligned, length);
      if (!taken.some((t) => t.overlaps(block))) taken.push(block);
    }
    return taken;
  });
const requestsArb = fc.array(fc.integer({ min: 26, max: 29 }), { minLength: 1, maxLength: 4 });

/** Whether every request fits somewhere, by trying every aligned position of each in turn. */
function allFit(taken: readonly Cidr[], lengths: readonly number[]): boolean {
  const used = new Array<boolean>(UNITS).fill(false);
  for (const t of taken) {
    const first = Number(t.first.value - VNET.first.value) / 8;
    for (let u = first; u < first + unitsOf(t.prefixLength); u++) used[u] = true;
  }
  const search = (k: number): boolean => {
    const length = lengths[k];
    if (length === undefined) return true;
    const size = unitsOf(length);
    for (let at = 0; at < UNITS; at += size) {
      if (used.slice(at, at + size).some(Boolean)) continue;
      used.fill(true, at, at + size);
      const found = search(k + 1);
      used.fill(false, at, at + size);
      if (found) return true;
    }
    return false;
  };
  return search(0);
}

describe('placing subnets in a VNet', () => {
  it('places aligned, inside the VNet, clear of the given subnets and of each other, at the sizes asked', () => {
    fc.assert(
      fc.property(takenArb, requestsArb, (taken, lengths) => {
        const placed = placeSubnets([VNET], taken, lengths);
        const sited = placed.flatMap((p) => (p === null ? [] : [p]));
        placed.forEach((p, i) => {
          if (p === null) return;
          expect(p.prefixLength).toBe(lengths[i]);
          expect(VNET.covers(p)).toBe(true);
          expect(taken.some((t) => t.overlaps(p))).toBe(false);
        });
        sited.forEach((a, i) => {
          for (const b of sited.slice(i + 1)) expect(a.overlaps(b)).toBe(false);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('places every subnet whenever a brute-force search finds a packing of them all', () => {
    fc.assert(
      fc.property(takenArb, requestsArb, (taken, lengths) => {
        const placed = placeSubnets([VNET], taken, lengths);
        expect(placed.every((p) => p !== null)).toBe(allFit(taken, lengths));
      }),
      { numRuns: 500 },
    );
  });

  it('places inside one of several ranges, clear of everything, whichever range the given subnets are in', () => {
    const SPACE = [Cidr.parse('10.9.0.0/25'), VNET];
    fc.assert(
      fc.property(takenArb, requestsArb, (taken, lengths) => {
        const placed = placeSubnets(SPACE, taken, lengths).flatMap((p) => (p === null ? [] : [p]));
        for (const p of placed) {
          expect(SPACE.some((range) => range.covers(p))).toBe(true);
          expect(taken.some((t) => t.overlaps(p))).toBe(false);
        }
        placed.forEach((a, i) => {
          for (const b of placed.slice(i + 1)) expect(a.overlaps(b)).toBe(false);
        });
        // Two ranges hold at least what the one with the given subnets holds alone.
        const alone = placeSubnets([VNET], taken, lengths).filter((p) => p !== null).length;
        expect(placed.length).toBeGreaterThanOrEqual(alone);
      }),
      { numRuns: 300 },
    );
  });

  it('starts after the given subnets, and comes back before them when nothing after has room', () => {
    const taken = [Cidr.parse('10.8.0.32/27')];
    expect(placeSubnets([VNET], taken, [27, 26, 27]).map(String)).toEqual([
      '10.8.0.0/27',
      '10.8.0.64/26',
      'null',
    ]);
  });

  it('lists the free space as the fewest aligned blocks', () => {
    expect(freeBlocks([Cidr.parse('10.0.0.0/24')], [Cidr.parse('10.0.0.64/27')]).map(String)).toEqual([
      '10.0.0.0/26',
      '10.0.0.96/27',
      '10.0.0.128/25',
    ]);
    expect(freeBlocks([Cidr.parse('10.0.0.0/24')], [Cidr.parse('10.0.0.0/24')])).toEqual([]);
  });
});
