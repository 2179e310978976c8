import type { ChangeContext } from '../../domain/auth/actor.js';
import type { Labels } from '../../domain/labels.js';
import {
  auditEntriesQuery,
  type Change,
  ENTRY_COLUMNS,
  type EntryRow,
  entryValues,
  pageBack,
  placeholders,
  positionBefore,
  REVISION_COLUMNS,
  type RevisionRecord,
  revisionValues,
  toEntry,
  toRevision,
} from '../audit-row.js';
import type { AuditEntry, AuditQuery, PlanRevision } from '../audit-store.js';
import type { Page, PageQuery, StoreClock } from '../page.js';
import type { StoredPlan } from '../plan-store.js';
import { Params } from '../sql-params.js';
import type { Sql } from './sql.js';

/**
 * Audit entries and plan revisions, written inside the write's own transaction: an entry
 * exists exactly when its write committed.
 */
export class PgAuditRows {
  constructor(private readonly clock: StoreClock) {}

  async record(sql: Sql, context: ChangeContext, change: Change): Promise<void> {
    await sql.run(
      `INSERT INTO audit_entries (${ENTRY_COLUMNS}) VALUES (${placeholders(11, '$')})`,
      entryValues(this.clock.now(), context, change),
    );
  }

  /** Keeps the plan's new revision, with who made it. */
  async recordRevision(sql: Sql, context: ChangeContext, plan: StoredPlan): Promise<void> {
    await sql.run(
      `INSERT INTO plan_revisions (${REVISION_COLUMNS}) VALUES (${placeholders(10, '$')})`,
      revisionValues(context, plan),
    );
  }

  async entries(sql: Sql, query: AuditQuery): Promise<Page<AuditEntry>> {
    const params = new Params('$');
    const rows = await sql.rows<EntryRow>(auditEntriesQuery(query, params), params.values);
    return pageBack(rows, query.limit, (r) => Number(r.seq), toEntry, 'audit');
  }

  forgetBefore(sql: Sql, cutoff: Date, limit: number): Promise<number> {
    return sql.run(
      'DELETE FROM audit_entries WHERE seq IN (SELECT seq FROM audit_entries WHERE at < $1 LIMIT $2)',
      [cutoff.toISOString(), limit],
    );
  }

  async revisions(
    sql: Sql,
    planId: string,
    { limit, cursor }: PageQuery,
    team: Labels = {},
  ): Promise<Page<PlanRevision>> {
    const params = new Params('$');
    const conditions = [
      `plan_id = ${params.add(planId)}`,
      `revision < ${params.add(positionBefore(cursor, 'revisions'))}::bigint`,
      ...Object.entries(team).map(([key, value]) => `labels ->> ${params.add(key)} = ${params.add(value)}`),
    ];
    const rows = await sql.rows<RevisionRecord>(
      `SELECT * FROM plan_revisions WHERE ${conditions.join(' AND ')} ORDER BY revision DESC LIMIT ${params.add(limit + 1)}`,
      params.values,
    );
    return pageBack(rows, limit, (r) => r.revision, toRevision, 'revisions');
  }

  async revision(sql: Sql, planId: string, revision: number): Promise<PlanRevision | undefined> {
    const row = await sql.one<RevisionRecord>(
      'SELECT * FROM plan_revisions WHERE plan_id = $1 AND revision = $2',
      [planId, revision],
    );
    return row === undefined ? undefined : toRevision(row);
  }
}
