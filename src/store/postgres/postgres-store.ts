import { type ChangeContext, SYSTEM_CHANGE } from '../../domain/auth/actor.js';
import type { Cidr, IpAddress } from '../../domain/ip/index.js';
import type { Labels } from '../../domain/labels.js';
import type { RealNode } from '../../domain/nodes/real-node.js';
import type { PodAddress } from '../../domain/pods/pod-address.js';
import { ObservedPods } from '../../domain/pods/pod-address.js';
import { clearOfTaken } from '../../domain/space/allocation-request.js';
import type { HeldRange } from '../../domain/space/conflicts.js';
import type { AuditEntry, AuditQuery, AuditStore, PlanRevision } from '../audit-store.js';
import { allocationTarget, planTarget } from '../audit-targets.js';
import { heldRangesInSteps } from '../held-range-rows.js';
import type { ListQuery, Page, PageQuery, StoreClock } from '../page.js';
import type {
  IndexChanges,
  IndexedPlan,
  PlanCheck,
  PlanPage,
  PlanRef,
  PlanWrite,
  PodImportResult,
  StoredPlan,
} from '../plan-store.js';
import type { ClosedCursor, HeldInterval, RecordedRows, StoredInterval } from '../pod-row.js';
import type { StoredSpace } from '../space-store.js';
import {
  type PlanDecision,
  type PlanFromSpaces,
  refusedFor,
  type SpaceAsk,
  type Store,
  type UnitOfWorkMode,
} from '../store.js';
import { PgAllocationRows } from './allocation-rows.js';
import { PgAuditRows } from './audit-rows.js';
import type { PgConnection } from './connection.js';
import { PgFreeBlocks } from './free-blocks.js';
import { heldRangeRows } from './held-ranges.js';
import { PgIndexRows } from './index-rows.js';
import { lockPlanWrites, PLAN_WRITES_WAIT } from './locks.js';
import { PgPlanNodes } from './plan-nodes.js';
import { PgPlanRows } from './plan-rows.js';
import { PgPodHistory } from './pod-history.js';
import { PgSpaceRows } from './space-rows.js';
import { PgSpaceStore } from './space-store.js';
import type { Sql } from './sql.js';
import { PgTokenStore } from './token-store.js';
import type { PgUnitsOfWork } from './units-of-work.js';

/**
 * Plans, spaces, tokens and the audit trail in one PostgreSQL database, for several replicas.
 * Each method is one transaction; plan writes take the plan-writes lock first and spaces their
 * row locks after it, always in that order.
 */
export class PostgresStore implements Store {
  readonly spaces: PgSpaceStore;
  readonly tokens: PgTokenStore;
  readonly audit: AuditStore;
  private readonly units: PgUnitsOfWork;
  private readonly auditRows: PgAuditRows;
  private readonly plans: PgPlanRows;
  private readonly spaceRows: PgSpaceRows;
  private readonly allocations: PgAllocationRows;
  private readonly planNodes: PgPlanNodes;
  private readonly podHistory = new PgPodHistory();
  private readonly index = new PgIndexRows();

  constructor(
    private readonly connection: PgConnection,
    clock: StoreClock,
  ) {
    this.units = connection.units;
    this.auditRows = new PgAuditRows(clock);
    this.plans = new PgPlanRows(clock);
    this.spaceRows = new PgSpaceRows(clock);
    const freeBlocks = new PgFreeBlocks();
    this.allocations = new PgAllocationRows(clock, freeBlocks);
    this.planNodes = new PgPlanNodes(clock);
    this.spaces = new PgSpaceStore(this.units, this.spaceRows, this.allocations, freeBlocks, this.auditRows);
    this.tokens = new PgTokenStore(this.units, clock, this.auditRows, (startedAfter) =>
      connection.tokenVersion(startedAfter),
    );
    this.audit = auditStore(this.units, this.auditRows);
  }

  createPlan(plan: PlanWrite, change: ChangeContext = SYSTEM_CHANGE): Promise<StoredPlan> {
    return this.units.write(async (sql) => {
      await lockPlanWrites(sql);
      return this.planCreated(sql, await this.plans.insert(sql, plan, change.team), change);
    }, PLAN_WRITES_WAIT);
  }

  createPlanFromSpaces<D extends PlanDecision>(
    asks: readonly SpaceAsk[],
    decide: (blocks: readonly Cidr[]) => D,
    mode: UnitOfWorkMode,
    change: ChangeContext = SYSTEM_CHANGE,
  ): Promise<PlanFromSpaces<D>> {
    return this.units.run(
      mode,
      async (sql) => {
        await lockPlanWrites(sql);
        // Spaces are locked in one order (by name or id as asked, sorted) before any is used.
        const spaces = new Map<string, StoredSpace>();
        for (const space of [...new Set(asks.map((a) => a.space))].sort()) {
          const path = asks.find((a) => a.space === space)?.path ?? '';
          const locked = await this.spaceRows.lock(sql, space).catch((error: unknown) => {
            throw refusedFor({ space, path }, error);
          });
          spaces.set(space, locked);
        }
        const taken = [];
        for (const ask of asks) {
          try {
            const space = spaces.get(ask.space);
            if (space === undefined) throw new Error(`space ${ask.space} was not locked`);
            ask.check?.(space);
            const request = clearOfTaken(
              ask.request,
              taken.map((t) => t.cidr),
            );
            const { allocation } = await this.allocations.allocate(sql, space, request, {
              purpose: ask.purpose,
              // The blocks are the plan's team's, as if that team had taken them directly.
              ownerLabels: change.team ?? {},
            });
            taken.push(allocation);
          } catch (error) {
            throw refusedFor(ask, error);
          }
        }
        const decision = decide(taken.map((a) => a.cidr));
        if (mode === 'dry-run') return { plan: null, allocations: taken, decision };
        const plan = await this.planCreated(
          sql,
          await this.plans.insert(sql, decision.write, change.team),
          change,
        );
        await this.allocations.assignToPlan(
          sql,
          taken.map((a) => a.id),
          plan.id,
        );
        for (const a of taken)
          await this.auditRows.record(sql, change, {
            action: 'allocation.create',
            target: allocationTarget(a),
          });
        return { plan, allocations: taken.map((a) => ({ ...a, planId: plan.id })), decision };
      },
      PLAN_WRITES_WAIT,
    );
  }

  getPlan(idOrName: string): Promise<StoredPlan | undefined> {
    return this.units.read((sql) => this.plans.get(sql, idOrName));
  }

  getPlans(ids: readonly string[]): Promise<StoredPlan[]> {
    return this.units.read((sql) => this.plans.many(sql, ids));
  }

  listPlans(query: ListQuery): Promise<PlanPage> {
    return this.units.read((sql) => this.plans.page(sql, query));
  }

  replacePlan(
    id: string,
    expectedRevision: number,
    plan: PlanWrite,
    change: ChangeContext = SYSTEM_CHANGE,
  ): Promise<StoredPlan> {
    return this.units.write(async (sql) => {
      await lockPlanWrites(sql);
      const replaced = await this.plans.replace(sql, id, expectedRevision, plan, change.team);
      await this.auditRows.recordRevision(sql, change, replaced);
      await this.auditRows.record(sql, change, {
        action: 'plan.replace',
        target: planTarget(replaced),
        before: replaced.revision - 1,
        after: replaced.revision,
      });
      return replaced;
    }, PLAN_WRITES_WAIT);
  }

  /** Deleting a plan releases the blocks it took from spaces; its history stays. */
  deletePlan(
    id: string,
    expectedRevision?: number,
    change: ChangeContext = SYSTEM_CHANGE,
    check?: PlanCheck,
  ): Promise<boolean> {
    return this.units.write(async (sql) => {
      await lockPlanWrites(sql);
      const plan = await this.plans.get(sql, id);
      if (plan === undefined || plan.id !== id) return false;
      check?.(plan);
      for (const spaceId of await this.allocations.spacesOfPlan(sql, id))
        await this.spaceRows.lock(sql, spaceId);
      // Released first: allocations reference the plan. A refused delete rolls the release back.
      for (const a of await this.allocations.releaseOfPlan(sql, id))
        await this.auditRows.record(sql, change, {
          action: 'allocation.release',
          target: allocationTarget(a),
        });
      const deleted = await this.plans.delete(sql, id, expectedRevision);
      if (deleted)
        await this.auditRows.record(sql, change, {
          action: 'plan.delete',
          target: planTarget(plan),
          before: plan.revision,
        });
      return deleted;
    }, PLAN_WRITES_WAIT);
  }

  plansContaining(addresses: readonly IpAddress[]): Promise<PlanRef[][]> {
    return this.units.read(async (sql) => {
      const found = [];
      for (const address of addresses) found.push(await this.plans.containingAddress(sql, address));
      return found;
    });
  }

  recordNodes(
    planId: string,
    nodes: readonly RealNode[],
    change: ChangeContext = SYSTEM_CHANGE,
    action: 'nodes.record' | 'nodes.import' = 'nodes.record',
    observedAt?: string,
    check?: PlanCheck,
  ): Promise<void> {
    return this.units.write(async (sql) => {
      // A plan's first node is logged as a plan change: the same lock orders it, and every
      // change to the plan, so the plan read after it stays as read until the commit.
      await lockPlanWrites(sql);
      const plan = await this.plans.read(sql, planId);
      check?.(plan);
      if (action === 'nodes.import') await this.planNodes.replace(sql, planId, nodes, observedAt);
      else await this.planNodes.upsert(sql, planId, nodes, observedAt);
      await this.index.noteChange(sql, planId);
      await this.auditRows.record(sql, change, { action, target: planTarget(plan) });
    }, PLAN_WRITES_WAIT);
  }

  nodes(planId: string): Promise<RealNode[]> {
    return this.units.read((sql) => this.planNodes.list(sql, planId));
  }

  recordedNodesPerPool(planIds: readonly string[]): Promise<Map<string, Map<string, number>>> {
    return this.units.read((sql) => this.planNodes.perPool(sql, planIds));
  }

  plansWithNodes(planIds: readonly string[]): Promise<Set<string>> {
    return this.units.read((sql) => this.planNodes.plansWithNodes(sql, planIds));
  }

  nodesAt(
    planId: string,
    nodeIps: readonly IpAddress[],
    podAddresses: readonly IpAddress[],
  ): Promise<RealNode[]> {
    return this.units.read((sql) => this.planNodes.at(sql, planId, nodeIps, podAddresses));
  }

  recordPods(
    planId: string,
    pods: ObservedPods | readonly PodAddress[],
    at: string,
    change: ChangeContext = SYSTEM_CHANGE,
    check?: PlanCheck,
  ): Promise<PodImportResult> {
    return this.units.write(async (sql) => {
      // A plan's first pod import is logged as a plan change: the same lock orders it (see
      // recordNodes).
      await lockPlanWrites(sql);
      const plan = await this.plans.read(sql, planId);
      check?.(plan);
      const result = await this.podHistory.apply(sql, planId, ObservedPods.of(pods), at);
      await this.index.noteChange(sql, planId);
      await this.auditRows.record(sql, change, { action: 'pods.import', target: planTarget(plan) });
      return result;
    }, PLAN_WRITES_WAIT);
  }

  podsAt(
    planId: string,
    ips: readonly IpAddress[],
    at?: string,
    expiredBefore?: string,
  ): Promise<HeldInterval[]> {
    return this.units.read((sql) => this.podHistory.heldAt(sql, planId, ips, at, expiredBefore));
  }

  podIntervalPage(planId: string, after: number, limit: number): Promise<RecordedRows> {
    return this.units.read((sql) => this.podHistory.page(sql, planId, after, limit));
  }

  podIntervalsClosedSince(
    planId: string,
    imports: number,
    after: ClosedCursor | undefined,
    limit: number,
  ): Promise<RecordedRows> {
    return this.units.read((sql) => this.podHistory.closedSince(sql, planId, imports, after, limit));
  }

  addressHistory(
    planId: string,
    ip: IpAddress,
    page: PageQuery,
    expiredBefore?: string,
  ): Promise<Page<StoredInterval>> {
    return this.units.read((sql) => this.podHistory.history(sql, planId, ip, page, expiredBefore));
  }

  pruneAddressHistory(cutoff: string, limit: number): Promise<number> {
    return this.units.write(async (sql) => {
      // The plan-writes lock first, as imports take it: logging the change takes it too, and
      // taking it after the rows would deadlock with an import of the same plan.
      await lockPlanWrites(sql);
      const { removed, plans } = await this.podHistory.prune(sql, cutoff, limit);
      // Readers holding these plans' records in memory read them anew (see pod_imports.pruned).
      for (const plan of plans) await this.index.noteChange(sql, plan);
      return removed;
    }, PLAN_WRITES_WAIT);
  }

  /** Concurrent lookups share one query (see SharedRead). */
  changeVersion(startedAfter?: number): Promise<number> {
    return this.connection.planVersion(startedAfter);
  }

  indexSnapshot(): Promise<{ version: number; plans: IndexedPlan[] }> {
    return this.units.read((sql) => this.index.snapshot(sql));
  }

  indexChangesSince(version: number): Promise<IndexChanges | undefined> {
    return this.units.read((sql) => this.index.changesSince(sql, version));
  }

  /** Called when another replica changes plans: the lookup index refreshes before it is asked. */
  onPlanChanges(listener: () => void): void {
    this.connection.onPlanChanges(listener);
  }

  async heldRanges(team?: Labels): Promise<HeldRange[]> {
    const { plans, allocations } = await this.units.read((sql) => heldRangeRows(sql, team));
    return heldRangesInSteps(plans, allocations);
  }

  /** Settles once the database has been reached and migrated (at once when it was at start). */
  connected(): Promise<void> {
    return this.connection.migratedOnce;
  }

  isReady(): Promise<boolean> {
    return this.connection.isReady();
  }

  close(): Promise<void> {
    return this.connection.close();
  }

  /** A new plan's first revision and its audit entry. */
  private async planCreated(sql: Sql, plan: StoredPlan, change: ChangeContext): Promise<StoredPlan> {
    await this.auditRows.recordRevision(sql, change, plan);
    await this.auditRows.record(sql, change, {
      action: 'plan.create',
      target: planTarget(plan),
      after: plan.revision,
    });
    return plan;
  }
}

/** Reading the audit trail and plan history; the writes record them. */
function auditStore(units: PgUnitsOfWork, rows: PgAuditRows): AuditStore {
  return {
    entries: (query: AuditQuery): Promise<Page<AuditEntry>> => units.read((sql) => rows.entries(sql, query)),
    forgetBefore: (cutoff: Date, limit: number) =>
      units.write((sql) => rows.forgetBefore(sql, cutoff, limit)),
    planRevisions: (planId: string, page: PageQuery, team: Labels = {}): Promise<Page<PlanRevision>> =>
      units.read((sql) => rows.revisions(sql, planId, page, team)),
    planRevision: (planId: string, revision: number) =>
      units.read((sql) => rows.revision(sql, planId, revision)),
  };
}
