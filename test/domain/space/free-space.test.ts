/**
 * Table tests of the free-space arithmetic (ranges as fewest CIDRs, aligned blocks), of
 * FreeSpace over IPv4 and IPv6 spaces, and of the allocation decision and its refusals.
 */
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../src/domain/errors.js';
import { Cidr, IpAddress, type IpFamily } from '../../../src/domain/ip/index.js';
import {
  type AddressRange,
  alignedBlocks,
  firstAlignedBlock,
  rangeOf,
  rangeToCidrs,
} from '../../../src/domain/space/address-range.js';
import {
  type AllocationRequest,
  decideAllocation,
  type Holder,
  prefixForAddresses,
} from '../../../src/domain/space/allocation-request.js';
import { FreeSpace } from '../../../src/domain/space/free-space.js';

const cidr = (text: string) => Cidr.parse(text);
const cidrs = (texts: readonly string[]) => texts.map(cidr);
const texts = (values: readonly Cidr[]) => values.map(String);

/** The inclusive range from one address to another, both written as text. */
function range(first: string, last: string): AddressRange {
  const a = IpAddress.parse(first);
  const b = IpAddress.parse(last);
  return { family: a.family, first: a.value, last: b.value };
}

/** The number of addresses in a block of this prefix length. */
function size(family: IpFamily, prefixLength: number): bigint {
  return 1n << BigInt((family === 4 ? 32 : 128) - prefixLength);
}

/** The address a number stands for, as text, or undefined. */
function addressText(family: IpFamily, value: bigint | undefined): string | undefined {
  return value === undefined ? undefined : IpAddress.of(family, value).toString();
}

describe('rangeOf', () => {
  it.each([
    ['10.0.0.0/22', 4, '10.0.0.0', '10.0.3.255'],
    ['10.0.0.7/32', 4, '10.0.0.7', '10.0.0.7'],
    ['fd00::/120', 6, 'fd00::', 'fd00::ff'],
  ] as const)('%s is the range %s: %s-%s', (text, family, first, last) => {
    expect(rangeOf(cidr(text))).toEqual({ ...range(first, last), family });
  });
});

describe('rangeToCidrs: the fewest CIDRs, lowest first', () => {
  it.each([
    // The documented example: up to a /22 boundary, then the /22.
    ['10.0.1.0', '10.0.7.255', ['10.0.1.0/24', '10.0.2.0/23', '10.0.4.0/22']],
    // One aligned block is itself.
    ['10.0.0.0', '10.0.3.255', ['10.0.0.0/22']],
    // A single address.
    ['10.0.0.0', '10.0.0.0', ['10.0.0.0/32']],
    ['255.255.255.255', '255.255.255.255', ['255.255.255.255/32']],
    // Unaligned at both ends: sizes grow, then shrink.
    ['10.0.0.1', '10.0.0.6', ['10.0.0.1/32', '10.0.0.2/31', '10.0.0.4/31', '10.0.0.6/32']],
    [
      '10.0.0.5',
      '10.0.1.10',
      [
        '10.0.0.5/32',
        '10.0.0.6/31',
        '10.0.0.8/29',
        '10.0.0.16/28',
        '10.0.0.32/27',
        '10.0.0.64/26',
        '10.0.0.128/25',
        '10.0.1.0/29',
        '10.0.1.8/31',
        '10.0.1.10/32',
      ],
    ],
    // The widest blocks: the whole IPv4 space and its lower half.
    ['0.0.0.0', '255.255.255.255', ['0.0.0.0/0']],
    ['0.0.0.0', '127.255.255.255', ['0.0.0.0/1']],
    // A range ending one short of a boundary cannot use the big block.
    [
      '10.0.0.0',
      '10.0.0.254',
      [
        '10.0.0.0/25',
        '10.0.0.128/26',
        '10.0.0.192/27',
        '10.0.0.224/28',
        '10.0.0.240/29',
        '10.0.0.248/30',
        '10.0.0.252/31',
        '10.0.0.254/32',
      ],
    ],
    // IPv6
    ['fd00::1', 'fd00::7', ['fd00::1/128', 'fd00::2/127', 'fd00::4/126']],
    ['::', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', ['::/0']],
    ['fd00::', 'fd00:0:0:1:ffff:ffff:ffff:ffff', ['fd00::/63']],
    ['2001:db8:0:1::', '2001:db8:0:3:ffff:ffff:ffff:ffff', ['2001:db8:0:1::/64', '2001:db8:0:2::/63']],
  ])('%s - %s -> %j', (first, last, expected) => {
    expect(texts(rangeToCidrs(range(first, last)))).toEqual(expected);
  });
});

describe('firstAlignedBlock: the lowest aligned start inside the range', () => {
  it.each([
    ['10.0.1.0', '10.0.7.255', 24, '10.0.1.0'],
    ['10.0.1.0', '10.0.7.255', 23, '10.0.2.0'],
    ['10.0.1.0', '10.0.7.255', 22, '10.0.4.0'],
    ['10.0.1.0', '10.0.7.255', 21, undefined], // no /21 boundary both starts and ends inside
    ['10.0.0.1', '10.0.0.255', 25, '10.0.0.128'], // rounds the start up to the next boundary
    ['10.0.0.1', '10.0.0.254', 25, undefined], // the next /25 runs past the end
    ['10.0.0.1', '10.0.0.254', 26, '10.0.0.64'],
    ['10.0.0.0', '10.0.0.0', 32, '10.0.0.0'],
    ['10.0.0.0', '10.0.0.0', 31, undefined],
    ['0.0.0.0', '255.255.255.255', 0, '0.0.0.0'],
    ['fd00::1', 'fd00::ffff', 120, 'fd00::100'],
    ['fd00::1', 'fd00::ffff', 112, undefined],
    ['fd00::', 'fd00::ffff', 112, 'fd00::'],
  ] as const)('%s - %s, /%i -> %s', (first, last, prefixLength, expected) => {
    const r = range(first, last);
    expect(addressText(r.family, firstAlignedBlock(r, size(r.family, prefixLength)))).toBe(expected);
  });
});

describe('alignedBlocks: how many aligned blocks lie wholly inside', () => {
  it.each([
    ['10.0.1.0', '10.0.7.255', 24, 7n],
    ['10.0.1.0', '10.0.7.255', 23, 3n], // .2, .4, .6
    ['10.0.1.0', '10.0.7.255', 22, 1n],
    ['10.0.1.0', '10.0.7.255', 21, 0n],
    ['10.0.1.0', '10.0.7.255', 32, 1792n],
    ['10.0.0.1', '10.0.0.254', 25, 0n],
    ['10.0.0.1', '10.0.0.254', 26, 2n], // .64 and .128
    ['10.0.0.1', '10.0.0.254', 30, 62n], // .4 to .248
    ['10.0.0.0', '10.0.0.0', 32, 1n],
    ['10.0.0.0', '10.0.0.0', 31, 0n],
    ['0.0.0.0', '255.255.255.255', 0, 1n],
    ['0.0.0.0', '255.255.255.255', 8, 256n],
    ['::', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 64, 1n << 64n],
    ['fd00::1', 'fd00::ffff', 120, 255n],
  ] as const)('%s - %s, /%i -> %s', (first, last, prefixLength, expected) => {
    const r = range(first, last);
    expect(alignedBlocks(r, size(r.family, prefixLength))).toBe(expected);
  });
});

describe('FreeSpace.blocks: the space less its allocations as the fewest CIDRs', () => {
  it.each([
    [['10.0.0.0/22'], [], ['10.0.0.0/22']],
    [['10.0.0.0/22'], ['10.0.0.0/24'], ['10.0.1.0/24', '10.0.2.0/23']],
    [['10.0.0.0/22'], ['10.0.1.0/24'], ['10.0.0.0/24', '10.0.2.0/23']],
    [['10.0.0.0/22'], ['10.0.3.0/24'], ['10.0.0.0/23', '10.0.2.0/24']],
    [
      ['10.0.0.0/22'],
      ['10.0.2.0/25', '10.0.0.64/26'], // allocations in any order
      ['10.0.0.0/26', '10.0.0.128/25', '10.0.1.0/24', '10.0.2.128/25', '10.0.3.0/24'],
    ],
    [['10.0.0.0/22'], ['10.0.0.0/22'], []], // full
    [['10.0.0.0/22'], ['10.0.0.0/23', '10.0.2.0/23'], []], // full, in pieces
    [['10.0.0.0/22'], ['192.168.0.0/24', 'fd00::/64'], ['10.0.0.0/22']], // blocks elsewhere change nothing
    [
      ['10.0.0.0/24'],
      ['10.0.0.5/32'],
      [
        '10.0.0.0/30',
        '10.0.0.4/32',
        '10.0.0.6/31',
        '10.0.0.8/29',
        '10.0.0.16/28',
        '10.0.0.32/27',
        '10.0.0.64/26',
        '10.0.0.128/25',
      ],
    ],
    // Several CIDRs given in any order: IPv4 first, lowest address first.
    [
      ['fd00::/120', '10.1.0.0/24', '10.0.0.0/24'],
      ['10.0.0.0/25'],
      ['10.0.0.128/25', '10.1.0.0/24', 'fd00::/120'],
    ],
    // IPv6
    [
      ['fd00::/60'],
      ['fd00::/64', 'fd00:0:0:2::/63'],
      ['fd00:0:0:1::/64', 'fd00:0:0:4::/62', 'fd00:0:0:8::/61'],
    ],
    [
      ['2001:db8::/32'],
      ['2001:db8:ffff::/48'],
      [
        '2001:db8::/33',
        '2001:db8:8000::/34',
        '2001:db8:c000::/35',
        '2001:db8:e000::/36',
        '2001:db8:f000::/37',
        '2001:db8:f800::/38',
        '2001:db8:fc00::/39',
        '2001:db8:fe00::/40',
        '2001:db8:ff00::/41',
        '2001:db8:ff80::/42',
        '2001:db8:ffc0::/43',
        '2001:db8:ffe0::/44',
        '2001:db8:fff0::/45',
        '2001:db8:fff8::/46',
        '2001:db8:fffc::/47',
        '2001:db8:fffe::/48',
      ],
    ],
  ])('space %j less %j -> %j', (space, allocated, expected) => {
    expect(texts(new FreeSpace(cidrs(space), cidrs(allocated)).blocks())).toEqual(expected);
  });

  it('filters by family', () => {
    const free = new FreeSpace(cidrs(['fd00::/56', '10.0.0.0/24']), cidrs(['10.0.0.0/25', 'fd00::/57']));
    expect(texts(free.blocks(4))).toEqual(['10.0.0.128/25']);
    expect(texts(free.blocks(6))).toEqual(['fd00:0:0:80::/57']);
    expect(texts(free.blocks())).toEqual(['10.0.0.128/25', 'fd00:0:0:80::/57']);
  });

  it('counts free addresses per family', () => {
    const free = new FreeSpace(cidrs(['fd00::/56', '10.0.0.0/22']), cidrs(['10.0.0.0/24', 'fd00::/64']));
    expect(free.freeAddresses(4)).toBe(768n);
    expect(free.freeAddresses(6)).toBe(255n << 64n);
  });
});

describe('FreeSpace.firstFit and countFitting', () => {
  // 10.0.0.0/22 less 10.0.0.0/26: free 10.0.0.64/26, 10.0.0.128/25, 10.0.1.0/24, 10.0.2.0/23.
  const ipv4 = new FreeSpace(cidrs(['10.0.0.0/22']), cidrs(['10.0.0.0/26']));
  // fd00::/60 less fd00::/64 and fd00:0:0:2::/63: free fd00:0:0:1::/64, :4::/62, :8::/61.
  const ipv6 = new FreeSpace(cidrs(['fd00::/60']), cidrs(['fd00::/64', 'fd00:0:0:2::/63']));

  it.each([
    [ipv4, 4, 22, undefined, 0n],
    [ipv4, 4, 23, '10.0.2.0/23', 1n],
    [ipv4, 4, 24, '10.0.1.0/24', 3n],
    [ipv4, 4, 25, '10.0.0.128/25', 7n],
    [ipv4, 4, 26, '10.0.0.64/26', 15n],
    [ipv4, 4, 32, '10.0.0.64/32', 960n],
    [ipv4, 4, 16, undefined, 0n], // wider than the space
    [ipv4, 6, 64, undefined, 0n], // no IPv6 at all
    [ipv6, 6, 60, undefined, 0n],
    [ipv6, 6, 61, 'fd00:0:0:8::/61', 1n],
    [ipv6, 6, 62, 'fd00:0:0:4::/62', 3n],
    [ipv6, 6, 63, 'fd00:0:0:4::/63', 6n],
    [ipv6, 6, 64, 'fd00:0:0:1::/64', 13n],
    [ipv6, 6, 128, 'fd00:0:0:1::/128', 13n << 64n],
    [ipv6, 4, 24, undefined, 0n], // no IPv4 at all
  ] as const)('#%# IPv%i /%i: first fit %s, %s fit', (free, family, prefixLength, first, count) => {
    expect(free.firstFit(family, prefixLength)?.toString()).toBe(first);
    expect(free.countFitting(family, prefixLength)).toBe(count);
  });

  it('finds the first fit in a later CIDR when the earlier ones are too small or full', () => {
    const free = new FreeSpace(cidrs(['10.0.0.0/24', '10.1.0.0/23']), cidrs(['10.0.0.0/25']));
    expect(free.firstFit(4, 25)?.toString()).toBe('10.0.0.128/25');
    expect(free.firstFit(4, 24)?.toString()).toBe('10.1.0.0/24');
    expect(free.firstFit(4, 23)?.toString()).toBe('10.1.0.0/23');
    expect(free.countFitting(4, 24)).toBe(2n);
    expect(free.countFitting(4, 25)).toBe(5n);
  });

  it('never counts a block that would straddle two of the space CIDRs', () => {
    // 10.0.0.0/24 and 10.0.1.0/24 are adjacent, but a /23 over both is not inside either.
    const free = new FreeSpace(cidrs(['10.0.0.0/24', '10.0.1.0/24']), []);
    expect(free.firstFit(4, 23)).toBeUndefined();
    expect(free.countFitting(4, 23)).toBe(0n);
    expect(free.countFitting(4, 24)).toBe(2n);
  });
});

describe('FreeSpace.largestBlock', () => {
  it.each([
    [['10.0.0.0/22'], ['10.0.0.0/26'], undefined, '10.0.2.0/23'],
    [['10.0.0.0/24'], ['10.0.0.64/26'], undefined, '10.0.0.128/25'],
    [['10.0.0.0/24'], ['10.0.0.128/25'], undefined, '10.0.0.0/25'],
    // Two free blocks of the same size: the lower one.
    [['10.0.0.0/24'], ['10.0.0.0/26', '10.0.0.192/26'], undefined, '10.0.0.64/26'],
    [['10.0.0.0/24'], ['10.0.0.0/24'], undefined, undefined],
    [['10.0.0.0/24', 'fd00::/120'], ['10.0.0.0/25'], 4, '10.0.0.128/25'],
    [['10.0.0.0/24', 'fd00::/120'], ['fd00::/120'], 6, undefined],
    [['fd00::/60'], ['fd00::/64', 'fd00:0:0:2::/63'], 6, 'fd00:0:0:8::/61'],
  ] as const)('space %j less %j, family %s -> %s', (space, allocated, family, expected) => {
    expect(new FreeSpace(cidrs(space), cidrs(allocated)).largestBlock(family)?.toString()).toBe(expected);
  });
});

describe('FreeSpace.isFree', () => {
  const free = new FreeSpace(cidrs(['10.0.0.0/22', 'fd00::/60']), cidrs(['10.0.0.0/26', 'fd00::/64']));

  it.each([
    ['10.0.1.0/24', true],
    ['10.0.2.0/23', true],
    ['10.0.0.64/26', true],
    ['10.0.0.64/32', true],
    ['10.0.3.255/32', true],
    ['10.0.0.0/26', false], // exactly the allocation
    ['10.0.0.0/25', false], // half allocated
    ['10.0.0.63/32', false], // the allocation's last address
    ['10.0.0.0/22', false], // the whole space
    ['10.0.4.0/24', false], // outside the space
    ['10.0.0.0/21', false], // covers the space
    ['fd00:0:0:1::/64', true],
    ['fd00:0:0:8::/61', true],
    ['fd00::/63', false],
    ['fd00:0:0:10::/64', false], // outside
    ['::/0', false],
  ] as const)('%s -> %s', (text, expected) => {
    expect(free.isFree(cidr(text))).toBe(expected);
  });
});

describe('prefixForAddresses: the smallest IPv4 subnet holding the addresses after Azure keeps 5', () => {
  it.each([
    [1581, 21], // 1,586 > 1,024: a /21 (2,043 usable)
    [1891, 21],
    [2043, 21], // exactly a /21's 2,043 usable
    [2044, 20],
    [251, 24], // exactly a /24's 251 usable
    [252, 23],
    [11, 28], // exactly a /28's 11 usable
    [12, 27],
    [3, 29], // Azure's smallest subnet
    [1, 29],
    [1073741819, 2], // exactly a /2's usable
  ])('%i addresses -> /%i', (addresses, prefixLength) => {
    expect(prefixForAddresses(addresses)).toBe(prefixLength);
  });

  it('refuses more addresses than any Azure subnet holds', () => {
    expect(() => prefixForAddresses(1073741820)).toThrow(
      expect.objectContaining({
        code: 'ADDRESSES_TOO_MANY',
        message: '1073741820 addresses do not fit any Azure subnet',
        problems: [
          {
            code: 'ADDRESSES_TOO_MANY',
            path: 'addresses',
            message: '1073741820 addresses do not fit any Azure subnet',
          },
        ],
      }),
    );
  });
});

const holder = (id: string, text: string, purpose = `purpose ${id}`): Holder => ({
  id,
  cidr: cidr(text),
  purpose,
});
const size4 = (prefixLength: number): AllocationRequest => ({ kind: 'size', family: 4, prefixLength });
const size6 = (prefixLength: number): AllocationRequest => ({ kind: 'size', family: 6, prefixLength });
const claim = (text: string): AllocationRequest => ({ kind: 'cidr', cidr: cidr(text) });

/** The DomainError a decision is refused with; fails the test when it is granted. */
function refusal(
  space: readonly string[],
  holders: readonly Holder[],
  request: AllocationRequest,
): DomainError {
  try {
    const granted = decideAllocation(cidrs(space), holders, request);
    throw new Error(`granted ${granted.toString()}`);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
}

describe('decideAllocation: first fit on aligned boundaries, lowest address first', () => {
  it.each([
    [['10.0.0.0/22'], [], size4(24), '10.0.0.0/24'],
    [['10.0.0.0/22'], [], size4(22), '10.0.0.0/22'],
    [['10.0.0.0/22'], [], size4(32), '10.0.0.0/32'],
    [['10.0.0.0/22'], [holder('a', '10.0.0.0/26')], size4(24), '10.0.1.0/24'],
    [['10.0.0.0/22'], [holder('a', '10.0.0.0/26')], size4(26), '10.0.0.64/26'],
    [['10.0.0.0/22'], [holder('a', '10.0.0.0/26')], size4(25), '10.0.0.128/25'],
    [['10.0.0.0/22'], [holder('a', '10.0.0.0/26')], size4(23), '10.0.2.0/23'],
    // A hole left by a release is filled first.
    [['10.0.0.0/22'], [holder('a', '10.0.1.0/24'), holder('b', '10.0.2.0/24')], size4(24), '10.0.0.0/24'],
    // Holders in any order.
    [['10.0.0.0/22'], [holder('b', '10.0.1.0/24'), holder('a', '10.0.0.0/24')], size4(24), '10.0.2.0/24'],
    // Several CIDRs: the first that has room, in address order.
    [['10.1.0.0/23', '10.0.0.0/24'], [], size4(23), '10.1.0.0/23'],
    [['10.1.0.0/23', '10.0.0.0/24'], [holder('a', '10.0.0.0/25')], size4(24), '10.1.0.0/24'],
    [['10.1.0.0/23', '10.0.0.0/24'], [holder('a', '10.0.0.0/25')], size4(25), '10.0.0.128/25'],
    // The /21 that 1,581 addresses need.
    [['10.0.0.0/16'], [], size4(prefixForAddresses(1581)), '10.0.0.0/21'],
    // IPv6 and dual-stack spaces.
    [['10.0.0.0/24', 'fd00::/56'], [], size6(64), 'fd00::/64'],
    [['10.0.0.0/24', 'fd00::/56'], [holder('a', 'fd00::/64')], size6(64), 'fd00:0:0:1::/64'],
    [['10.0.0.0/24', 'fd00::/56'], [holder('a', 'fd00::/64')], size6(60), 'fd00:0:0:10::/60'],
    [['10.0.0.0/24', 'fd00::/56'], [holder('a', 'fd00::/64')], size4(24), '10.0.0.0/24'],
    [['2001:db8::/32'], [], size6(128), '2001:db8::/128'],
  ])('#%# space %j, holders %j, %j -> %s', (space, holders, request, expected) => {
    expect(decideAllocation(cidrs(space), holders, request).toString()).toBe(expected);
  });

  it.each([
    [['10.0.0.0/22'], [], '10.0.0.0/22'],
    [['10.0.0.0/22'], [], '10.0.3.255/32'],
    [['10.0.0.0/22'], [holder('a', '10.0.0.0/24')], '10.0.2.0/23'],
    [['10.0.0.0/22'], [holder('a', '10.0.0.0/24')], '10.0.1.128/25'],
    [['10.0.0.0/24', 'fd00::/56'], [holder('a', 'fd00::/64')], 'fd00:0:0:ff::/64'],
  ])('claims exactly the free CIDR asked for: space %j, holders %j, %s', (space, holders, text) => {
    expect(decideAllocation(cidrs(space), holders, claim(text)).toString()).toBe(text);
  });
});

describe('decideAllocation: refusals', () => {
  it.each([
    [
      ['10.0.0.0/22'],
      [holder('a', '10.0.0.0/23'), holder('b', '10.0.2.0/24'), holder('c', '10.0.3.0/25')],
      size4(24),
      'no free /24 is left; the largest free block is 10.0.3.128/25',
    ],
    [
      ['10.0.0.0/24'],
      [holder('a', '10.0.0.64/26'), holder('b', '10.0.0.192/26')],
      size4(25),
      'no free /25 is left; the largest free block is 10.0.0.0/26',
    ],
    [
      ['10.0.0.0/24'],
      [holder('a', '10.0.0.0/24')],
      size4(32),
      'no free /32 is left; the largest free block is none (its IPv4 ranges are full)',
    ],
    // The IPv4 side is full; the IPv6 side's room is not named for an IPv4 request.
    [
      ['10.0.0.0/24', 'fd00::/56'],
      [holder('a', '10.0.0.0/25'), holder('b', '10.0.0.128/26')],
      size4(25),
      'no free /25 is left; the largest free block is 10.0.0.192/26',
    ],
    [
      ['10.0.0.0/24', 'fd00::/56'],
      [holder('a', 'fd00::/57')],
      size6(56),
      'no free /56 is left; the largest free block is fd00:0:0:80::/57',
    ],
    // Two adjacent CIDRs do not make room for a block over both.
    [
      ['10.0.0.0/23', '10.0.2.0/24', '10.0.3.0/24'],
      [holder('a', '10.0.0.0/23')],
      size4(23),
      'no free /23 is left; the largest free block is 10.0.2.0/24',
    ],
  ])('#%# SPACE_EXHAUSTED: space %j, holders %j, %j', (space, holders, request, detail) => {
    const error = refusal(space, holders, request);
    expect(error.code).toBe('SPACE_EXHAUSTED');
    expect(error.message).toBe(detail);
    expect(error.problems).toEqual([]);
  });

  /** PREFIX_LENGTH_INVALID on the prefixLength field, its sentence naming the prefix asked for. */
  function expectPrefixLengthInvalid(space: readonly string[], family: IpFamily, prefixLength: number): void {
    const error = refusal(space, [], { kind: 'size', family, prefixLength });
    expect(error.code).toBe('PREFIX_LENGTH_INVALID');
    expect(error.message.startsWith(`/${prefixLength} `), error.message).toBe(true);
    expect(error.problems).toEqual([
      { code: 'PREFIX_LENGTH_INVALID', path: 'prefixLength', message: error.message },
    ]);
  }

  it.each([
    [['10.0.0.0/22'], 4, 33],
    [['10.0.0.0/22'], 4, -1],
    [['10.0.0.0/22'], 4, 24.5],
    [['10.0.0.0/8', 'fd00::/56'], 6, 129],
  ] as const)(
    'PREFIX_LENGTH_INVALID: not a prefix length of the family: space %j, IPv%i /%s',
    (space, family, prefixLength) => {
      expectPrefixLengthInvalid(space, family, prefixLength);
    },
  );

  // A block wider than every range of the space cannot fit: exhaustion (409), not a bad request.
  it.each([
    [['10.0.0.0/22'], size4(21), 'no free /21 is left; the largest free block is 10.0.0.0/22'],
    [['10.0.0.0/22'], size4(0), 'no free /0 is left; the largest free block is 10.0.0.0/22'],
    [['10.0.0.0/24', '10.1.0.0/20'], size4(19), 'no free /19 is left; the largest free block is 10.1.0.0/20'],
    [['10.0.0.0/8', 'fd00::/56'], size6(48), 'no free /48 is left; the largest free block is fd00::/56'],
  ])('SPACE_EXHAUSTED for a block wider than the space: space %j, %j', (space, request, detail) => {
    const error = refusal(space, [], request);
    expect(error.code).toBe('SPACE_EXHAUSTED');
    expect(error.message).toBe(detail);
    expect(error.problems).toEqual([]);
  });

  it.each([
    [['10.0.0.0/22'], size6(64), 'the space has no IPv6 range'],
    [['fd00::/48'], size4(24), 'the space has no IPv4 range'],
  ])('SPACE_FAMILY_MISSING: space %j, %j', (space, request, detail) => {
    const error = refusal(space, [], request);
    expect(error.code).toBe('SPACE_FAMILY_MISSING');
    expect(error.message).toBe(detail);
    expect(error.problems).toEqual([{ code: 'SPACE_FAMILY_MISSING', path: 'prefixLength', message: detail }]);
  });

  it.each([
    [['10.0.0.0/22'], '10.0.4.0/24', "10.0.4.0/24 is not inside the space's 10.0.0.0/22"],
    [['10.0.0.0/22'], '10.0.0.0/21', "10.0.0.0/21 is not inside the space's 10.0.0.0/22"], // covers it
    [['10.0.0.0/22'], 'fd00::/64', "fd00::/64 is not inside the space's 10.0.0.0/22"],
    // Every address is in the space, but not within one of its CIDRs.
    [
      ['10.0.0.0/24', '10.0.1.0/24'],
      '10.0.0.0/23',
      "10.0.0.0/23 is not inside the space's 10.0.0.0/24, 10.0.1.0/24",
    ],
  ])('CIDR_OUTSIDE_SPACE: space %j, claim %s', (space, text, detail) => {
    const error = refusal(space, [], claim(text));
    expect(error.code).toBe('CIDR_OUTSIDE_SPACE');
    expect(error.message).toBe(detail);
    expect(error.problems).toEqual([{ code: 'CIDR_OUTSIDE_SPACE', path: 'cidr', message: detail }]);
  });

  it.each([
    ['10.0.0.0/26', '10.0.0.0/26 overlaps 10.0.0.0/26, allocated to "nodes of prod" (allocation a1)'], // the same
    ['10.0.0.0/24', '10.0.0.0/24 overlaps 10.0.0.0/26, allocated to "nodes of prod" (allocation a1)'], // covers
    ['10.0.0.32/27', '10.0.0.32/27 overlaps 10.0.0.0/26, allocated to "nodes of prod" (allocation a1)'], // inside
    ['10.0.1.7/32', '10.0.1.7/32 overlaps 10.0.1.0/24, allocated to "pods" (allocation b2)'],
  ])('CIDR_TAKEN names the holder: claim %s', (text, detail) => {
    const holders = [holder('a1', '10.0.0.0/26', 'nodes of prod'), holder('b2', '10.0.1.0/24', 'pods')];
    const error = refusal(['10.0.0.0/22'], holders, claim(text));
    expect(error.code).toBe('CIDR_TAKEN');
    expect(error.message).toBe(detail);
    expect(error.problems).toEqual([]);
  });
});
