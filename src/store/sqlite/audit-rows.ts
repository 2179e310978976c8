import type { Database } from 'better-sqlite3';
import type { ChangeContext } from '../../domain/auth/actor.js';
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
    const params = new Params('?');
    const rows = this.db.prepare(auditEntriesQuery(query, params)).all(...params.values) as EntryRow[];
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
