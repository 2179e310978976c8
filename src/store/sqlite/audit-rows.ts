import type { Database } from 'better-sqlite3';
import type { ChangeContext } from '../../domain/auth/actor.js';
import {
  auditEntriesQuery,
  auditFilter,
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
  type TimeRead,
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
    /**
     * Entries in a time window past which its page is read newest first, not by time; and
     * entries newer than the window past which that read starts from the window's newest.
     */
    private readonly bounds = { window: 5_000, newer: 50_000 },
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
    const sql = auditEntriesQuery(query, params, this.timeRead(query));
    const rows = this.db.prepare(sql).all(...params.values) as EntryRow[];
    return pageBack(rows, query.limit, (r) => Number(r.seq), toEntry);
  }

  /**
   * How to read a page filtered by time alone. SQLite read a window through the index by time,
   * then sorted every entry in it by seq: 60,000 entries took 170 ms, holding the event loop.
   * A window of many entries is read newest first instead, keeping those in it (2 ms); when
   * many entries are also newer than the window (an old window of a large table), from the
   * window's newest entry, so that they are not read one by one. A window of few entries is
   * read by time, through the index even for `until` alone (which the planner would scan the
   * table for). The counts read the index by time alone, up to their bounds; every way answers
   * the same page.
   */
  private timeRead(query: AuditQuery): TimeRead {
    const { cursor, since, until } = query;
    if (since === undefined && until === undefined) return 'planner';
    if (query.target !== undefined || query.actor !== undefined || query.action !== undefined)
      return 'planner';
    if (!this.atLeast({ limit: 0, cursor, since, until }, this.bounds.window)) return 'by-time';
    const newer = until !== undefined && this.atLeast({ limit: 0, cursor, since: until }, this.bounds.newer);
    return newer ? 'newest-first-from-window' : 'newest-first';
  }

  /** Whether at least `bound` entries pass the query's filters. */
  private atLeast(query: AuditQuery, bound: number): boolean {
    const params = new Params('?');
    const filter = auditFilter(query, params);
    const count = this.db
      .prepare(`SELECT count(*) FROM (SELECT 1 FROM audit_entries ${filter} LIMIT ${params.add(bound)})`)
      .pluck()
      .get(...params.values) as number;
    return count >= bound;
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
