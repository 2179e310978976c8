import type { Database, Statement } from 'better-sqlite3';
import type { IpAddress } from '../../domain/ip/index.js';
import { importChanges } from '../../domain/pods/address-history.js';
import type { PodAddress } from '../../domain/pods/kubectl-pods.js';
import { afterSeq, decodeCursor, firstPage } from '../cursor.js';
import type { Page, PageQuery } from '../page.js';
import type { PodImportResult } from '../plan-store.js';
import { lastImportRefusal } from '../pod-imports.js';
import {
  HELD_COLUMNS,
  HELD_FROM,
  type HeldInterval,
  type HeldRow,
  intervalValues,
  POD_COLUMNS,
  type PodRow,
  type RecordedRows,
  type RecordsSince,
  type StoredInterval,
  toHeld,
  toInterval,
  toRecorded,
} from '../pod-row.js';

/** Plans' pod address history in SQLite; callers run the writes inside their transactions. */
export class PodHistory {
  private readonly open: Statement<[string], PodRow>;
  private readonly insert: Statement;
  private readonly close: Statement<[string, number]>;
  private readonly lastImport: Statement<[string], string>;
  private readonly noteImport: Statement<[string, string]>;
  private readonly at: Statement<[string, string, string, string], HeldRow>;
  private readonly openAt: Statement<[string, string], HeldRow>;
  private readonly newestFirst: Statement<[string, string, number, number], PodRow>;
  private readonly pruneClosed: Statement<[string, number]>;
  private readonly after: Statement<[string, number, number], PodRow>;
  private readonly closedSince: Statement<[string, string], PodRow>;

  constructor(db: Database) {
    this.open = db.prepare(`SELECT ${POD_COLUMNS} FROM pod_addresses WHERE plan_id = ? AND to_at IS NULL`);
    this.insert = db.prepare(
      `INSERT INTO pod_addresses (plan_id, ip, namespace, pod, owner_kind, owner_name, node, host_network, from_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.close = db.prepare('UPDATE pod_addresses SET to_at = ? WHERE seq = ?');
    this.lastImport = db
      .prepare<[string], string>('SELECT observed_at FROM pod_imports WHERE plan_id = ?')
      .pluck();
    this.noteImport = db.prepare(
      `INSERT INTO pod_imports (plan_id, observed_at) VALUES (?, ?)
       ON CONFLICT (plan_id) DO UPDATE SET observed_at = excluded.observed_at`,
    );
    this.at = db.prepare(
      `SELECT ${HELD_COLUMNS} FROM ${HELD_FROM}
       WHERE a.plan_id = ? AND a.ip = ? AND a.from_at <= ? AND (a.to_at IS NULL OR a.to_at > ?) ORDER BY a.seq`,
    );
    this.openAt = db.prepare(
      `SELECT ${HELD_COLUMNS} FROM ${HELD_FROM} WHERE a.plan_id = ? AND a.ip = ? AND a.to_at IS NULL ORDER BY a.seq`,
    );
    this.newestFirst = db.prepare(
      `SELECT ${POD_COLUMNS} FROM pod_addresses WHERE plan_id = ? AND ip = ? AND seq < ? ORDER BY seq DESC LIMIT ?`,
    );
    // By the plan's (plan_id, seq) index: a page, or the few rows added since the last read.
    this.after = db.prepare(
      `SELECT ${POD_COLUMNS} FROM pod_addresses WHERE plan_id = ? AND seq > ? AND host_network = 0
       ORDER BY seq LIMIT ?`,
    );
    // "+plan_id": the closed index finds the few rows closed since, not the plan's index.
    this.closedSince = db.prepare(
      `SELECT ${POD_COLUMNS} FROM pod_addresses WHERE to_at >= ? AND +plan_id = ? AND host_network = 0`,
    );
    this.pruneClosed = db.prepare(
      `DELETE FROM pod_addresses WHERE seq IN (
         SELECT seq FROM pod_addresses WHERE to_at IS NOT NULL AND to_at < ? LIMIT ?)`,
    );
  }

  apply(planId: string, pods: readonly PodAddress[], at: string): PodImportResult {
    const last = this.lastImport.get(planId);
    if (last !== undefined && at < last) throw lastImportRefusal(at, last);
    const { close, opened } = importChanges(this.open.all(planId).map(toInterval), pods, at);
    for (const interval of close) this.close.run(at, interval.seq);
    for (const interval of opened) this.insert.run(planId, ...intervalValues(interval, at));
    this.noteImport.run(planId, at);
    return { observedAt: at, seen: pods.length, opened: opened.length, closed: close.length };
  }

  heldAt(planId: string, ips: readonly IpAddress[], at: string | undefined): HeldInterval[] {
    return ips.flatMap((ip) =>
      (at === undefined
        ? this.openAt.all(planId, ip.toString())
        : this.at.all(planId, ip.toString(), at, at)
      ).map(toHeld),
    );
  }

  page(planId: string, after: number, limit: number): RecordedRows {
    const lastImportAt = this.lastImport.get(planId) ?? null;
    return { lastImportAt, rows: this.after.all(planId, after, limit).map(toRecorded) };
  }

  since(planId: string, since: RecordsSince): RecordedRows {
    const lastImportAt = this.lastImport.get(planId) ?? null;
    const opened = this.after.all(planId, since.seq, -1);
    const closed = this.closedSince.all(since.at, planId).filter((row) => Number(row.seq) <= since.seq);
    const rows = [...opened, ...closed].sort((a, b) => Number(a.seq) - Number(b.seq));
    return { lastImportAt, rows: rows.map(toRecorded) };
  }

  history(planId: string, ip: IpAddress, { limit, cursor }: PageQuery): Page<StoredInterval> {
    const before = cursor === undefined ? Number.MAX_SAFE_INTEGER : decodeCursor(cursor, afterSeq).after;
    const rows = this.newestFirst.all(planId, ip.toString(), before, limit + 1);
    const page = firstPage(rows, limit, (last) => ({ after: Number(last.seq) }));
    return { items: page.rows.map(toInterval), nextCursor: page.nextCursor };
  }

  prune(cutoff: string, limit: number): number {
    return this.pruneClosed.run(cutoff, limit).changes;
  }
}
