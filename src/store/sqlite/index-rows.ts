import type { Database, Statement } from 'better-sqlite3';
import {
  assembleIndexedPlans,
  type IndexLabelRow,
  type IndexPlanRow,
  type IndexRangeRow,
} from '../indexed-plans.js';
import type { IndexChanges, IndexedPlan } from '../plan-store.js';
import { RecentRead } from './recent-read.js';

type PlanRow = IndexPlanRow;
type RangeRow = IndexRangeRow;
type LabelRow = IndexLabelRow;

/** The lookup index's view of the plans, and the change log that keeps it current. */
export class IndexRows {
  private readonly version: Statement<[], number>;
  private readonly note: Statement<[string]>;
  /** One plan's rows, read for each plan a catch-up finds changed: prepared once, not per plan. */
  private readonly one: {
    plan: Statement<[string], PlanRow>;
    ranges: Statement<[string], RangeRow>;
    labels: Statement<[string], LabelRow>;
    hasRecords: Statement<[string, string], unknown>;
  };

  constructor(private readonly db: Database) {
    this.version = db.prepare<[], number>('SELECT coalesce(max(seq), 0) FROM plan_changes').pluck();
    this.note = db.prepare('INSERT INTO plan_changes (plan_id) VALUES (?)');
    this.one = {
      plan: db.prepare('SELECT id, name, revision FROM plans WHERE id = ?'),
      ranges: db.prepare(
        "SELECT plan_id, kind, cidr FROM plan_ranges WHERE plan_id = ? AND kind <> 'vnet' ORDER BY rowid",
      ),
      labels: db.prepare('SELECT plan_id, key, value FROM plan_labels WHERE plan_id = ?'),
      hasRecords: db.prepare(
        'SELECT 1 FROM plan_nodes WHERE plan_id = ? UNION ALL SELECT 1 FROM pod_imports WHERE plan_id = ? LIMIT 1',
      ),
    };
  }

  /**
   * Logs a change of what a plan's records say (an import of its pods or nodes), inside the
   * caller's transaction: every process's lookup index then brings that plan's records up to date.
   */
  noteChange(planId: string): void {
    this.note.run(planId);
  }

  /** Read at or after `startedAfter` (see RecentRead); by default, now. */
  changeVersion(startedAfter?: number): number {
    return this.recentVersion.get(startedAfter);
  }

  private readonly recentVersion = new RecentRead(() => this.version.get() ?? 0);

  /**
   * Every plan, read in four queries whatever their number, by id (the order the index files
   * them in: sorted already, its sort of 100,000 plans is a pass).
   */
  snapshot(): { version: number; plans: IndexedPlan[] } {
    const plans = this.db.prepare('SELECT id, name, revision FROM plans ORDER BY id').all() as PlanRow[];
    const ranges = this.db
      .prepare("SELECT plan_id, kind, cidr FROM plan_ranges WHERE kind <> 'vnet' ORDER BY rowid")
      .all() as RangeRow[];
    const labels = this.db
      .prepare('SELECT plan_id, key, value FROM plan_labels ORDER BY key')
      .all() as LabelRow[];
    const withNodes = this.db
      .prepare('SELECT plan_id FROM plan_nodes UNION SELECT plan_id FROM pod_imports')
      .pluck()
      .all() as string[];
    return {
      version: this.changeVersion(),
      plans: assembleIndexedPlans(plans, ranges, labels, new Set(withNodes)),
    };
  }

  /** The plans logged after `version`, or undefined when the log was trimmed past it. */
  changesSince(version: number): IndexChanges | undefined {
    const now = this.changeVersion();
    if (now === version) return { version, plans: [], removed: [] };
    const oldest = this.db.prepare('SELECT min(seq) FROM plan_changes').pluck().get() as number | null;
    if (oldest === null || oldest > version + 1) return undefined;
    const ids = this.db
      .prepare('SELECT DISTINCT plan_id FROM plan_changes WHERE seq > ? AND seq <= ?')
      .pluck()
      .all(version, now) as string[];
    const plans = ids.flatMap((id) => this.plan(id));
    const present = new Set(plans.map((p) => p.id));
    return { version: now, plans, removed: ids.filter((id) => !present.has(id)) };
  }

  private plan(id: string): IndexedPlan[] {
    const plans = this.one.plan.all(id);
    if (plans.length === 0) return [];
    // Recorded nodes or pods: lookups of the plan then ask the store for them.
    const hasNodes = this.one.hasRecords.get(id, id) !== undefined;
    return assembleIndexedPlans(
      plans,
      this.one.ranges.all(id),
      this.one.labels.all(id),
      new Set(hasNodes ? [id] : []),
    );
  }
}
