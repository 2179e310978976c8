import type { ChangeContext } from '../domain/auth/actor.js';
import type { RangeKind } from '../domain/design/range-kind.js';
import type { PlanSpec } from '../domain/design/spec.js';
import type { Cidr, IpAddress } from '../domain/ip/index.js';
import type { Labels } from '../domain/labels.js';
import type { PlanRange } from '../domain/layout/layout-types.js';
import type { RealNode } from '../domain/nodes/real-node.js';
import type { ObservedPods, PodAddress } from '../domain/pods/pod-address.js';
import type { ListQuery, Page, PageQuery } from './page.js';
import type { ClosedCursor, HeldInterval, RecordedRows, StoredInterval } from './pod-row.js';

export interface StoredPlan {
  readonly id: string;
  readonly name: string;
  readonly revision: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly spec: PlanSpec;
  readonly defaultsApplied: readonly string[];
  readonly labels: Labels;
}

/** What a create or replace writes: the design, the ranges it occupies, and its labels. */
export interface PlanWrite {
  readonly spec: PlanSpec;
  readonly defaultsApplied: readonly string[];
  readonly ranges: readonly PlanRange[];
  readonly labels: Labels;
}

/** Enough to name a plan and know whether a cached layout of it is current. */
export interface PlanRef {
  readonly id: string;
  readonly name: string;
  readonly revision: number;
}

export type PlanPage = Page<StoredPlan>;

/**
 * Run by a write on its plan as its transaction reads it, after the write's lock: throws to
 * refuse the write. A caller checks there what it checked before, where the plan may have
 * changed in between (another team's now, on another replica too).
 */
export type PlanCheck = (plan: StoredPlan) => void;

/**
 * Where plans live. Each method is one whole unit of work, done atomically by the
 * implementation. Every write records an audit entry for its `change` (the system's when not
 * given) in its own transaction; plan writes also keep the new revision in the plan's history.
 * done atomically by the
 * implementation; errors are DomainErrors with stable codes (PLAN_NAME_TAKEN,
 * PLAN_NOT_FOUND, REVISION_MISMATCH, CURSOR_INVALID).
 */
export interface PlanStore extends PlanIndexSource {
  createPlan(plan: PlanWrite, change?: ChangeContext): Promise<StoredPlan>;
  /** By id, or by name. */
  getPlan(idOrName: string): Promise<StoredPlan | undefined>;
  listPlans(query: ListQuery): Promise<PlanPage>;
  /** Replaces the design when the stored revision is `expectedRevision`; bumps the revision. */
  replacePlan(
    id: string,
    expectedRevision: number,
    plan: PlanWrite,
    change?: ChangeContext,
  ): Promise<StoredPlan>;
  /** Deletes the plan (with `expectedRevision`, only at that revision); false when there is none. */
  deletePlan(
    id: string,
    expectedRevision?: number,
    change?: ChangeContext,
    check?: PlanCheck,
  ): Promise<boolean>;
  /** For each address, in input order, the plans with a range containing it, by id. */
  plansContaining(addresses: readonly IpAddress[]): Promise<PlanRef[][]>;
  getPlans(ids: readonly string[]): Promise<StoredPlan[]>;
  /**
   * Records (or updates) real nodes of a plan, all in one transaction. An import
   * (`nodes.import`) is the cluster's whole node list: the plan's nodes it does not name are
   * gone (scaled down, replaced by an upgrade) and are removed; an import observed before the
   * plan's last recorded node is refused (OBSERVED_AT_INVALID).
   */
  recordNodes(
    planId: string,
    nodes: readonly RealNode[],
    change?: ChangeContext,
    action?: 'nodes.record' | 'nodes.import',
    /** When the nodes were observed (RFC 3339 UTC); now by default. */
    observedAt?: string,
    check?: PlanCheck,
  ): Promise<void>;
  /** The recorded nodes of a plan, by name. */
  nodes(planId: string): Promise<RealNode[]>;
  /** How many nodes are recorded per pool of each of `planIds` that has any, in one read. */
  recordedNodesPerPool(planIds: readonly string[]): Promise<Map<string, Map<string, number>>>;
  /** The plans among `planIds` that have recorded nodes. */
  plansWithNodes(planIds: readonly string[]): Promise<Set<string>>;
  /**
   * The recorded nodes of a plan whose node IP is one of `nodeIps` or whose pod CIDR holds
   * one of `podAddresses`, by name.
   */
  nodesAt(
    planId: string,
    nodeIps: readonly IpAddress[],
    podAddresses: readonly IpAddress[],
  ): Promise<RealNode[]>;
  /**
   * Applies a pod import observed at `at` to the plan's address history in one transaction:
   * the intervals it no longer sees close at `at`, new ones open, what it sees again stays. An
   * `at` before the plan's last pod import is refused (OBSERVED_AT_INVALID). Pods already keyed
   * (as an import reads them) are compared by key alone.
   */
  recordPods(
    planId: string,
    pods: ObservedPods | readonly PodAddress[],
    at: string,
    change?: ChangeContext,
    check?: PlanCheck,
  ): Promise<PodImportResult>;
  /**
   * The plan's intervals holding each address at `at`; without `at`, the open ones. Intervals
   * that ended before `expiredBefore` (retention's horizon) are not answered, pruned yet or not.
   */
  podsAt(
    planId: string,
    ips: readonly IpAddress[],
    at?: string,
    expiredBefore?: string,
  ): Promise<HeldInterval[]>;
  /**
   * A page of a plan's pod intervals for its records in memory, host-network ones left out: at
   * most `limit` rows after row `after`, in row order. The plan's count of pod imports is read
   * first, so the rows are at least as recent as it.
   */
  podIntervalPage(planId: string, after: number, limit: number): Promise<RecordedRows>;
  /**
   * As `podIntervalPage`: the rows the plan's imports after the first `imports` closed, by
   * import then row, from `after` on (a catch-up's changes to rows it holds).
   */
  podIntervalsClosedSince(
    planId: string,
    imports: number,
    after: ClosedCursor | undefined,
    limit: number,
  ): Promise<RecordedRows>;
  /** One address's intervals in a plan, newest first, but those that ended before `expiredBefore`. */
  addressHistory(
    planId: string,
    ip: IpAddress,
    page: PageQuery,
    expiredBefore?: string,
  ): Promise<Page<StoredInterval>>;
  /** Drops at most `limit` intervals closed before `cutoff`; answers how many went. */
  pruneAddressHistory(cutoff: string, limit: number): Promise<number>;
  /** True when the database can serve: it answers, it is the one opened, and it is migrated. */
  isReady(): Promise<boolean>;
  close(): Promise<void>;
}

/** What a pod import did to a plan's history. */
export interface PodImportResult {
  readonly observedAt: string;
  /** Addresses the import saw. */
  readonly seen: number;
  readonly opened: number;
  readonly closed: number;
}

/** What the lookup index keeps of a plan: enough to find it by address and to filter it. */
export interface IndexedPlan extends PlanRef {
  readonly labels: Labels;
  /** Whether real nodes or pods are recorded against the plan (lookups then ask for them). */
  readonly hasNodes: boolean;
  /** The ranges whose addresses the plan answers for (its VNet is not one of them). */
  readonly ranges: readonly { readonly kind: RangeKind; readonly cidr: Cidr }[];
}

/** The plans changed since a version: their current state, and the ids of deleted ones. */
export interface IndexChanges {
  readonly version: number;
  readonly plans: readonly IndexedPlan[];
  readonly removed: readonly string[];
}

/**
 * Where an in-memory lookup index learns of changes, also those other processes make. The
 * version grows with every committed plan change; reading it must be cheap (once per lookup).
 */
export interface PlanIndexSource {
  /**
   * Read by a query started at or after `startedAfter` (performance.now(); default: now). A
   * store that can read it at once (SQLite) answers a number, so a lookup need not wait.
   */
  changeVersion(startedAfter?: number): number | Promise<number>;
  indexSnapshot(): Promise<{ readonly version: number; readonly plans: readonly IndexedPlan[] }>;
  /** The changes after `version`, or undefined when the log no longer reaches back that far. */
  indexChangesSince(version: number): Promise<IndexChanges | undefined>;
  /**
   * Where a backend that hears of commits (PostgreSQL's LISTEN) says so, soon after each: the
   * index then catches up before it is asked. Lookups check the version anyway.
   */
  onPlanChanges?(listener: () => void): void;
}
