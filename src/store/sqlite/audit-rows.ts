import type { Database } from 'better-sqlite3';
import type { ChangeContext } from '../../domain/auth/actor.js';
import type { Labels } from '../../domain/labels.js';
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
    return pageBack(rows, query.limit, (r) => Number(r.seq), toEntry, 'audit');
  }

  /**
   * How to read a page filtered by time alone, at a cost bounded by the bounds below, not by
   * the table. SQLite read a window through the index by time, then sorted every entry in it by
   * seq: 60,000 entries took 170 ms, holding the event loop. A window of few entries (counted
   * without the cursor: a read by time walks the whole window) is still read by time, through
   * its index even for `until` alone (which the planner would scan the table for). A larger one
   * is read newest first, keeping the entries in it, when fewer than `bounds.newer` entries lie
   * between the cursor (or the newest entry) and the window; past that, from the window's
   * newest entry, found through the index by time. Every way answers the same page.
   */
  private timeRead(query: AuditQuery): TimeRead {
    const { cursor, since, until } = query;
    if (since === undefined && until === undefined) return 'planner';
    if (query.target !== undefined || query.actor !== undefined || query.action !== undefined)
      return 'planner';
    if (!this.atLeast({ limit: 0, since, until }, this.bounds.window)) return 'by-time';
    if (until === undefined || !this.newerAtLeast(cursor, until, this.bounds.newer)) return 'newest-first';
    return 'newest-first-from-window';
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

  /**
   * Whether the `bound` entries below the cursor (the newest, without one) are all at or after
   * `until`: a read newest first would step past at least that many before the window. Reads
   * at most `bound` entries, by seq, however the data lies.
   */
  private newerAtLeast(cursor: string | undefined, until: string, bound: number): boolean {
    const params = new Params('?');
    const below = auditFilter({ limit: 0, cursor }, params);
    const newer = this.db
      .prepare(
        `SELECT count(*) FROM (SELECT at FROM audit_entries ${below} ORDER BY seq DESC LIMIT ${params.add(bound)})
         WHERE at >= ${params.add(until)}`,
      )
      .pluck()
      .get(...params.values) as number;
    return newer >= bound;
  }

  forgetBefore(cutoff: Date, limit: number): number {
    return this.db
      .prepare('DELETE FROM audit_entries WHERE seq IN (SELECT seq FROM audit_entries WHERE at < ? LIMIT ?)')
      .run(cutoff.toISOString(), limit).changes;
  }

  revisions(planId: string, { limit, cursor }: PageQuery, team: Labels = {}): Page<PlanRevision> {
    const before = positionBefore(cursor, 'revisions');
    const entries = Object.entries(team);
    const carried = entries.map(() => ' AND json_extract(labels, ?) = ?').join('');
    const rows = this.db
      .prepare(
        `SELECT * FROM plan_revisions WHERE plan_id = ? AND revision < ?${carried} ORDER BY revision DESC LIMIT ?`,
      )
      .all(
        planId,
        before,
        ...entries.flatMap(([key, value]) => [`$."${key}"`, value]),
        limit + 1,
      ) as RevisionRow[];
    return pageBack(rows, limit, (r) => r.revision, parsedRevision, 'revisions');
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
