import type { Database } from 'better-sqlite3';
import { type ChangeContext, SYSTEM_CHANGE } from '../../domain/auth/actor.js';
import type { Cidr, IpAddress } from '../../domain/ip/index.js';
import type { Labels } from '../../domain/labels.js';
import type { RealNode } from '../../domain/nodes/real-node.js';
import { ImportComparison } from '../../domain/pods/address-history.js';
import type { PodAddress } from '../../domain/pods/pod-address.js';
import { ObservedPods } from '../../domain/pods/pod-address.js';
import { clearOfTaken } from '../../domain/space/allocation-request.js';
import type { HeldRange } from '../../domain/space/conflicts.js';
import { mapInSteps, runInSteps, TimeSlices, yieldToEventLoop } from '../../event-loop.js';
import { allocationTarget, planTarget } from '../audit-targets.js';
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
import {
  type ClosedCursor,
  type HeldInterval,
  intervalValues,
  openRowKey,
  type RecordedRows,
  type StoredInterval,
} from '../pod-row.js';
import type { StoredAllocation } from '../space-store.js';
import {
  type PlanDecision,
  type PlanFromSpaces,
  refusedFor,
  type SpaceAsk,
  type Store,
  type UnitOfWorkMode,
} from '../store.js';
import { AllocationRows } from './allocation-rows.js';
import { AuditRows } from './audit-rows.js';
import { FreeBlockRows } from './free-block-rows.js';
import { heldRanges } from './held-ranges.js';
import type { HandedBack, ImportJob, JobResult, NodesJob, PodsJob } from './import-write.js';
import { type ImportWriter, ROWS_WRITTEN_ELSEWHERE } from './import-writer.js';
import { IndexRows } from './index-rows.js';
import { nodeValues, PlanNodes } from './plan-nodes.js';
import { PlanRows, planOf } from './plan-rows.js';
import { PodHistory, type PreparedImport } from './pod-history.js';
import { SpaceRows } from './space-rows.js';
import { SqliteAuditStore } from './sqlite-audit-store.js';
import { SqliteSpaceStore } from './sqlite-space-store.js';
import { SqliteTokenStore } from './sqlite-token-store.js';
import { UnitsOfWork } from './units-of-work.js';
import { BACKSTOP_PAGES, WalCheckpoints } from './wal-checkpoints.js';

/**
 * Times a large import goes to the import writer while plans change under it: each time it is
 * checked and compared again first. Past them the store writes it itself, on the event loop.
 */
const ATTEMPTS_ELSEWHERE = 3;

/** The rows a compared import writes: intervals opened and closed. */
const importRows = (prepared: PreparedImport) => prepared.opened.length + prepared.close.length;

/**
 * Open intervals read at once before an import: a few ms. Reads run back to back for
 * OPEN_READS_MS, then let the event loop in: 5,000 at once held it for 50-110 ms (rows and
 * their collection) once a plan's history had grown (bench/pods.ts).
 */
const OPEN_ROWS_PER_READ = 1_000;
const OPEN_READS_MS = 10;

/** Plans parsed between pauses of a page: 25 of 100 pools take about 10 ms. */
const PLANS_PARSED_PER_STEP = 25;

/**
 * Plans and spaces in one SQLite database, so that work spanning both is one transaction.
 * Composed of synchronous row modules; each method here is one unit of work over them.
 */
export class SqliteStore implements Store {
  readonly spaces: SqliteSpaceStore;
  readonly tokens: SqliteTokenStore;
  readonly audit: SqliteAuditStore;
  private readonly auditRows: AuditRows;
  private readonly units: UnitsOfWork;
  private readonly plans: PlanRows;
  private readonly spaceRows: SpaceRows;
  private readonly allocations: AllocationRows;
  private readonly planNodes: PlanNodes;
  private readonly podHistory: PodHistory;
  private readonly index: IndexRows;
  private readonly checkpoints?: WalCheckpoints;

  constructor(
    private readonly db: Database,
    private readonly ready: () => boolean,
    private readonly clock: StoreClock,
    /**
     * Writes large pod imports, and checkpoints, off the event loop: for a database file, not
     * one in memory.
     */
    private readonly importWriter?: ImportWriter,
  ) {
    if (importWriter !== undefined) {
      db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
      this.checkpoints = new WalCheckpoints(() => importWriter.checkpoint());
    }
    this.units = new UnitsOfWork(db, () => this.checkpoints?.noteCommit(), ready);
    this.auditRows = new AuditRows(db, clock);
    this.audit = new SqliteAuditStore(this.units, this.auditRows);
    this.plans = new PlanRows(db, clock);
    this.spaceRows = new SpaceRows(db, clock);
    const freeBlocks = new FreeBlockRows(db);
    this.allocations = new AllocationRows(db, clock, freeBlocks);
    this.planNodes = new PlanNodes(db, clock);
    this.podHistory = new PodHistory(db);
    this.index = new IndexRows(db);
    this.spaces = new SqliteSpaceStore(
      this.units,
      this.spaceRows,
      this.allocations,
      freeBlocks,
      this.auditRows,
    );
    this.tokens = new SqliteTokenStore(db, this.units, clock, this.auditRows);
  }

  createPlan(plan: PlanWrite, change: ChangeContext = SYSTEM_CHANGE): Promise<StoredPlan> {
    return this.units.write(() => this.planCreated(this.plans.insert(plan, change.team), change));
  }

  createPlanFromSpaces<D extends PlanDecision>(
    asks: readonly SpaceAsk[],
    decide: (blocks: readonly Cidr[]) => D,
    mode: UnitOfWorkMode,
    change: ChangeContext = SYSTEM_CHANGE,
  ): Promise<PlanFromSpaces<D>> {
    return this.units.run(mode, () => {
      const taken: StoredAllocation[] = [];
      for (const ask of asks) {
        try {
          // The blocks are the plan's team's, as if that team had taken them directly.
          const space = this.spaceRows.find(ask.space);
          ask.check?.(space);
          const request = clearOfTaken(
            ask.request,
            taken.map((t) => t.cidr),
          );
          const { allocation } = this.allocations.allocate(space, request, {
            purpose: ask.purpose,
            ownerLabels: change.team ?? {},
          });
          taken.push(allocation);
        } catch (error) {
          throw refusedFor(ask, error);
        }
      }
      const decision = decide(taken.map((a) => a.cidr));
      if (mode === 'dry-run') return { plan: null, allocations: taken, decision };
      const plan = this.planCreated(this.plans.insert(decision.write, change.team), change);
      this.allocations.assignToPlan(
        taken.map((a) => a.id),
        plan.id,
      );
      for (const a of taken)
        this.auditRows.record(change, { action: 'allocation.create', target: allocationTarget(a) });
      return { plan, allocations: taken.map((a) => ({ ...a, planId: plan.id })), decision };
    });
  }

  getPlan(idOrName: string): Promise<StoredPlan | undefined> {
    return this.units.read(() => this.plans.get(idOrName));
  }

  getPlans(ids: readonly string[]): Promise<StoredPlan[]> {
    return this.units.read(() => this.plans.many(ids));
  }

  /** Read in one snapshot, then parsed a few plans at a time: the event loop runs in between. */
  async listPlans(query: ListQuery): Promise<PlanPage> {
    const { items, nextCursor } = await this.units.read(() => this.plans.pageRows(query));
    return { items: await mapInSteps(items, PLANS_PARSED_PER_STEP, planOf), nextCursor };
  }

  replacePlan(
    id: string,
    expectedRevision: number,
    plan: PlanWrite,
    change: ChangeContext = SYSTEM_CHANGE,
  ): Promise<StoredPlan> {
    return this.units.write(() => {
      const replaced = this.plans.replace(id, expectedRevision, plan, change.team);
      this.auditRows.recordRevision(change, replaced);
      this.auditRows.record(change, {
        action: 'plan.replace',
        target: planTarget(replaced),
        before: replaced.revision - 1,
        after: replaced.revision,
      });
      return replaced;
    });
  }

  /** Deleting a plan releases the blocks it took from spaces; its history stays. */
  deletePlan(
    id: string,
    expectedRevision?: number,
    change: ChangeContext = SYSTEM_CHANGE,
    check?: PlanCheck,
  ): Promise<boolean> {
    return this.units.write(() => {
      const plan = this.plans.get(id);
      if (plan !== undefined) check?.(plan);
      // Released first: allocations reference the plan. A refused delete rolls the release back.
      for (const a of this.allocations.releaseOfPlan(id))
        this.auditRows.record(change, { action: 'allocation.release', target: allocationTarget(a) });
      const deleted = this.plans.delete(id, expectedRevision);
      if (deleted && plan !== undefined)
        this.auditRows.record(change, {
          action: 'plan.delete',
          target: planTarget(plan),
          before: plan.revision,
        });
      return deleted;
    });
  }

  plansContaining(addresses: readonly IpAddress[]): Promise<PlanRef[][]> {
    return this.units.read(() => addresses.map((address) => this.plans.containingAddress(address)));
  }

  async recordNodes(
    planId: string,
    nodes: readonly RealNode[],
    change: ChangeContext = SYSTEM_CHANGE,
    action: 'nodes.record' | 'nodes.import' = 'nodes.record',
    observedAt?: string,
    check?: PlanCheck,
  ): Promise<void> {
    const job = (plan: StoredPlan): NodesJob => ({
      ...this.checkedImport(plan, change),
      kind: 'nodes',
      action,
      ...(observedAt === undefined ? {} : { observedAt }),
    });
    for (let attempt = 1; this.writesElsewhere(nodes.length); attempt++) {
      const written = await this.elsewhere(planId, check, job, nodes, nodeValues);
      if (written === true) return;
      if (written === 'write-here' || attempt === ATTEMPTS_ELSEWHERE) break;
    }
    return this.units.write(() => {
      const plan = this.plans.read(planId);
      check?.(plan);
      if (action === 'nodes.import') this.planNodes.replace(planId, nodes, observedAt);
      else this.planNodes.upsert(planId, nodes, observedAt);
      this.index.noteChange(planId);
      this.auditRows.record(change, { action, target: planTarget(plan) });
    });
  }

  nodes(planId: string): Promise<RealNode[]> {
    return this.units.read(() => this.planNodes.list(planId));
  }

  recordedNodesPerPool(planIds: readonly string[]): Promise<Map<string, Map<string, number>>> {
    return this.units.read(() => this.planNodes.perPool(planIds));
  }

  plansWithNodes(planIds: readonly string[]): Promise<Set<string>> {
    return this.units.read(() => this.planNodes.plansWithNodes(planIds));
  }

  nodesAt(
    planId: string,
    nodeIps: readonly IpAddress[],
    podAddresses: readonly IpAddress[],
  ): Promise<RealNode[]> {
    return this.units.read(() => this.planNodes.at(planId, nodeIps, podAddresses));
  }

  /**
   * A pod import: compared with the plan's open intervals before its transaction, read and
   * compared a page at a time with the event loop let in (a later import of 100,000 pods held it
   * for 0.6-0.8 s in the transaction), then written in one transaction that compares again only
   * if another import came in between.
   */
  async recordPods(
    planId: string,
    pods: ObservedPods | readonly PodAddress[],
    at: string,
    change: ChangeContext = SYSTEM_CHANGE,
    check?: PlanCheck,
  ): Promise<PodImportResult> {
    const observed = ObservedPods.of(pods);
    let prepared = await this.preparedImport(planId, observed, at);
    for (let attempt = 1; this.writesElsewhere(importRows(prepared)); attempt++) {
      const written = await this.podsElsewhere(planId, observed, at, prepared, change, check);
      if (typeof written === 'object') return written;
      if (written === 'write-here' || attempt === ATTEMPTS_ELSEWHERE) break;
      // Another import, or a change of the plan, came between its comparison and its write.
      prepared = await this.preparedImport(planId, observed, at);
    }
    return this.units.write(() => {
      const plan = this.plans.read(planId);
      check?.(plan);
      const result = this.podHistory.apply(planId, observed, at, prepared);
      this.index.noteChange(planId);
      this.auditRows.record(change, { action: 'pods.import', target: planTarget(plan) });
      return result;
    });
  }

  /** A pod import, checked here, written by the import writer on its thread, or handed back. */
  private podsElsewhere(
    planId: string,
    observed: ObservedPods,
    at: string,
    prepared: PreparedImport,
    change: ChangeContext,
    check: PlanCheck | undefined,
  ): Promise<PodImportResult | HandedBack> {
    const job = (plan: StoredPlan): PodsJob => ({
      ...this.checkedImport(plan, change),
      kind: 'pods',
      imports: prepared.imports,
      at,
      close: prepared.close.map((row) => Number(row.seq)),
      seen: observed.count,
    });
    return this.elsewhere(planId, check, job, prepared.opened, (pod) => intervalValues(pod, at));
  }

  /**
   * Whether a write of this many rows is the import writer's: a large import, in a database
   * file. A first import of 100,000 pods held the event loop for 1.9 s in its transaction.
   */
  private writesElsewhere(rows: number): boolean {
    return this.importWriter !== undefined && rows >= ROWS_WRITTEN_ELSEWHERE;
  }

  /**
   * `job` of the plan, checked here, with a row for each item, written by the import writer on its
   * thread while this store's other writes wait, or handed back (ImportWrites).
   */
  private async elsewhere<J extends ImportJob, T>(
    planId: string,
    check: PlanCheck | undefined,
    job: (plan: StoredPlan) => J,
    items: readonly T[],
    valuesOf: (item: T) => readonly unknown[],
  ): Promise<JobResult<J> | HandedBack> {
    const writer = this.importWriter;
    if (writer === undefined) return 'write-here';
    return this.units.elsewhereExclusive(() => {
      const plan = this.plans.read(planId);
      check?.(plan);
      return writer.write(job(plan), items, valuesOf);
    });
  }

  private checkedImport(plan: StoredPlan, change: ChangeContext) {
    const recordedAt = this.clock.now().toISOString();
    return { planId: plan.id, revision: plan.revision, recordedAt, change, target: planTarget(plan) };
  }

  private async preparedImport(planId: string, pods: ObservedPods, at: string): Promise<PreparedImport> {
    const imports = await this.units.read(() => this.podHistory.importCount(planId));
    const comparison = new ImportComparison(openRowKey, pods, at);
    const slices = new TimeSlices(OPEN_READS_MS);
    // Each page compared as it is read: the rows that stay open are garbage at once.
    for (let after = 0; ; ) {
      const page = await this.units.read(() => this.podHistory.openPage(planId, after, OPEN_ROWS_PER_READ));
      await runInSteps(comparison.compare(page), () => slices.maybePause());
      after = Number(page.at(-1)?.seq ?? after);
      if (page.length < OPEN_ROWS_PER_READ) break;
      await slices.maybePause();
    }
    return { imports, ...(await runInSteps(comparison.changes())) };
  }

  podsAt(
    planId: string,
    ips: readonly IpAddress[],
    at?: string,
    expiredBefore?: string,
  ): Promise<HeldInterval[]> {
    return this.units.read(() => this.podHistory.heldAt(planId, ips, at, expiredBefore));
  }

  podIntervalPage(planId: string, after: number, limit: number): Promise<RecordedRows> {
    return this.units.read(() => this.podHistory.page(planId, after, limit));
  }

  podIntervalsClosedSince(
    planId: string,
    imports: number,
    after: ClosedCursor | undefined,
    limit: number,
  ): Promise<RecordedRows> {
    return this.units.read(() => this.podHistory.closedSince(planId, imports, after, limit));
  }

  addressHistory(
    planId: string,
    ip: IpAddress,
    page: PageQuery,
    expiredBefore?: string,
  ): Promise<Page<StoredInterval>> {
    return this.units.read(() => this.podHistory.history(planId, ip, page, expiredBefore));
  }

  pruneAddressHistory(cutoff: string, limit: number): Promise<number> {
    return this.units.write(() => {
      const { removed, plans } = this.podHistory.prune(cutoff, limit);
      // Readers holding these plans' records in memory read them anew (see pod_imports.pruned).
      for (const plan of plans) this.index.noteChange(plan);
      return removed;
    });
  }

  /**
   * One indexed read of the change log's newest entry: cheap enough for every lookup, and
   * shared by the requests that arrived before it (see RecentRead). A number, not a promise:
   * a lookup with the index current answers in the turn it arrived.
   */
  changeVersion(startedAfter?: number): number {
    return this.index.changeVersion(startedAfter);
  }

  indexSnapshot(): Promise<{ version: number; plans: IndexedPlan[] }> {
    return this.units.read(() => this.index.snapshot());
  }

  indexChangesSince(version: number): Promise<IndexChanges | undefined> {
    return this.units.read(() => this.index.changesSince(version));
  }

  heldRanges(team: Labels = {}): Promise<HeldRange[]> {
    // Read in steps with the event loop let in between (see heldRanges).
    return heldRanges(this.db, team, () => yieldToEventLoop());
  }

  /** A new plan's first revision and its audit entry. */
  private planCreated(plan: StoredPlan, change: ChangeContext): StoredPlan {
    this.auditRows.recordRevision(change, plan);
    this.auditRows.record(change, { action: 'plan.create', target: planTarget(plan), after: plan.revision });
    return plan;
  }

  async isReady(): Promise<boolean> {
    return this.ready();
  }

  async close(): Promise<void> {
    this.checkpoints?.close();
    await this.importWriter?.close();
    if (this.db.open) this.db.close();
  }
}
