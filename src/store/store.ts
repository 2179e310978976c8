import type { ChangeContext } from '../domain/auth/actor.js';
import { refusalAt } from '../domain/errors.js';
import type { Cidr } from '../domain/ip/index.js';
import type { Labels } from '../domain/labels.js';
import type { AllocationRequest } from '../domain/space/allocation-request.js';
import type { HeldRange } from '../domain/space/conflicts.js';
import type { AuditStore } from './audit-store.js';
import type { PlanStore, PlanWrite, StoredPlan } from './plan-store.js';
import type { SpaceCheck, SpaceStore, StoredAllocation } from './space-store.js';
import type { TokenStore } from './token-store.js';

/** One block a new plan takes from a space. */
export interface SpaceAsk {
  readonly space: string;
  /** The field of the plan that named the space: a refusal is said of it. */
  readonly path: string;
  readonly request: AllocationRequest;
  readonly purpose: string;
  /** Run on the space as the unit of work reads it (locked), before its block is taken. */
  readonly check?: SpaceCheck;
}

/** A space's refusal of an ask, said of the plan's field that named the space. */
export function refusedFor(ask: Pick<SpaceAsk, 'space' | 'path'>, error: unknown): unknown {
  return refusalAt(ask.path, `space ${ask.space}`, error);
}

/** A unit of work either commits, or answers the same and rolls everything back. */
export type UnitOfWorkMode = 'commit' | 'dry-run';

/** What a plan needs written, decided from the blocks it was given. */
export interface PlanDecision {
  readonly write: PlanWrite;
}

export interface PlanFromSpaces<D extends PlanDecision> {
  /** The stored plan; null for a dry run. */
  readonly plan: StoredPlan | null;
  readonly allocations: readonly StoredAllocation[];
  /** What `decide` answered for the blocks. */
  readonly decision: D;
}

/**
 * Everything the service keeps: plans, and the address spaces they may draw from. Each method
 * is one unit of work in one backend transaction: it reads, calls a pure synchronous domain
 * decision, and writes. Errors are DomainErrors with stable codes.
 */
export interface Store extends PlanStore {
  readonly spaces: SpaceStore;
  readonly tokens: TokenStore;
  readonly audit: AuditStore;
  /**
   * Allocates each block, decides the plan on those blocks (`decide` is pure and may throw)
   * and stores both, as one unit of work: either the allocations and the plan exist, or
   * neither does. A dry run answers the same and writes nothing.
   */
  createPlanFromSpaces<D extends PlanDecision>(
    asks: readonly SpaceAsk[],
    decide: (blocks: readonly Cidr[]) => D,
    mode: UnitOfWorkMode,
    change?: ChangeContext,
  ): Promise<PlanFromSpaces<D>>;
  /** Every range a stored plan uses and every allocation, for conflict checks. */
  /** With `team`, only what that team sees (its plans, allocations of spaces it sees). */
  heldRanges(team?: Labels): Promise<HeldRange[]>;
}
