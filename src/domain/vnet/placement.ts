import { Cidr, IpAddress } from '../ip/index.js';

/** IPv4 addresses `first` to `end - 1`, as numbers (Azure VNets and subnets are IPv4). */
interface Interval {
  readonly first: number;
  readonly end: number;
}

const blockSize = (prefixLength: number) => 2 ** (32 - prefixLength);
const firstOf = (cidr: Cidr) => Number(cidr.first.value);
const intervalOf = (cidr: Cidr): Interval => ({
  first: firstOf(cidr),
  end: firstOf(cidr) + blockSize(cidr.prefixLength),
});

/**
 * Where subnets of the given prefix lengths go in the VNet: each at the first aligned block
 * after the given (`taken`) subnets that neither they nor a subnet placed before it hold, then,
 * when nothing after them has room, at the first such block before them; the address space's
 * ranges in the order given; the largest first, equal sizes in input order. null where none
 * fits. Blocks whose sizes are powers of two, placed largest first at any aligned free block,
 * pack as tightly as any placement can (each size divides the larger ones, so every placement
 * of a size uses up the same room for the sizes after it); a property test holds this against
 * a brute-force search. O(requests x free intervals); the intervals are at most the subnets
 * plus the ranges.
 */
export function placeSubnets(
  space: readonly Cidr[],
  taken: readonly Cidr[],
  lengths: readonly number[],
): (Cidr | null)[] {
  const free = afterGiven(freeIntervals(space, taken), space, taken);
  const order = lengths.map((length, i) => ({ length, i })).sort((a, b) => a.length - b.length || a.i - b.i);
  const placed: (Cidr | null)[] = lengths.map(() => null);
  for (const { length, i } of order) {
    const size = blockSize(length);
    const at = free.findIndex((gap) => Math.ceil(gap.first / size) * size + size <= gap.end);
    const gap = free[at];
    if (gap === undefined) continue;
    const start = Math.ceil(gap.first / size) * size;
    const rest = [
      { first: gap.first, end: start },
      { first: start + size, end: gap.end },
    ].filter((part) => part.end > part.first);
    free.splice(at, 1, ...rest);
    placed[i] = Cidr.containing(IpAddress.ipv4(start), length);
  }
  return placed;
}

/** The free intervals from the end of the last given subnet inside the space on, then the ones before it. */
function afterGiven(free: Interval[], space: readonly Cidr[], taken: readonly Cidr[]): Interval[] {
  const inside = taken.filter((t) => space.some((range) => range.covers(t)));
  if (inside.length === 0) return free;
  const cursor = Math.max(...inside.map((t) => intervalOf(t).end));
  return [...free.filter((gap) => gap.first >= cursor), ...free.filter((gap) => gap.first < cursor)];
}

/** The address space not held by `used`, as the fewest aligned blocks, in address order per range. */
export function freeBlocks(space: readonly Cidr[], used: readonly Cidr[]): Cidr[] {
  return freeIntervals(space, used).flatMap(blocksOf);
}

/** Each IPv4 range of the space less the `taken` ranges, in the space's order, then by address. */
function freeIntervals(space: readonly Cidr[], taken: readonly Cidr[]): Interval[] {
  const held = taken
    .filter((cidr) => cidr.family === 4)
    .map(intervalOf)
    .sort((a, b) => a.first - b.first);
  return space
    .filter((cidr) => cidr.family === 4)
    .flatMap((range) => {
      const { first, end } = intervalOf(range);
      const gaps: Interval[] = [];
      let next = first;
      for (const h of held) {
        if (h.end <= next || h.first >= end) continue;
        if (h.first > next) gaps.push({ first: next, end: h.first });
        next = Math.max(next, h.end);
      }
      if (next < end) gaps.push({ first: next, end });
      return gaps;
    });
}

/** An interval as the fewest aligned CIDR blocks: at most 62 for any IPv4 interval. */
function blocksOf({ first, end }: Interval): Cidr[] {
  const blocks: Cidr[] = [];
  let at = first;
  while (at < end) {
    let length = 32;
    // Grow while the block stays aligned at `at` and inside the interval.
    while (length > 0 && at % blockSize(length - 1) === 0 && at + blockSize(length - 1) <= end) length--;
    blocks.push(Cidr.containing(IpAddress.ipv4(at), length));
    at += blockSize(length);
  }
  return blocks;
}
