import { IpAddress as Address, bitsOf, Cidr, type IpAddress, type IpFamily } from '../ip/index.js';

/** An inclusive run of addresses of one family, [first, last], as numbers. */
export interface AddressRange {
  readonly family: IpFamily;
  readonly first: bigint;
  readonly last: bigint;
}

export function rangeOf(cidr: Cidr): AddressRange {
  return { family: cidr.family, first: cidr.first.value, last: cidr.last.value };
}

/**
 * The fewest CIDRs that cover a range exactly: from the low end, the largest aligned block
 * that starts there and stays inside, repeatedly (NetBox's "available prefixes").
 */
export function rangeToCidrs(range: AddressRange, limit = Number.POSITIVE_INFINITY): Cidr[] {
  const bits = bitsOf(range.family);
  const cidrs: Cidr[] = [];
  for (const [start, hostBits] of blockStarts(range)) {
    if (cidrs.length >= limit) break;
    cidrs.push(Cidr.containing(Address.of(range.family, start), bits - hostBits));
  }
  return cidrs;
}

/** How many CIDRs rangeToCidrs gives, without building them: at most twice the family's bits. */
export function cidrCount(range: AddressRange): number {
  let count = 0;
  for (const _ of blockStarts(range)) count++;
  return count;
}

/** The blocks covering a range, lowest first, as start and host bits. */
function* blockStarts(range: AddressRange): Generator<[bigint, number]> {
  const bits = bitsOf(range.family);
  let start = range.first;
  while (start <= range.last) {
    let hostBits = 0;
    while (hostBits < bits) {
      const size = 1n << BigInt(hostBits + 1);
      if (start % size !== 0n || start + size - 1n > range.last) break;
      hostBits++;
    }
    yield [start, hostBits];
    start += 1n << BigInt(hostBits);
  }
}

/** The first address of the first aligned block of `size` inside the range, if any. */
export function firstAlignedBlock(range: AddressRange, size: bigint): bigint | undefined {
  const start = ((range.first + size - 1n) / size) * size;
  return start + size - 1n <= range.last ? start : undefined;
}

/** How many aligned blocks of `size` lie wholly inside the range. */
export function alignedBlocks(range: AddressRange, size: bigint): bigint {
  const first = (range.first + size - 1n) / size;
  const end = (range.last + 1n) / size;
  return end > first ? end - first : 0n;
}

export function addressAt(family: IpFamily, value: bigint): IpAddress {
  return Address.of(family, value);
}
