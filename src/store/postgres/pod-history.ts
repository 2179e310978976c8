import type { IpAddress } from '../../domain/ip/index.js';
import { importChangeSteps } from '../../domain/pods/address-history.js';
import type { ObservedPods } from '../../domain/pods/pod-address.js';
import { runInSteps } from '../../event-loop.js';
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
import type { Sql } from './sql.js';

type RecordedRowOf = PodRow & { closed_by: number | null };

/** Plans' pod address history in PostgreSQL, inside the caller's transaction. */
export class PgPodHistory {
  /** One statement to close and one to open, however many intervals an import changes. */
  async apply(sql: Sql, planId: string, pods: ObservedPods, at: string): Promise<PodImportResult> {
    // The plan's import row, locked: two imports of one plan at once take turns.
    const last = await sql.one<{ observed_at: string; imports: number }>(
      'SELECT observed_at, imports FROM pod_imports WHERE plan_id = $1 FOR UPDATE',
      [planId],
    );
    if (last !== undefined && at < last.observed_at) throw lastImportRefusal(at, last.observed_at);
    const open = await sql.rows<OpenRow>(
      `SELECT ${OPEN_COLUMNS} FROM pod_addresses WHERE plan_id = $1 AND to_at IS NULL`,
      [planId],
    );
    // Compared in steps, the event loop let in: the transaction waits, not the process.
    const { close, opened } = await runInSteps(importChangeSteps(open, openRowKey, pods, at));
    const imports = (last?.imports ?? 0) + 1;
    if (close.length > 0) {
      await sql.run('UPDATE pod_addresses SET to_at = $1, closed_by = $2 WHERE seq = ANY($3::bigint[])', [
        at,
        imports,
        close.map((c) => c.seq),
      ]);
    }
    if (opened.length > 0) {
      await sql.run(
        `INSERT INTO pod_addresses (plan_id, ip, namespace, pod, owner_kind, owner_name, node, host_network, from_at)
         SELECT $1, i, ns, p, ok, onm, n, h, $9
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[])
           AS t (i, ns, p, ok, onm, n, h)`,
        [
          planId,
          opened.map((o) => o.ip.toString()),
          opened.map((o) => o.namespace),
          opened.map((o) => o.pod),
          opened.map((o) => o.ownerKind),
          opened.map((o) => o.ownerName),
          opened.map((o) => o.node),
          opened.map((o) => (o.hostNetwork ? 1 : 0)),
          at,
        ],
      );
    }
    await sql.run(
      `INSERT INTO pod_imports (plan_id, observed_at, imports) VALUES ($1, $2, 1)
       ON CONFLICT (plan_id) DO UPDATE SET observed_at = excluded.observed_at, imports = pod_imports.imports + 1`,
      [planId, at],
    );
    return { observedAt: at, seen: pods.count, opened: opened.length, closed: close.length };
  }

  /** Open intervals without `at`; at `at`, those not ended before `expiredBefore` (retention). */
  async heldAt(
    sql: Sql,
    planId: string,
    ips: readonly IpAddress[],
    at: string | undefined,
    expiredBefore = '',
  ): Promise<HeldInterval[]> {
    if (ips.length === 0) return [];
    const texts = ips.map((ip) => ip.toString());
    const rows =
      at === undefined
        ? await sql.rows<HeldRow>(
            `SELECT ${HELD_COLUMNS} FROM ${HELD_FROM}
             WHERE a.plan_id = $1 AND a.ip = ANY($2) AND a.to_at IS NULL ORDER BY a.seq`,
            [planId, texts],
          )
        : await sql.rows<HeldRow>(
            `SELECT ${HELD_COLUMNS} FROM ${HELD_FROM}
             WHERE a.plan_id = $1 AND a.ip = ANY($2) AND a.from_at <= $3
               AND (a.to_at IS NULL OR (a.to_at > $3 AND a.to_at >= $4))
             ORDER BY a.seq`,
            [planId, texts, at, expiredBefore],
          );
    return rows.map(toHeld);
  }

  async page(sql: Sql, planId: string, after: number, limit: number): Promise<RecordedRows> {
    const counts = await this.counts(sql, planId);
    const rows = await sql.rows<RecordedRowOf>(
      `SELECT ${RECORDED_COLUMNS} FROM pod_addresses WHERE plan_id = $1 AND seq > $2 AND host_network = 0
       ORDER BY seq LIMIT $3`,
      [planId, after, limit],
    );
    return { ...counts, rows: rows.map(toRecorded) };
  }

  async closedSince(
    sql: Sql,
    planId: string,
    since: number,
    after: ClosedCursor | undefined,
    limit: number,
  ): Promise<RecordedRows> {
    const counts = await this.counts(sql, planId);
    const from = after ?? { closedBy: since, seq: Number.MAX_SAFE_INTEGER };
    const rows = await sql.rows<RecordedRowOf>(
      `SELECT ${RECORDED_COLUMNS} FROM pod_addresses
       WHERE plan_id = $1 AND closed_by IS NOT NULL AND (closed_by, seq) > ($2, $3) AND host_network = 0
       ORDER BY closed_by, seq LIMIT $4`,
      [planId, from.closedBy, from.seq, limit],
    );
    return { ...counts, rows: rows.map(toRecorded) };
  }

  private async counts(sql: Sql, planId: string): Promise<{ imports: number; pruned: number }> {
    const last = await sql.one<{ imports: number; pruned: number }>(
      'SELECT imports, pruned FROM pod_imports WHERE plan_id = $1',
      [planId],
    );
    return { imports: last?.imports ?? 0, pruned: last?.pruned ?? 0 };
  }

  /** One address's intervals, newest first, but those ended before `expiredBefore` (retention). */
  async history(
    sql: Sql,
    planId: string,
    ip: IpAddress,
    { limit, cursor }: PageQuery,
    expiredBefore = '',
  ): Promise<Page<StoredInterval>> {
    const before =
      cursor === undefined ? Number.MAX_SAFE_INTEGER : decodeCursor(cursor, afterSeq, 'addresses').after;
    const rows = await sql.rows<PodRow>(
      `SELECT ${POD_COLUMNS} FROM pod_addresses WHERE plan_id = $1 AND ip = $2 AND seq < $3
       AND (to_at IS NULL OR to_at >= $4) ORDER BY seq DESC LIMIT $5`,
      [planId, ip.toString(), before, expiredBefore, limit + 1],
    );
    const page = firstPage(rows, limit, (last) => ({ after: Number(last.seq) }), 'addresses');
    return { items: page.rows.map(toInterval), nextCursor: page.nextCursor };
  }

  /** Deletes at most `limit` intervals closed before `cutoff`; answers how many, and the plans they were of. */
  async prune(sql: Sql, cutoff: string, limit: number): Promise<{ removed: number; plans: string[] }> {
    const deleted = await sql.rows<{ plan_id: string }>(
      `DELETE FROM pod_addresses WHERE seq IN (
         SELECT seq FROM pod_addresses WHERE to_at IS NOT NULL AND to_at < $1 LIMIT $2)
       RETURNING plan_id`,
      [cutoff, limit],
    );
    const plans = [...new Set(deleted.map((row) => row.plan_id))];
    if (plans.length > 0) {
      await sql.run('UPDATE pod_imports SET pruned = pruned + 1 WHERE plan_id = ANY($1)', [plans]);
    }
    return { removed: deleted.length, plans };
  }
}
