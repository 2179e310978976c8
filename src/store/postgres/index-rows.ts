import {
  assembleIndexedPlans,
  type IndexLabelRow,
  type IndexPlanRow,
  type IndexRangeRow,
} from '../indexed-plans.js';
import type { IndexChanges, IndexedPlan } from '../plan-store.js';
import type { Sql } from './sql.js';

/** The lookup index's view of the plans, and the change log that keeps it current. */
export class PgIndexRows {
  async changeVersion(sql: Sql): Promise<number> {
    const row = await sql.one<{ v: string }>('SELECT coalesce(max(seq), 0) AS v FROM plan_changes');
    return Number(row?.v ?? 0);
  }

  /**
   * Logs a change of what a plan's records say (an import of its pods or nodes), inside the
   * caller's transaction, which holds the plan-writes lock: see note_plan_change.
   */
  async noteChange(sql: Sql, planId: string): Promise<void> {
    await sql.run('SELECT note_plan_change($1)', [planId]);
  }

  /** Every plan, read in four queries whatever their number. */
  async snapshot(sql: Sql): Promise<{ version: number; plans: IndexedPlan[] }> {
    const version = await this.changeVersion(sql);
    return { version, plans: await this.plans(sql, undefined) };
  }

  /** The plans logged after `version`, or undefined when the log was trimmed past it. */
  async changesSince(sql: Sql, version: number): Promise<IndexChanges | undefined> {
    const now = await this.changeVersion(sql);
    if (now === version) return { version, plans: [], removed: [] };
    const oldest = await sql.one<{ v: string | null }>('SELECT min(seq) AS v FROM plan_changes');
    if (oldest?.v == null || Number(oldest.v) > version + 1) return undefined;
    const ids = (
      await sql.rows<{ plan_id: string }>(
        'SELECT DISTINCT plan_id FROM plan_changes WHERE seq > $1 AND seq <= $2',
        [version, now],
      )
    ).map((r) => r.plan_id);
    const plans = await this.plans(sql, ids);
    const present = new Set(plans.map((p) => p.id));
    return { version: now, plans, removed: ids.filter((id) => !present.has(id)) };
  }

  /**
   * The plans with these ids (all of them when undefined), by id as JavaScript compares it (the
   * index files them in that order: sorted already, its sort of 100,000 plans is a pass).
   */
  private async plans(sql: Sql, ids: readonly string[] | undefined): Promise<IndexedPlan[]> {
    const only = ids === undefined ? '' : 'WHERE plan_id = ANY($1)';
    const params = ids === undefined ? [] : [ids];
    const plans = await sql.rows<IndexPlanRow>(
      `SELECT id, name, revision FROM plans ${ids === undefined ? '' : 'WHERE id = ANY($1)'} ORDER BY id COLLATE "C"`,
      params,
    );
    const ranges = await sql.rows<IndexRangeRow>(
      `SELECT plan_id, kind, cidr FROM plan_ranges ${only === '' ? 'WHERE' : `${only} AND`} kind <> 'vnet'
       ORDER BY plan_id, position`,
      params,
    );
    const labels = await sql.rows<IndexLabelRow>(
      `SELECT plan_id, key, value FROM plan_labels ${only} ORDER BY key COLLATE "C"`,
      params,
    );
    // Recorded nodes or pods: lookups of the plan then ask the store for them.
    const withNodes = await sql.rows<{ plan_id: string }>(
      `SELECT plan_id FROM plan_nodes ${only} UNION SELECT plan_id FROM pod_imports ${only}`,
      params,
    );
    return assembleIndexedPlans(plans, ranges, labels, new Set(withNodes.map((r) => r.plan_id)));
  }
}
