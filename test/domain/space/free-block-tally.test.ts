/**
 * The free-block tally answers what FreeSpace works out from every allocation: a worked example,
 * then random spaces and allocations of both families, with FreeSpace's range arithmetic as
 * the reference.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cidr, IpAddress, type IpFamily } from '../../../src/domain/ip/index.js';
import { FreeBlockTally, tallyOf } from '../../../src/domain/space/free-block-tally.js';
import { FreeSpace } from '../../../src/domain/space/free-space.js';

const tallyFor = (free: FreeSpace) => new FreeBlockTally(tallyOf(free.blocks()));

describe('FreeBlockTally', () => {
  it('counts a /24 less a /26 and a /28 by hand', () => {
    // Free: 10.0.0.64/26, 10.0.0.144/28, 10.0.0.160/27, 10.0.0.192/26.
    const free = new FreeSpace(
      [Cidr.parse('10.0.0.0/24')],
      [Cidr.parse('10.0.0.0/26'), Cidr.parse('10.0.0.128/28')],
    );
    const tally = tallyFor(free);
    expect(tally.freeAddresses(4)).toBe(64n + 16n + 32n + 64n);
    expect(tally.blockCount()).toBe(4);
    expect(tally.countFitting(4, 26)).toBe(2n);
    expect(tally.countFitting(4, 27)).toBe(5n);
    expect(tally.countFitting(4, 28)).toBe(11n);
    expect(tally.countFitting(4, 25)).toBe(0n);
    expect(tally.freeAddresses(6)).toBe(0n);
    expect(tally.countFitting(6, 64)).toBe(0n);
  });

  it('counts a dual-stack space by family', () => {
    const free = new FreeSpace(
      [Cidr.parse('10.1.0.0/16'), Cidr.parse('fd00::/56')],
      [Cidr.parse('fd00::/64')],
    );
    const tally = tallyFor(free);
    expect(tally.freeAddresses(4)).toBe(65_536n);
    expect(tally.freeAddresses(6)).toBe(255n << 64n);
    expect(tally.blockCount(4)).toBe(1);
    expect(tally.blockCount(6)).toBe(8); // /64, /63, /62, ..., /57
    expect(tally.countFitting(6, 64)).toBe(255n);
  });

  /** 1,024 addresses of each family, so that allocations fragment the space often. */
  const UNIVERSE = {
    4: { base: IpAddress.parse('10.0.0.0').value, width: 32, top: 22 },
    6: { base: IpAddress.parse('fd00::').value, width: 128, top: 118 },
  } as const;
  const block = fc
    .record({
      family: fc.constantFrom<IpFamily>(4, 6),
      depth: fc.integer({ min: 0, max: 10 }),
      index: fc.nat(),
    })
    .map(({ family, depth, index }) => {
      const u = UNIVERSE[family];
      const prefix = u.top + depth;
      return Cidr.containing(
        IpAddress.of(family, u.base + (BigInt(index % 2 ** depth) << BigInt(u.width - prefix))),
        prefix,
      );
    });
  const disjoint = (blocks: readonly Cidr[]) =>
    blocks.reduce<Cidr[]>((kept, c) => (kept.some((k) => k.overlaps(c)) ? kept : [...kept, c]), []);

  it('agrees with FreeSpace on free addresses, block counts and fitting blocks of every size', () => {
    fc.assert(
      fc.property(
        fc.array(block, { minLength: 1, maxLength: 4 }),
        fc.array(block, { maxLength: 40 }),
        (s, a) => {
          const space = disjoint(s);
          const allocated = disjoint(a).filter((c) => space.some((sc) => sc.covers(c)));
          const free = new FreeSpace(space, allocated);
          const tally = tallyFor(free);
          expect(tally.blockCount()).toBe(free.blockCount());
          for (const family of [4, 6] as const) {
            expect(tally.freeAddresses(family)).toBe(free.freeAddresses(family));
            expect(tally.blockCount(family)).toBe(free.blockCount(family));
            const top = UNIVERSE[family].top;
            for (let p = top - 2; p <= top + 10; p++)
              expect(tally.countFitting(family, p)).toBe(free.countFitting(family, p));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
