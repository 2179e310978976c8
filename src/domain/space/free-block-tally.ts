import { bitsOf, type IpFamily } from '../ip/index.js';

/** How many free blocks of one prefix length a space holds. */
export interface FreeBlockCount {
  readonly family: IpFamily;
  readonly prefixLength: number;
  readonly count: number;
}

/**
 * A space's free space counted from its free blocks by prefix length (at most 129 numbers a
 * family, whatever the number of allocations). The blocks are the fewest aligned CIDRs of the
 * free ranges, so every aligned block that fits in a free range lies inside one of them: the
 * counts answer exactly what FreeSpace works out from every allocation.
 */
export class FreeBlockTally {
  constructor(private readonly counts: readonly FreeBlockCount[]) {}

  /** Free addresses of a family. */
  freeAddresses(family: IpFamily): bigint {
    return this.of(family).reduce(
      (sum, c) => sum + (BigInt(c.count) << BigInt(bitsOf(family) - c.prefixLength)),
      0n,
    );
  }

  /** How many free blocks (the fewest CIDRs) there are, of a family or both. */
  blockCount(family?: IpFamily): number {
    return this.of(family).reduce((sum, c) => sum + c.count, 0);
  }

  /** How many blocks of this prefix length fit in the free space. */
  countFitting(family: IpFamily, prefixLength: number): bigint {
    return this.of(family)
      .filter((c) => c.prefixLength <= prefixLength)
      .reduce((sum, c) => sum + (BigInt(c.count) << BigInt(prefixLength - c.prefixLength)), 0n);
  }

  private of(family: IpFamily | undefined): readonly FreeBlockCount[] {
    return family === undefined ? this.counts : this.counts.filter((c) => c.family === family);
  }
}

/** The tally of blocks at hand (the reference the stores' counts are held to). */
export function tallyOf(blocks: readonly { family: IpFamily; prefixLength: number }[]): FreeBlockCount[] {
  const counts = new Map<string, FreeBlockCount>();
  for (const { family, prefixLength } of blocks) {
    const key = `${family}/${prefixLength}`;
    counts.set(key, { family, prefixLength, count: (counts.get(key)?.count ?? 0) + 1 });
  }
  return [...counts.values()];
}
