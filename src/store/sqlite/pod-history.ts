import type { Database, Statement } from 'better-sqlite3';
import type { IpAddress } from '../../domain/ip/index.js';
import { type ImportChanges, importChanges } from '../../domain/pods/address-history.js';
import type { ObservedPods } from '../../domain/pods/pod-address.js';
import { afterSeq, decodeCursor, firstPage } from '../cursor.js';
import type { Page, PageQuery } from '../page.js';
import type { PodImportResult } from '../plan-store.js';
import { lastImportRefusal } from '../pod-imports.js';
import {
  type ClosedCursor,
  HELD_COLUMNS,
  HELD_FROM,
  type HeldInterval,
  type HeldRow,
  intervalValues,
  OPEN_COLUMNS,
  type OpenRow,
  openRowKey,
  POD_COLUMNS,
  type PodRow,
  RECORDED_COLUMNS,
  type RecordedRows,
  type StoredInterval,
  toHeld,
  toInterval,
  toRecorded,
} from '../pod-row.js';
import { RowInserts } from './row-inserts.js';

type RecordedRowOf = PodRow & { closed_by: number | null };

/**
 * An import compared with the plan's open intervals before its write, when the plan had had
 * `imports` imports: the write uses it if no import came in between (only imports change which
 * intervals are open), and compares again inside the transaction otherwise.
 */
export interface PreparedImport extends ImportChanges<OpenRow> {
  readonly imports: number;
}

/** An import's changes as rows: what a write on another connection is handed. */
export interface ImportRows {
  /** The seq of each open interval the import closes. */
  readonly close: readonly number[];
  /** The values of each interval it opens (intervalValues), without the plan. */
  readonly rows: readonly (readonly unknown[])[];
  readonly at: string;
  /** Every address the list gave (the import's `seen`). */
  readonly seen: number;
}

/** Import rows compared after the plan's `imports`-th import. */
export interface ComparedImport extends ImportRows {
  readonly imports: number;
}

/** Plans' pod address history in SQLite; callers run the writes inside their transactions. */
export class PodHistory {
  private readonly open: Statement<[string], OpenRow>;
  private readonly openAfter: Statement<[string, number, number], OpenRow>;
  /** Rows in statements of many: the first import of 100,000 pods writes them all. */
  private readonly insert: RowInserts;
  private readonly close: Statement<[string, number, number]>;
  private readonly lastImport: Statement<[string], { observed_at: string; imports: number; pruned: number }>;
  private readonly notePruned: Statement<[string]>;
  private readonly noteImport: Statement<[string, string]>;
  private readonly at: Statement<[string, string, string, string, string], HeldRow>;
  private readonly openAt: Statement<[string, string], HeldRow>;
  private readonly newestFirst: Statement<[string, string, number, string, number], PodRow>;
  private readonly pruneClosed: Statement<[string, number], { plan_id: string }>;
  private readonly after: Statement<[string, number, number], RecordedRowOf>;
  private readonly closedAfter: Statement<[string, number, number, number], RecordedRowOf>;

  constructor(db: Database) {
    this.open = db.prepare(`SELECT ${OPEN_COLUMNS} FROM pod_addresses WHERE plan_id = ? AND to_at IS NULL`);
    // By the partial index of open rows, in row order (seq is the rowid).
    this.openAfter = db.prepare(
      `SELECT ${OPEN_COLUMNS} FROM pod_addresses WHERE plan_id = ? AND to_at IS NULL AND seq > ?
       ORDER BY seq LIMIT ?`,
    );
    this.insert = new RowInserts(
      db,
      9,
      (values) =>
        `INSERT INTO pod_addresses (plan_id, ip, namespace, pod, owner_kind, owner_name, node, host_network, from_at)
         VALUES ${values}`,
    );
    this.close = db.prepare('UPDATE pod_addresses SET to_at = ?, closed_by = ? WHERE seq = ?');
    this.lastImport = db.prepare('SELECT observed_at, imports, pruned FROM pod_imports WHERE plan_id = ?');
    this.notePruned = db.prepare('UPDATE pod_imports SET pruned = pruned + 1 WHERE plan_id = ?');
    this.noteImport = db.prepare(
      `INSERT INTO pod_imports (plan_id, observed_at, imports) VALUES (?, ?, 1)
       ON CONFLICT (plan_id) DO UPDATE SET observed_at = excluded.observed_at, imports = imports + 1`,
    );
    // Intervals that ended before retention's horizon are not answered, pruned yet or not.
    this.at = db.prepare(
      `SELECT ${HELD_COLUMNS} FROM ${HELD_FROM}
       WHERE a.plan_id = ? AND a.ip = ? AND a.from_at <= ? AND (a.to_at IS NULL OR (a.to_at > ? AND a.to_at >= ?))
       ORDER BY a.seq`,
    );
    this.openAt = db.prepare(
      `SELECT ${HELD_COLUMNS} FROM ${HELD_FROM} WHERE a.plan_id = ? AND a.ip = ? AND a.to_at IS NULL ORDER BY a.seq`,
    );
    this.newestFirst = db.prepare(
      `SELECT ${POD_COLUMNS} FROM pod_addresses WHERE plan_id = ? AND ip = ? AND seq < ?
       AND (to_at IS NULL OR to_at >= ?) ORDER BY seq DESC LIMIT ?`,
    );
    // Pages by the plan's own indexes: its rows in order, and its closed rows by import and row.
    this.after = db.prepare(
      `SELECT ${RECORDED_COLUMNS} FROM pod_addresses WHERE plan_id = ? AND seq > ? AND host_network = 0
       ORDER BY seq LIMIT ?`,
    );
    this.closedAfter = db.prepare(
      `SELECT ${RECORDED_COLUMNS} FROM pod_addresses
       WHERE plan_id = ? AND closed_by IS NOT NULL AND (closed_by, seq) > (?, ?) AND host_network = 0
       ORDER BY closed_by, seq LIMIT ?`,
    );
    this.pruneClosed = db.prepare(
      `DELETE FROM pod_addresses WHERE seq IN (
         SELECT seq FROM pod_addresses WHERE to_at IS NOT NULL AND to_at < ? LIMIT ?)
       RETURNING plan_id`,
    );
  }

  /** How many imports the plan has had. */
  importCount(planId: string): number {
    return this.lastImport.get(planId)?.imports ?? 0;
  }

  /** At most `limit` of the plan's open intervals after row `after`, in row order. */
  openPage(planId: string, after: number, limit: number): OpenRow[] {
    return this.openAfter.all(planId, after, limit);
  }

  apply(planId: string, pods: ObservedPods, at: string, prepared?: PreparedImport): PodImportResult {
    const last = this.lastImport.get(planId);
    if (last !== undefined && at < last.observed_at) throw lastImportRefusal(at, last.observed_at);
    const imports = (last?.imports ?? 0) + 1;
    const { close, opened } =
      prepared?.imports === imports - 1
        ? prepared
        : importChanges(this.open.all(planId), openRowKey, pods, at);
    const rows = opened.map((interval) => intervalValues(interval, at));
    const changes = { close: close.map((row) => Number(row.seq)), rows, at, seen: pods.count };
    return this.write(planId, imports, changes);
  }

  /**
   * Writes an import compared with the plan's open intervals after its last import: closes the
   * intervals `close` names, opens one per row of `rows` (intervalValues) and counts the import.
   * Answers undefined, writing nothing, when it was compared too early (the plan has had another
   * import since); refuses one observed before the last, as apply does.
   */
  writeCompared(planId: string, compared: ComparedImport): PodImportResult | undefined {
    const last = this.lastImport.get(planId);
    if (last !== undefined && compared.at < last.observed_at)
      throw lastImportRefusal(compared.at, last.observed_at);
    if ((last?.imports ?? 0) !== compared.imports) return undefined;
    return this.write(planId, compared.imports + 1, compared);
  }

  /** Writes the plan's import number `imports`. */
  private write(planId: string, imports: number, changes: ImportRows): PodImportResult {
    const { close, rows, at, seen } = changes;
    for (const seq of close) this.close.run(at, imports, seq);
    this.insert.run(rows, (values) => [planId, ...values]);
    this.noteImport.run(planId, at);
    return { observedAt: at, seen, opened: rows.length, closed: close.length };
  }

  /** Open intervals without `at`; at `at`, those not ended before `expiredBefore` (retention). */
  heldAt(
    planId: string,
    ips: readonly IpAddress[],
    at: string | undefined,
    expiredBefore = '',
  ): HeldInterval[] {
    return ips.flatMap((ip) =>
      (at === undefined
        ? this.openAt.all(planId, ip.toString())
        : this.at.all(planId, ip.toString(), at, at, expiredBefore)
      ).map(toHeld),
    );
  }

  page(planId: string, after: number, limit: number): RecordedRows {
    const counts = this.counts(planId);
    return { ...counts, rows: this.after.all(planId, after, limit).map(toRecorded) };
  }

  closedSince(planId: string, since: number, after: ClosedCursor | undefined, limit: number): RecordedRows {
    const counts = this.counts(planId);
    const from = after ?? { closedBy: since, seq: Number.MAX_SAFE_INTEGER };
    const rows = this.closedAfter.all(planId, from.closedBy, from.seq, limit);
    return { ...counts, rows: rows.map(toRecorded) };
  }

  private counts(planId: string): { imports: number; pruned: number } {
    const last = this.lastImport.get(planId);
    return { imports: last?.imports ?? 0, pruned: last?.pruned ?? 0 };
  }

  /** One address's intervals, newest first, but those ended before `expiredBefore` (retention). */
  history(
    planId: string,
    ip: IpAddress,
    { limit, cursor }: PageQuery,
    expiredBefore = '',
  ): Page<StoredInterval> {
    const before =
      cursor === undefined ? Number.MAX_SAFE_INTEGER : decodeCursor(cursor, afterSeq, 'addresses').after;
    const rows = this.newestFirst.all(planId, ip.toString(), before, expiredBefore, limit + 1);
    const page = firstPage(rows, limit, (last) => ({ after: Number(last.seq) }), 'addresses');
    return { items: page.rows.map(toInterval), nextCursor: page.nextCursor };
  }

  /** Deletes at most `limit` intervals closed before `cutoff`; answers how many, and the plans they were of. */
  prune(cutoff: string, limit: number): { removed: number; plans: string[] } {
    const deleted = this.pruneClosed.all(cutoff, limit);
    const plans = [...new Set(deleted.map((row) => row.plan_id))];
    for (const plan of plans) this.notePruned.run(plan);
    return { removed: deleted.length, plans };
  }
}
