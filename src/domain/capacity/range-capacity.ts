import type { CapacityKind } from '../design/range-kind.js';
import type { Cidr } from '../ip/index.js';
import { utilization, type Verdict, verdictFor } from './verdict.js';

/** Addresses a range needs now, at the autoscaler maxima, and at the maxima plus upgrade surge. */
export interface Requirement {
  readonly current: bigint;
  readonly atMaxCount: bigint;
  readonly duringUpgrade: bigint;
}

/** The capacity of one range a plan uses, as the public contract defines it. */
export interface RangeCapacity {
  readonly kind: CapacityKind;
  readonly cidr: Cidr;
  readonly total: bigint;
  readonly azureReserved: bigint;
  readonly usable: bigint;
  readonly required: Requirement;
  /** usable - required.duringUpgrade: negative is the shortfall of an exhausted range. */
  readonly free: bigint;
  readonly utilization: number;
  /** How many nodes fit in the range; null for ranges that hold no nodes (service CIDR). */
  readonly nodeSlots: bigint | null;
  readonly verdict: Verdict;
  readonly explain: string;
  /** Dynamic pod IP allocation: the least the range needs (one batch of 16 per node). */
  readonly requiredAtLeast?: Requirement;
  /** The longest prefix whose usable addresses hold required.duringUpgrade; null when none does. */
  readonly recommendedPrefixLength: number | null;
  /**
   * Addresses one more node slot of a pool adds to required.duringUpgrade, by the pool's index
   * in the spec (pools without nodes in the range are absent): how far each pool can grow.
   * Not enumerable, so not part of what a range reports or compares: a spread copy of a range
   * does not carry it, and max reach reads the ranges a layout made, never copies.
   */
  readonly perSlot: ReadonlyMap<number, bigint>;
}

/** What a range's own arithmetic decides; free, utilization and verdict follow from it. */
export type RangeFacts = Omit<RangeCapacity, 'free' | 'utilization' | 'verdict'>;

/** A range's capacity: free, utilization and verdict judged on the upgrade requirement. */
export function rangeCapacity<F extends RangeFacts>(facts: F): F & RangeCapacity {
  const { required, usable } = facts;
  const range = {
    ...facts,
    free: usable - required.duringUpgrade,
    utilization: utilization(required.duringUpgrade, usable),
    verdict: verdictFor(required.duringUpgrade, usable),
  };
  // Bookkeeping for max reach, not a figure the range reports: kept out of copies and equality.
  return Object.defineProperty(range, 'perSlot', { enumerable: false });
}
