import type { Database } from 'better-sqlite3';
import type { ChangeContext } from '../../domain/auth/actor.js';
import {
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

/** A revision as SQLite holds it: its JSON columns as text. */
type RevisionRow = Omit<RevisionRecord, 'spec' | 'defaults_applied' | 'labels'> & {
  spec: string;
  defaults_applied: string;
  labels: string;
};

/**
 * Audit entries and plan revisions. Synchronous, called inside the write's own transaction:
 * an entry exists exactly when its write committed.
 */
export class AuditRows {
  constructor(
    private readonly db: Database,
    private readonly clock: StoreClock,
  ) {}

  record(context: ChangeContext, change: Change): void {
    this.db
      .prepare(`INSERT INTO audit_entries (${ENTRY_COLUMNS}) VALUES (${placeholders(11, '?')})`)
      .run(...entryValues(this.clock.now(), context, change));
  }

  /** Keeps the plan's new revision, with who made it. */
  recordRevision(context: ChangeContext, plan: StoredPlan): void {
    this.db
      .prepare(`INSERT INTO plan_revisions (${REVISION_COLUMNS}) VALUES (${placeholders(10, '?')})`)
      .run(...revisionValues(context, plan));
  }

  entries(query: AuditQuery): Page<AuditEntry> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    const add = (sql: string, value: string | number | undefined) => {
      if (value === undefined) return;
      where.push(sql);
      params.push(value);
    };
    add('seq < ?', query.cursor === undefined ? undefined : positionBefore(query.cursor));
    add('target_id = ?', query.target);
    add('actor_id = ?', query.actor);
    add('action = ?', query.action);
    add('at >= ?', query.since);
    add('at < ?', query.until);
    const rows = this.db
      .prepare(
        `SELECT * FROM audit_entries ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`} ORDER BY seq DESC LIMIT ?`,
      )
      .all(...params, query.limit + 1) as EntryRow[];
    return pageBack(rows, query.limit, (r) => Number(r.seq), toEntry);
  }

  forgetBefore(cutoff: Date): number {
    return this.db.prepare('DELETE FROM audit_entries WHERE at < ?').run(cutoff.toISOString()).changes;
  }

  revisions(planId: string, { limit, cursor }: PageQuery): Page<PlanRevision> {
    const before = positionBefore(cursor);
    const rows = this.db
      .prepare(
        'SELECT * FROM plan_revisions WHERE plan_id = ? AND revision < ? ORDER BY revision DESC LIMIT ?',
      )
      .all(planId, before, limit + 1) as RevisionRow[];
    return pageBack(rows, limit, (r) => r.revision, parsedRevision);
  }

  revision(planId: string, revision: number): PlanRevision | undefined {
    const row = this.db
      .prepare('SELECT * FROM plan_revisions WHERE plan_id = ? AND revision = ?')
      .get(planId, revision) as RevisionRow | undefined;
    return row === undefined ? undefined : parsedRevision(row);
  }
}

/** A revision row with its JSON columns parsed. */
function parsedRevision(row: RevisionRow): PlanRevision {
  return toRevision({
    ...row,
    spec: JSON.parse(row.spec),
    defaults_applied: JSON.parse(row.defaults_applied),
    labels: JSON.parse(row.labels),
  });
}
