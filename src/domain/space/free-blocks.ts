import { bitsOf, Cidr, IpAddress, type IpFamily } from '../ip/index.js';
import {
  type AllocationRequest,
  assertInsideSpace,
  cidrTaken,
  type Holder,
  spaceExhausted,
  widestRange,
} from './allocation-request.js';

/**
 * The free space of one space kept as its free blocks: the fewest CIDRs covering each free
 * range, what FreeSpace.blocks() answers. They are exactly the maximal aligned blocks that are
 * free and inside one range of the space, so every free aligned block lies inside one of them.
 * A store answers each question with an index probe, so decisions never read every allocation.
 */
export interface FreeBlocks {
  /** The lowest-addressed free block of exactly this prefix length (starting at or after `from`). */
  lowestWithPrefix(family: IpFamily, prefixLength: number, from?: bigint): Cidr | undefined;
  /** The free block that covers `cidr`, if `cidr` is wholly free. */
  holding(cidr: Cidr): Cidr | undefined;
}

export interface Holders {
  /** The lowest-addressed allocation of the space overlapping `cidr`: the one CIDR_TAKEN names. */
  firstOverlapping(cidr: Cidr): Holder | undefined;
}

/** A granted block, and how the free blocks change: `from` gives way to `remainder`. */
export interface Placement {
  readonly cidr: Cidr;
  readonly from: Cidr;
  readonly remainder: readonly Cidr[];
}

/** A released block merged with its free buddies: `absorbed` give way to `merged`. */
export interface Coalesced {
  readonly merged: Cidr;
  readonly absorbed: readonly Cidr[];
}

/**
 * Decides a request over the free blocks, answering exactly as decideAllocation does over every
 * holder (the same blocks, codes and messages), in O(prefix bits) probes.
 */
export function placeAllocation(
  space: readonly Cidr[],
  free: FreeBlocks,
  holders: Holders,
  asked: AllocationRequest,
): Placement {
  if (asked.kind === 'cidr') return claim(space, free, holders, asked.cidr);
  const request = avoidingWithin(space, asked);
  const { family, prefixLength } = request;
  const widest = widestRange(space, family, prefixLength);
  const fit =
    (request.avoid?.length ? clearOf(free, family, widest, prefixLength, request.avoid) : undefined) ??
    lowestFit(free, family, widest, prefixLength, 0n);
  if (fit === undefined) {
    throw spaceExhausted(prefixLength, family, largest(free, family, Math.max(widest, prefixLength + 1)));
  }
  return { ...fit, remainder: carve(fit.from, fit.cidr) };
}

/**
 * The request with only the avoided ranges that meet the space: no block of the space can meet
 * another, so a store reading ahead for each avoided range (PostgreSQL) reads for none of them.
 */
export function avoidingWithin<R extends AllocationRequest>(space: readonly Cidr[], request: R): R {
  if (request.kind !== 'size' || !request.avoid?.length) return request;
  return { ...request, avoid: request.avoid.filter((range) => space.some((cidr) => cidr.overlaps(range))) };
}

/**
 * Where a block clear of `avoid` may be looked for: the start, and right after each avoided
 * range. A store that reads ahead (PostgreSQL) reads the blocks at these addresses.
 */
export function clearanceStarts(family: IpFamily, avoid: readonly Cidr[]): bigint[] {
  const end = 1n << BigInt(bitsOf(family));
  const after = avoid.filter((r) => r.family === family).map((r) => r.last.value + 1n);
  return [0n, ...after.filter((start) => start < end)];
}

/** The first address at or after `at` where a block of the prefix length can start. */
export function blockStart(family: IpFamily, prefixLength: number, at: bigint): bigint {
  const size = 1n << BigInt(bitsOf(family) - prefixLength);
  return ((at + size - 1n) / size) * size;
}

/**
 * The lowest free block of the size overlapping none of `avoid`. Each miss moves past the
 * avoided range it met, so there are at most as many probes as avoided ranges, plus one.
 */
function clearOf(
  free: FreeBlocks,
  family: IpFamily,
  widest: number,
  prefixLength: number,
  avoid: readonly Cidr[],
): { cidr: Cidr; from: Cidr } | undefined {
  const end = 1n << BigInt(bitsOf(family));
  let at = 0n;
  for (let probe = 0; probe <= avoid.length; probe++) {
    const fit = lowestFit(free, family, widest, prefixLength, at);
    if (fit === undefined) return undefined;
    const met = avoid.find((r) => r.overlaps(fit.cidr));
    if (met === undefined) return fit;
    at = met.last.value + 1n;
    if (at >= end) return undefined; // past the family's last address
  }
  return undefined;
}

/**
 * The lowest free block of the size starting at or after `at`: the aligned block at `at` when a
 * free block holds it, else the first block of the lowest free block (of a prefix up to the
 * size's) starting after it. None is wider than the widest range, and none fits a wider request.
 */
function lowestFit(
  free: FreeBlocks,
  family: IpFamily,
  widest: number,
  prefixLength: number,
  at: bigint,
): { cidr: Cidr; from: Cidr } | undefined {
  const start = blockStart(family, prefixLength, at);
  if (start >= 1n << BigInt(bitsOf(family))) return undefined;
  if (start > 0n) {
    const aligned = Cidr.containing(IpAddress.of(family, start), prefixLength);
    const holder = free.holding(aligned);
    if (holder !== undefined) return { cidr: aligned, from: holder };
  }
  let from: Cidr | undefined;
  for (let p = widest; p <= prefixLength; p++) {
    const block = free.lowestWithPrefix(family, p, start > 0n ? start : undefined);
    if (block !== undefined && (from === undefined || block.first.value < from.first.value)) from = block;
  }
  return from === undefined ? undefined : { cidr: Cidr.containing(from.first, prefixLength), from };
}

/** The free blocks after `released` is freed: it merges with its buddy while the buddy is free. */
export function coalesce(space: readonly Cidr[], free: FreeBlocks, released: Cidr): Coalesced {
  const range = space.find((c) => c.covers(released));
  if (range === undefined) throw new Error(`${released} is outside the space's ${space.join(', ')}`);
  const absorbed: Cidr[] = [];
  let merged = released;
  // Blocks never merge across the space's ranges, even adjacent ones (as FreeSpace keeps them).
  while (merged.prefixLength > range.prefixLength) {
    const buddy = buddyOf(merged);
    const block = free.holding(buddy);
    if (block === undefined) break;
    // A free buddy is a whole free block: its parent held `released`, so it could not be larger.
    if (!block.equals(buddy)) throw new Error(`free block ${block} overlaps released ${released}`);
    absorbed.push(block);
    merged = Cidr.containing(merged.first, merged.prefixLength - 1);
  }
  return { merged, absorbed };
}

/**
 * What is left of a free block when `taken` (inside it) is allocated: the buddy of `taken` and
 * of each of its ancestors below `block`, lowest address first. Each is maximal (its parent
 * holds `taken`), so the result is the fewest CIDRs, as FreeSpace.blocks() would give.
 */
export function carve(block: Cidr, taken: Cidr): Cidr[] {
  if (!block.covers(taken)) throw new Error(`${taken} is not inside ${block}`);
  const pieces: Cidr[] = [];
  for (let p = taken.prefixLength; p > block.prefixLength; p--) {
    pieces.push(buddyOf(Cidr.containing(taken.first, p)));
  }
  return pieces.sort(Cidr.compare);
}

/** The other half of the block's parent. */
export function buddyOf(cidr: Cidr): Cidr {
  if (cidr.prefixLength === 0) throw new Error(`${cidr} has no buddy`);
  return Cidr.containing(IpAddress.of(cidr.family, cidr.first.value ^ cidr.size), cidr.prefixLength);
}

function claim(space: readonly Cidr[], free: FreeBlocks, holders: Holders, cidr: Cidr): Placement {
  assertInsideSpace(space, cidr);
  const from = free.holding(cidr);
  if (from !== undefined) return { cidr, from, remainder: carve(from, cidr) };
  // Inside one range and not wholly free: some allocation overlaps it.
  const holder = holders.firstOverlapping(cidr);
  if (holder === undefined) throw new Error(`${cidr} is neither free nor held`);
  throw cidrTaken(cidr, holder);
}

/** The largest free block (lowest first among equals), looking from `fromPrefix` down. */
function largest(free: FreeBlocks, family: IpFamily, fromPrefix: number): Cidr | undefined {
  for (let p = fromPrefix; p <= bitsOf(family); p++) {
    const block = free.lowestWithPrefix(family, p);
    if (block !== undefined) return block;
  }
  return undefined;
}
