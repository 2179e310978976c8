import type { Cidr } from '../domain/ip/index.js';
import type { AllocationRequest } from '../domain/space/allocation-request.js';
import type { HeldRange } from '../domain/space/conflicts.js';
import type { PlanStore, PlanWrite, StoredPlan } from './plan-store.js';
import type { SpaceStore, StoredAllocation } from './space-store.js';

/** One block a new plan takes from a space. */
export interface SpaceAsk {
  readonly space: string;
  readonly request: AllocationRequest;
  readonly purpose: string;
}

export interface PlanFromSpaces {
  /** The stored plan; null for a dry run. */
  readonly plan: StoredPlan | null;
  readonly allocations: readonly StoredAllocation[];
  readonly write: PlanWrite;
}

/** Everything the service keeps: plans, and the address spaces they may draw from. */
export interface Store extends PlanStore {
  readonly spaces: SpaceStore;
  /**
   * Allocates each block, builds the plan from the blocks (`build` may throw) and stores both,
   * as one unit of work: either the allocations and the plan exist, or neither does. A dry run
   * answers the same and writes nothing.
   */
  createPlanFromSpaces(
    asks: readonly SpaceAsk[],
    build: (blocks: readonly Cidr[]) => PlanWrite,
    dryRun: boolean,
  ): Promise<PlanFromSpaces>;
  /** Every range a stored plan uses and every allocation, for conflict checks. */
  heldRanges(): Promise<HeldRange[]>;
}
