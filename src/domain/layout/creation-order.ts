import type { ResolvedPool } from '../design/resolved-plan.js';

/**
 * Consecutive slots of one pool laid out back to back: slots `firstIndex` to
 * `firstIndex + count - 1`, from `start`, `perNode` units each. A unit is whatever the range
 * hands out: an address of a subnet, a /28 block of a pod subnet, a /24 of a pod CIDR.
 */
export interface SlotRun {
  readonly pool: ResolvedPool;
  readonly firstIndex: number;
  readonly count: number;
  readonly start: bigint;
  readonly perNode: bigint;
  /** One past the run's last unit. */
  readonly end: bigint;
}

/** A slot found at a unit offset, and the offset's position inside the slot. */
export interface SlotPosition {
  readonly run: SlotRun;
  readonly index: number;
  readonly position: bigint;
}

/** Where a range stops handing out units, and which slots can be created at all. */
export interface CreationBounds {
  /** One past the last unit the range can hand out. */
  readonly end?: bigint;
  /**
   * How many of a pool's slots can be created at all (those whose node gets its node IP, where
   * the units are pod addresses of another range): the rest never ask this range for units.
   */
  readonly creatable?: (pool: ResolvedPool) => number;
}

/**
 * The order in which a cluster takes the units of a range, as AKS hands them out: the next
 * free one when each node (or resource) is created. For a new cluster that is every pool's
 * current nodes (slots 0 to nodeCount-1, pools in spec order); then a gap of `gap` units (the
 * reservations of the subnet that holds them); then each pool's remaining slots, autoscaler
 * growth and then surge, pools in spec order. Slot indexes stay per pool.
 * A slot that cannot be created, or whose units would pass the range's end, takes no units:
 * AKS refuses that node, and the next node created takes the next free ones (a smaller slot of
 * another pool may still fit). A pool's slots are the same size, so those that take units are
 * always its first ones.
 * Every question is answered over runs (two per pool at most), never over slots or units.
 */
export class CreationOrder {
  readonly runs: readonly SlotRun[];
  /** Where the gap between the current nodes and the growth starts. */
  readonly gapStart: bigint;
  /** One past the last unit of the last slot. */
  readonly end: bigint;
  private readonly byPool = new Map<ResolvedPool, SlotRun[]>();

  constructor(
    pools: readonly ResolvedPool[],
    perNode: (pool: ResolvedPool) => bigint,
    start: bigint,
    gap = 0n,
    bounds: CreationBounds = {},
  ) {
    const runs: SlotRun[] = [];
    let next = start;
    const add = (pool: ResolvedPool, firstIndex: number, asked: number) => {
      const units = perNode(pool);
      const count = Math.min(asked, placeable(pool, firstIndex, units, next, bounds));
      if (count <= 0) return;
      const end = next + units * BigInt(count);
      const run = { pool, firstIndex, count, start: next, perNode: units, end };
      runs.push(run);
      this.byPool.set(pool, [...(this.byPool.get(pool) ?? []), run]);
      next = run.end;
    };
    for (const pool of pools) add(pool, 0, pool.size.current);
    this.gapStart = next;
    next += gap;
    for (const pool of pools) add(pool, pool.size.current, pool.size.duringUpgrade - pool.size.current);
    this.runs = runs;
    this.end = next;
  }

  /** The first unit of slot `index` of `pool`; undefined when the pool has no such slot. */
  startOf(pool: ResolvedPool, index: number): bigint | undefined {
    const run = this.byPool.get(pool)?.find((r) => index >= r.firstIndex && index < r.firstIndex + r.count);
    return run && run.start + run.perNode * BigInt(index - run.firstIndex);
  }

  /** How many of a pool's slots take units: always its first ones. */
  placed(pool: ResolvedPool): number {
    return (this.byPool.get(pool) ?? []).reduce((sum, run) => sum + run.count, 0);
  }

  /** The slot whose units hold `offset`, or undefined in the gap, before the first or after the last. */
  at(offset: bigint): SlotPosition | undefined {
    const run = this.runAt(offset);
    if (run === undefined) return undefined;
    const within = offset - run.start;
    return { run, index: run.firstIndex + Number(within / run.perNode), position: within % run.perNode };
  }

  /** Runs are sorted by start and never overlap: a binary search finds the one holding `offset`. */
  private runAt(offset: bigint): SlotRun | undefined {
    let low = 0;
    let high = this.runs.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const run = this.runs[middle] as SlotRun;
      if (offset < run.start) high = middle - 1;
      else if (offset >= run.end) low = middle + 1;
      else return run;
    }
    return undefined;
  }
}

/** How many slots of `pool` from `firstIndex` on can take units from `next`. */
function placeable(
  pool: ResolvedPool,
  firstIndex: number,
  units: bigint,
  next: bigint,
  bounds: CreationBounds,
): number {
  const creatable = (bounds.creatable?.(pool) ?? Number.POSITIVE_INFINITY) - firstIndex;
  if (bounds.end === undefined) return creatable;
  const room = bounds.end > next ? (bounds.end - next) / units : 0n;
  // Room for more slots than any pool has (a large IPv6 range) is room enough.
  return Math.min(creatable, room > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(room));
}
