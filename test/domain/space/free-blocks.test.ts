/**
 * Table tests of the decisions over free blocks: carving a block, merging a released one, and
 * placing requests over free blocks held in memory. The SQLite store is checked against the
 * reference allocator in test/store/free-blocks-properties.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../src/domain/errors.js';
import { Cidr } from '../../../src/domain/ip/index.js';
import type { AllocationRequest, Holder } from '../../../src/domain/space/allocation-request.js';
import {
  avoidingWithin,
  buddyOf,
  carve,
  coalesce,
  type FreeBlocks,
  placeAllocation,
} from '../../../src/domain/space/free-blocks.js';
import { FreeSpace } from '../../../src/domain/space/free-space.js';

const cidr = (text: string) => Cidr.parse(text);
const cidrs = (texts: readonly string[]) => texts.map(cidr);

/** The free blocks of a space with these holders, as a store would index them. */
function freeBlocksOf(space: readonly Cidr[], holders: readonly Holder[]): FreeBlocks {
  const blocks = new FreeSpace(
    space,
    holders.map((h) => h.cidr),
  ).blocks();
  return {
    lowestWithPrefix: (family, prefixLength, from) =>
      blocks.find(
        (b) =>
          b.family === family &&
          b.prefixLength === prefixLength &&
          (from === undefined || b.first.value >= from),
      ),
    holding: (wanted) => blocks.find((b) => b.covers(wanted)),
  };
}

function place(
  space: readonly string[],
  held: readonly (readonly [string, string])[],
  request: AllocationRequest,
) {
  const holders = held.map(([id, text]) => ({ id, cidr: cidr(text), purpose: `purpose of ${id}` }));
  const placement = placeAllocation(
    cidrs(space),
    freeBlocksOf(cidrs(space), holders),
    {
      firstOverlapping: (wanted) => holders.find((h) => h.cidr.overlaps(wanted)),
    },
    request,
  );
  return [String(placement.cidr), String(placement.from), placement.remainder.map(String)];
}

function refusal(
  space: readonly string[],
  held: readonly (readonly [string, string])[],
  request: AllocationRequest,
) {
  try {
    place(space, held, request);
  } catch (error) {
    if (error instanceof DomainError) return [error.code, error.message];
    throw error;
  }
  throw new Error('granted');
}

const size = (prefixLength: number): AllocationRequest => ({ kind: 'size', family: 4, prefixLength });
const exactly = (text: string): AllocationRequest => ({ kind: 'cidr', cidr: cidr(text) });

describe('buddyOf: the other half of the parent', () => {
  it.each([
    ['10.0.0.0/25', '10.0.0.128/25'],
    ['10.0.0.128/25', '10.0.0.0/25'],
    ['10.0.0.7/32', '10.0.0.6/32'],
    ['0.0.0.0/1', '128.0.0.0/1'],
    ['fd00::/64', 'fd00:0:0:1::/64'],
  ])('%s -> %s', (block, buddy) => {
    expect(String(buddyOf(cidr(block)))).toBe(buddy);
  });

  it('refuses /0, which has no parent', () => {
    expect(() => buddyOf(cidr('0.0.0.0/0'))).toThrow('0.0.0.0/0 has no buddy');
  });
});

describe('carve: what is left of a free block, as the fewest CIDRs', () => {
  it.each([
    ['10.0.0.0/22', '10.0.0.0/22', []],
    ['10.0.0.0/22', '10.0.0.0/24', ['10.0.1.0/24', '10.0.2.0/23']],
    ['10.0.0.0/22', '10.0.3.0/24', ['10.0.0.0/23', '10.0.2.0/24']],
    ['10.0.0.0/22', '10.0.1.128/25', ['10.0.0.0/24', '10.0.1.0/25', '10.0.2.0/23']],
    [
      'fd00::/56',
      'fd00:0:0:ff::/64',
      [
        'fd00::/57',
        'fd00:0:0:80::/58',
        'fd00:0:0:c0::/59',
        'fd00:0:0:e0::/60',
        'fd00:0:0:f0::/61',
        'fd00:0:0:f8::/62',
        'fd00:0:0:fc::/63',
        'fd00:0:0:fe::/64',
      ],
    ],
  ])('%s less %s', (block, taken, left) => {
    expect(carve(cidr(block), cidr(taken)).map(String)).toEqual(left);
    const tiled = new FreeSpace([cidr(block)], [cidr(taken)]).blocks().map(String);
    expect(left).toEqual(tiled);
  });

  it('refuses a block outside', () => {
    expect(() => carve(cidr('10.0.0.0/24'), cidr('10.0.1.0/25'))).toThrow(
      '10.0.1.0/25 is not inside 10.0.0.0/24',
    );
  });
});

describe('coalesce: a released block merges with free buddies, within its range of the space', () => {
  const holder = (text: string) => ({ id: text, cidr: cidr(text), purpose: 'p' });

  it.each([
    // Both buddies free: up to the whole range.
    [['10.0.0.0/22'], ['10.0.1.0/24'], '10.0.1.0/24', '10.0.0.0/22', ['10.0.0.0/24', '10.0.2.0/23']],
    // The buddy held: nothing merges.
    [['10.0.0.0/22'], ['10.0.0.0/24', '10.0.1.0/24'], '10.0.1.0/24', '10.0.1.0/24', []],
    // Adjacent ranges of the space are buddies, but never merge.
    [['10.0.0.0/23', '10.0.2.0/23'], ['10.0.2.0/23'], '10.0.2.0/23', '10.0.2.0/23', []],
  ])('space %j holding %j, release %s -> %s absorbing %j', (space, held, released, merged, absorbed) => {
    const holders = held.map(holder);
    const rest = holders.filter((h) => String(h.cidr) !== released);
    const result = coalesce(cidrs(space), freeBlocksOf(cidrs(space), holders), cidr(released));
    expect([String(result.merged), result.absorbed.map(String).sort()]).toEqual([merged, absorbed]);
    const tiled = new FreeSpace(
      cidrs(space),
      rest.map((h) => h.cidr),
    ).blocks();
    expect(tiled.map(String)).toContain(merged);
  });

  it('refuses a block outside the space', () => {
    expect(() => coalesce(cidrs(['10.0.0.0/24']), freeBlocksOf([], []), cidr('10.0.1.0/24'))).toThrow(
      "10.0.1.0/24 is outside the space's 10.0.0.0/24",
    );
  });
});

describe('placeAllocation: first fit and exact CIDRs over free blocks', () => {
  it.each([
    [['10.0.0.0/22'], [], size(24), ['10.0.0.0/24', '10.0.0.0/22', ['10.0.1.0/24', '10.0.2.0/23']]],
    // The lowest block wide enough, not the narrowest that fits.
    [
      ['10.0.0.0/22'],
      [['a', '10.0.0.0/25']],
      size(26),
      ['10.0.0.128/26', '10.0.0.128/25', ['10.0.0.192/26']],
    ],
    [['10.0.0.0/22'], [['a', '10.0.1.0/24']], size(25), ['10.0.0.0/25', '10.0.0.0/24', ['10.0.0.128/25']]],
    [['10.1.0.0/23', '10.0.0.0/24'], [], size(24), ['10.0.0.0/24', '10.0.0.0/24', []]],
    [
      ['10.0.0.0/22'],
      [['a', '10.0.0.0/24']],
      exactly('10.0.3.0/25'),
      ['10.0.3.0/25', '10.0.2.0/23', ['10.0.2.0/24', '10.0.3.128/25']],
    ],
  ] as const)('#%# space %j, holders %j, %j', (space, held, request, expected) => {
    expect(place(space, held, request)).toEqual(expected);
  });

  it.each([
    [
      ['10.0.0.0/24'],
      [
        ['a', '10.0.0.64/26'],
        ['b', '10.0.0.192/26'],
      ],
      size(25),
      ['SPACE_EXHAUSTED', 'no free /25 is left; the largest free block is 10.0.0.0/26'],
    ],
    [
      ['10.0.0.0/24'],
      [['a', '10.0.0.0/24']],
      size(32),
      ['SPACE_EXHAUSTED', 'no free /32 is left; the largest free block is none (its IPv4 ranges are full)'],
    ],
    [
      ['10.0.0.0/22'],
      [],
      size(21),
      ['SPACE_EXHAUSTED', 'no free /21 is left; the largest free block is 10.0.0.0/22'],
    ],
    [['10.0.0.0/22'], [], size(33), ['PREFIX_LENGTH_INVALID', '/33 is not an IPv4 prefix length']],
    [['fd00::/56'], [], size(24), ['SPACE_FAMILY_MISSING', 'the space has no IPv4 range']],
    // The lowest holder is named, whether it starts below the CIDR or inside it.
    [
      ['10.0.0.0/22'],
      [['a', '10.0.0.0/23']],
      exactly('10.0.1.0/24'),
      ['CIDR_TAKEN', '10.0.1.0/24 overlaps 10.0.0.0/23, allocated to "purpose of a" (allocation a)'],
    ],
    [
      ['10.0.0.0/22'],
      [
        ['a', '10.0.0.64/26'],
        ['b', '10.0.0.128/26'],
      ],
      exactly('10.0.0.0/24'),
      ['CIDR_TAKEN', '10.0.0.0/24 overlaps 10.0.0.64/26, allocated to "purpose of a" (allocation a)'],
    ],
    // Partly outside the space and partly taken: outside wins.
    [
      ['10.0.0.0/24'],
      [['a', '10.0.0.0/25']],
      exactly('10.0.0.0/23'),
      ['CIDR_OUTSIDE_SPACE', "10.0.0.0/23 is not inside the space's 10.0.0.0/24"],
    ],
  ] as const)('#%# refuses: space %j, holders %j, %j', (space, held, request, expected) => {
    expect(refusal(space, held, request)).toEqual(expected);
  });
});

describe('avoidingWithin', () => {
  it('keeps only the avoided ranges that meet the space: no block of it can meet another', () => {
    const space = cidrs(['10.0.0.0/16', '192.168.0.0/24']);
    const size: AllocationRequest = {
      kind: 'size',
      family: 4,
      prefixLength: 24,
      avoid: cidrs(['10.0.5.0/24', '0.0.0.0/5', '11.0.0.0/8', '192.168.0.128/25', '172.16.0.0/12']),
    };
    expect(avoidingWithin(space, size)).toEqual({
      ...size,
      avoid: cidrs(['10.0.5.0/24', '192.168.0.128/25']),
    });
    const claim: AllocationRequest = { kind: 'cidr', cidr: cidr('10.0.1.0/24') };
    expect(avoidingWithin(space, claim)).toBe(claim);
  });
});
