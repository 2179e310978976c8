import { bitsOf, Cidr, type IpFamily } from '../ip/index.js';
import {
  type AddressRange,
  addressAt,
  alignedBlocks,
  cidrCount,
  firstAlignedBlock,
  rangeOf,
  rangeToCidrs,
} from './address-range.js';

/**
 * The free space of an address space: its CIDRs less what is allocated, as sorted ranges.
 * Work is proportional to the number of CIDRs and allocations, never to addresses.
 */
export class FreeSpace {
  readonly ranges: readonly AddressRange[];

  constructor(spaceCidrs: readonly Cidr[], allocated: readonly Cidr[]) {
    const taken = allocated.map(rangeOf).sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
    this.ranges = spaceCidrs
      .map(rangeOf)
      .sort((a, b) => a.family - b.family || (a.first < b.first ? -1 : a.first > b.first ? 1 : 0))
      .flatMap((range) =>
        subtract(
          range,
          taken.filter((t) => t.family === range.family),
        ),
      );
  }

  /** The free blocks as the fewest CIDRs, lowest address first. */
  blocks(family?: IpFamily, limit = Number.POSITIVE_INFINITY): Cidr[] {
    const blocks: Cidr[] = [];
    for (const range of this.of(family)) {
      if (blocks.length >= limit) break;
      blocks.push(...rangeToCidrs(range, limit - blocks.length));
    }
    return blocks;
  }

  /** How many CIDRs blocks() gives in all, without building them. */
  blockCount(family?: IpFamily): number {
    return this.of(family).reduce((sum, range) => sum + cidrCount(range), 0);
  }

  /** The lowest free aligned block of this prefix length (first fit), if any. */
  firstFit(family: IpFamily, prefixLength: number): Cidr | undefined {
    const size = blockSize(family, prefixLength);
    for (const range of this.of(family)) {
      const start = firstAlignedBlock(range, size);
      if (start !== undefined) return Cidr.containing(addressAt(family, start), prefixLength);
    }
    return undefined;
  }

  /** How many blocks of this prefix length fit in the free space. */
  countFitting(family: IpFamily, prefixLength: number): bigint {
    const size = blockSize(family, prefixLength);
    return this.of(family).reduce((sum, r) => sum + alignedBlocks(r, size), 0n);
  }

  /** The largest free block (the shortest prefix), if any space is free. */
  largestBlock(family?: IpFamily): Cidr | undefined {
    return this.blocks(family).reduce<Cidr | undefined>(
      (best, c) => (best === undefined || c.prefixLength < best.prefixLength ? c : best),
      undefined,
    );
  }

  /** Free addresses of a family. */
  freeAddresses(family: IpFamily): bigint {
    return this.of(family).reduce((sum, r) => sum + (r.last - r.first + 1n), 0n);
  }

  /** True when every address of `cidr` is free. */
  isFree(cidr: Cidr): boolean {
    const wanted = rangeOf(cidr);
    return this.of(cidr.family).some((r) => r.first <= wanted.first && wanted.last <= r.last);
  }

  private of(family?: IpFamily): readonly AddressRange[] {
    return family === undefined ? this.ranges : this.ranges.filter((r) => r.family === family);
  }
}

function blockSize(family: IpFamily, prefixLength: number): bigint {
  return 1n << BigInt(bitsOf(family) - prefixLength);
}

/** A range less sorted, possibly overlapping, taken ranges. */
function subtract(range: AddressRange, taken: readonly AddressRange[]): AddressRange[] {
  const free: AddressRange[] = [];
  let cursor = range.first;
  for (const t of taken) {
    if (t.last < cursor || t.first > range.last) continue;
    if (t.first > cursor) free.push({ family: range.family, first: cursor, last: t.first - 1n });
    cursor = t.last + 1n;
    if (cursor > range.last) return free;
  }
  if (cursor <= range.last) free.push({ family: range.family, first: cursor, last: range.last });
  return free;
}
