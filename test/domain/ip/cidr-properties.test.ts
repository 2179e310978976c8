import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cidr, IpAddress } from '../../../src/domain/ip/index.js';

/**
 * Cidr relations against plain integer arithmetic: a block is [first, last] with first the
 * value with its host bits cleared. The reference never calls the class it checks except to
 * parse the text it wrote itself.
 */
interface Block {
  readonly family: 4 | 6;
  readonly first: bigint;
  readonly last: bigint;
  readonly text: string;
}

const BITS = { 4: 32, 6: 128 } as const;

function addressText(family: 4 | 6, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join('.');
  return Array.from({ length: 8 }, (_, i) => ((value >> BigInt(112 - 16 * i)) & 0xffffn).toString(16)).join(
    ':',
  );
}

function block(family: 4 | 6, value: bigint, prefix: number): Block {
  const hostBits = BigInt(BITS[family] - prefix);
  const first = (value >> hostBits) << hostBits;
  const last = first + (1n << hostBits) - 1n;
  return { family, first, last, text: `${addressText(family, first)}/${prefix}` };
}

/** Blocks that often nest or touch: values drawn near one another, prefixes across the range. */
const blockArb = (family: 4 | 6) => {
  const bits = BITS[family];
  const base = family === 4 ? 0x0af00000n : 0xfd000000000000000000000000000000n;
  return fc
    .tuple(fc.bigInt({ min: 0n, max: (1n << 24n) - 1n }), fc.integer({ min: bits - 26, max: bits }))
    .map(([offset, prefix]) => block(family, base + offset, prefix));
};
const familyArb = fc.constantFrom<4 | 6>(4, 6);
const pairArb = familyArb.chain((family) => fc.tuple(blockArb(family), blockArb(family)));
const cidr = (b: Block) => Cidr.parse(b.text);

describe('Cidr relations agree with integer arithmetic', () => {
  it('first, last and size', () => {
    fc.assert(
      fc.property(familyArb.chain(blockArb), (b) => {
        const c = cidr(b);
        expect([c.first.value, c.last.value, c.size]).toEqual([b.first, b.last, b.last - b.first + 1n]);
      }),
    );
  });

  it('contains an address exactly when first <= address <= last, edges included', () => {
    // The edges and their neighbours, where off-by-one mistakes live, and anywhere near.
    const arb = familyArb.chain((family) =>
      blockArb(family).chain((b) =>
        fc.tuple(
          fc.constant(b),
          fc.oneof(
            fc.constantFrom(b.first - 1n, b.first, b.first + 1n, b.last - 1n, b.last, b.last + 1n),
            fc.bigInt({ min: b.first - 2n ** 20n, max: b.last + 2n ** 20n }),
          ),
        ),
      ),
    );
    fc.assert(
      fc.property(arb, ([b, value]) => {
        if (value < 0n || value >= 1n << BigInt(BITS[b.family])) return;
        const address = IpAddress.of(b.family, value);
        expect(cidr(b).contains(address)).toBe(b.first <= value && value <= b.last);
      }),
    );
  });

  it('covers, overlaps and equals', () => {
    fc.assert(
      fc.property(pairArb, ([a, b]) => {
        const [x, y] = [cidr(a), cidr(b)];
        expect(x.covers(y)).toBe(a.first <= b.first && b.last <= a.last);
        expect(x.overlaps(y)).toBe(a.first <= b.last && b.first <= a.last);
        expect(x.overlaps(y)).toBe(y.overlaps(x));
        expect(x.equals(y)).toBe(a.first === b.first && a.last === b.last);
      }),
    );
  });

  it('never relates blocks of different families', () => {
    fc.assert(
      fc.property(blockArb(4), blockArb(6), (a, b) => {
        const [x, y] = [cidr(a), cidr(b)];
        expect([x.covers(y), y.covers(x), x.overlaps(y), y.overlaps(x)]).toEqual([
          false,
          false,
          false,
          false,
        ]);
        expect(x.contains(y.first)).toBe(false);
      }),
    );
  });
});
