import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cidr, IpAddress } from '../../../src/domain/ip/index.js';
import { RangeIndex } from '../../../src/domain/lookup/range-index.js';

/** CIDRs around 10.20.0.0/16 and fd00::/104 with prefixes that often nest, /0 and host routes included. */
const cidrArb = fc.oneof(
  fc
    .tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 8, max: 32 }))
    .map(([low, length]) => Cidr.containing(IpAddress.of(4, 0x0a140000n + BigInt(low)), length)),
  fc
    .tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 100, max: 128 }))
    .map(([low, length]) => Cidr.containing(IpAddress.of(6, 0xfd00n * 2n ** 112n + BigInt(low)), length)),
  fc.constantFrom(Cidr.parse('0.0.0.0/0'), Cidr.parse('::/0')),
);
const addressArb = fc.oneof(
  fc.integer({ min: 0, max: 0x1ffff }).map((low) => IpAddress.of(4, 0x0a140000n + BigInt(low) - 0x8000n)),
  fc.integer({ min: 0, max: 0xffff }).map((low) => IpAddress.of(6, 0xfd00n * 2n ** 112n + BigInt(low))),
);
/** Adds (with an id) and removes (of an earlier id), in order. */
const stepsArb = fc.array(
  fc.oneof(
    cidrArb.map((cidr) => ({ add: cidr })),
    fc.nat(60).map((n) => ({ remove: n })),
  ),
  { maxLength: 60 },
);

describe('RangeIndex agrees with a scan of every range', () => {
  it('after any sequence of adds and removes, for any address', () => {
    fc.assert(
      fc.property(stepsArb, fc.array(addressArb, { minLength: 1, maxLength: 20 }), (steps, addresses) => {
        const index = new RangeIndex<{ id: number; cidr: Cidr }>();
        let live: { id: number; cidr: Cidr }[] = [];
        steps.forEach((step, id) => {
          if ('add' in step) {
            const entry = { id, cidr: step.add };
            index.add(step.add, entry);
            live.push(entry);
          } else {
            const gone = live[step.remove % Math.max(live.length, 1)];
            if (gone === undefined) return;
            expect(index.remove(gone.cidr, gone)).toBe(true);
            expect(index.remove(gone.cidr, gone)).toBe(false);
            live = live.filter((e) => e !== gone);
          }
        });
        expect(index.size).toBe(live.length);
        for (const address of addresses) {
          const expected = live.filter((e) => e.cidr.contains(address)).map((e) => e.id);
          const found = index.containing(address).map((e) => e.id);
          expect(found.sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
          if (address.family === 4) {
            const fast = index.containingIpv4(Number(address.value)).map((e) => e.id);
            expect(fast.sort((a, b) => a - b)).toEqual(expected);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('answers the longest prefix first', () => {
    const index = new RangeIndex<string>();
    index.add(Cidr.parse('10.0.0.0/8'), 'wide');
    index.add(Cidr.parse('10.1.0.0/16'), 'narrow');
    index.add(Cidr.parse('0.0.0.0/0'), 'all');
    expect(index.containing(IpAddress.parse('10.1.2.3'))).toEqual(['narrow', 'wide', 'all']);
    expect(index.containingIpv4(0x0a020304)).toEqual(['wide', 'all']);
  });
});

describe('RangeIndex with an order', () => {
  const byKey = (a: { key: number }, b: { key: number }) => a.key - b.key;

  it('keeps each bucket in order, equals in the order they came', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('10.0.1.0/24', '10.0.0.0/16'), fc.nat(5)), { maxLength: 80 }),
        (adds) => {
          const index = new RangeIndex<{ key: number; id: number }>(byKey);
          for (const [id, [cidr, key]] of adds.entries()) index.add(Cidr.parse(cidr), { key, id });
          // 10.0.1.1 is in both: the /24's bucket, then the /16's, each sorted (stable).
          const expected = ['10.0.1.0/24', '10.0.0.0/16']
            .map((text) =>
              adds
                .flatMap(([cidr, key], id) => (cidr === text ? [{ key, id }] : []))
                .sort((a, b) => a.key - b.key || a.id - b.id),
            )
            .filter((bucket) => bucket.length > 0);
          expect(index.buckets(IpAddress.parse('10.0.1.1'))).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('files values that come in order with one comparison each, against the tail', () => {
    // A rebuild files 100,000 plans sharing one service CIDR in id order: a search per value
    // would be wasted, and a splice into the middle would make the build quadratic.
    let comparisons = 0;
    const index = new RangeIndex<{ key: number }>((a, b) => {
      comparisons++;
      return byKey(a, b);
    });
    const cidr = Cidr.parse('10.0.0.0/16');
    for (let key = 0; key < 1000; key++) index.add(cidr, { key });
    expect(comparisons).toBe(999);
    expect(index.containingIpv4(0x0a000001).map((v) => v.key)).toEqual([...Array(1000).keys()]);
  });
});

describe('RangeIndex.replace', () => {
  type Value = { key: number; id: number };
  const byKey = (a: Value, b: Value) => a.key - b.key;
  const texts = ['10.0.0.0/16', '10.0.1.0/24', '10.0.1.0/25', 'fd00::/64'];
  const pairArb = fc.tuple(fc.constantFrom(...texts), fc.nat(4));

  it('leaves the buckets as the same removes, then adds, one at a time', () => {
    fc.assert(
      fc.property(
        // Up to 150 changes over four CIDRs: buckets with a few (spliced) and with many (merged).
        fc.array(pairArb, { maxLength: 120, size: 'max' }),
        fc.array(fc.nat(200), { maxLength: 80, size: 'max' }),
        fc.array(pairArb, { maxLength: 150, size: 'max' }),
        fc.boolean(),
        (start, removals, additions, ordered) => {
          const make = () => new RangeIndex<Value>(ordered ? byKey : undefined);
          const [one, many] = [make(), make()];
          const distinct = start.map(([text, key], id) => [Cidr.parse(text), { key, id }] as const);
          // The same value filed twice under its CIDR: a remove takes one of them.
          const filed =
            distinct.length > 0 && ordered ? [...distinct, distinct[0] as (typeof distinct)[0]] : distinct;
          for (const [cidr, value] of filed) {
            one.add(cidr, value);
            many.add(cidr, value);
          }
          // Removals name filed entries (some twice, and some under a CIDR they are not filed under).
          const removed = removals.flatMap((n) => {
            const entry = filed[n % Math.max(filed.length, 1)];
            if (entry === undefined) return [];
            return [
              n % 7 === 0
                ? ([Cidr.parse(texts[(n >> 3) % texts.length] as string), entry[1]] as const)
                : entry,
            ];
          });
          const added = additions.map(([text, key], i) => [Cidr.parse(text), { key, id: 100 + i }] as const);
          for (const [cidr, value] of removed) one.remove(cidr, value);
          for (const [cidr, value] of added) one.add(cidr, value);
          many.replace(removed, added);
          expect(many.size).toBe(one.size);
          for (const ip of ['10.0.1.1', '10.0.1.200', '10.0.9.9', 'fd00::1']) {
            const address = IpAddress.parse(ip);
            expect(many.buckets(address)).toEqual(one.buckets(address));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('removes a value filed twice as often as it is named, many changes at once', () => {
    const index = new RangeIndex<Value>(byKey);
    const cidr = Cidr.parse('10.0.0.0/16');
    const twice = { key: 0, id: 0 };
    const others = Array.from({ length: 40 }, (_, i) => ({ key: 1, id: i + 1 }));
    index.replace([], [[cidr, twice], [cidr, twice], ...others.map((o) => [cidr, o] as const)]);
    // 41 removals: past the few that are spliced, so the bucket is rebuilt in one pass.
    index.replace([[cidr, twice], ...others.map((o) => [cidr, o] as const)], []);
    expect(index.buckets(IpAddress.parse('10.0.0.1'))).toEqual([[twice]]);
    expect(index.size).toBe(1);
  });

  it('replaces a bucket it changes, so that one held across the change keeps what it held', () => {
    const index = new RangeIndex<Value>(byKey);
    const cidr = Cidr.parse('10.0.0.0/16');
    const [a, b, c] = [
      { key: 1, id: 1 },
      { key: 2, id: 2 },
      { key: 3, id: 3 },
    ];
    index.replace(
      [],
      [
        [cidr, a],
        [cidr, b],
      ],
    );
    const [held] = index.buckets(IpAddress.parse('10.0.0.1'));
    index.replace(
      [
        [cidr, a],
        [cidr, b],
      ],
      [[cidr, c]],
    );
    expect(held).toEqual([a, b]);
    expect(index.buckets(IpAddress.parse('10.0.0.1'))).toEqual([[c]]);
  });

  it('files one change into a large bucket with a binary search, not a pass over it', () => {
    // Each plan write is a change set of one: it must not cost a pass over the 100,000 plans
    // sharing the default service CIDR.
    let comparisons = 0;
    const index = new RangeIndex<Value>((x, y) => {
      comparisons++;
      return byKey(x, y);
    });
    const cidr = Cidr.parse('10.0.0.0/16');
    const values = Array.from({ length: 1024 }, (_, id) => ({ key: id * 2, id }));
    index.replace(
      [],
      values.map((value) => [cidr, value] as const),
    );
    comparisons = 0;
    index.replace([[cidr, values[500] as Value]], [[cidr, { key: 1001, id: 5000 }]]);
    expect(comparisons).toBeLessThanOrEqual(12);
    expect(index.containingIpv4(0x0a000001).map((v) => v.key)).toEqual(
      [...values.filter((v) => v.id !== 500).map((v) => v.key), 1001].sort((x, y) => x - y),
    );
  });
});
