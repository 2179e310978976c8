import type { Actor, ChangeContext } from '../domain/auth/actor.js';
import { asPlanSpec, asStringList } from '../domain/design/spec-guard.js';
import type { Labels } from '../domain/labels.js';
import type { AuditAction, AuditEntry, AuditQuery, AuditTarget, PlanRevision } from './audit-store.js';
import { decodeCursor, firstPage } from './cursor.js';
import type { Page } from './page.js';
import type { StoredPlan } from './plan-store.js';
import type { Params } from './sql-params.js';

/** One change of one target, as the write that made it describes it. */
export interface Change {
  readonly action: AuditAction;
  readonly target: AuditTarget;
  readonly before?: number | null;
  readonly after?: number | null;
}

/** An audit_entries row as either backend reads it. */
export interface EntryRow {
  seq: number | string;
  at: string;
  actor_kind: Actor['kind'];
  actor_id: string;
  actor_name: string;
  action: AuditAction;
  target_type: AuditTarget['type'];
  target_id: string;
  target_name: string | null;
  revision_before: number | null;
  revision_after: number | null;
  request_id: string | null;
}

/** A plan_revisions row, its JSON columns already parsed. */
export interface RevisionRecord {
  plan_id: string;
  revision: number;
  name: string;
  at: string;
  actor_kind: Actor['kind'];
  actor_id: string;
  actor_name: string;
  spec: unknown;
  defaults_applied: unknown;
  labels: unknown;
}

/** A cursor going back: the position (seq or revision) the last page ended before. */
export const beforePosition = (value: unknown): value is { before: number } =>
  typeof value === 'object' &&
  value !== null &&
  Number.isSafeInteger((value as { before?: unknown }).before) &&
  // Positions start at 1: a page ends before 1 at the earliest, as an "after" cursor's start at 0.
  (value as { before: number }).before >= 1;

/** Where a newest-first page starts: before the cursor's position, or from the newest. */
export function positionBefore(cursor: string | undefined, list: 'audit' | 'revisions'): number {
  return cursor === undefined ? Number.MAX_SAFE_INTEGER : decodeCursor(cursor, beforePosition, list).before;
}

/** Newest-first pages: the cursor says where the page ended, going back. */
export function pageBack<R, T>(
  found: R[],
  limit: number,
  position: (row: R) => number,
  map: (row: R) => T,
  list: 'audit' | 'revisions',
): Page<T> {
  const { rows, nextCursor } = firstPage(found, limit, (last) => ({ before: position(last) }), list);
  return { items: rows.map(map), nextCursor };
}

export function toEntry(row: EntryRow): AuditEntry {
  return {
    seq: Number(row.seq),
    at: row.at,
    actor: { kind: row.actor_kind, id: row.actor_id, name: row.actor_name },
    action: row.action,
    target: { type: row.target_type, id: row.target_id, name: row.target_name },
    revisionBefore: row.revision_before,
    revisionAfter: row.revision_after,
    requestId: row.request_id,
  };
}

export function toRevision(row: RevisionRecord): PlanRevision {
  return {
    planId: row.plan_id,
    revision: row.revision,
    name: row.name,
    at: row.at,
    actor: { kind: row.actor_kind, id: row.actor_id, name: row.actor_name },
    spec: asPlanSpec(row.spec),
    defaultsApplied: asStringList(row.defaults_applied, 'defaultsApplied'),
    labels: row.labels as Labels,
  };
}

export const ENTRY_COLUMNS =
  'at, actor_kind, actor_id, actor_name, action, target_type, target_id, target_name, revision_before, revision_after, request_id';

/** The values of an audit entry, in ENTRY_COLUMNS order. */
export function entryValues(at: Date, { actor, requestId }: ChangeContext, change: Change): unknown[] {
  const { action, target } = change;
  return [
    at.toISOString(),
    actor.kind,
    actor.id,
    actor.name,
    action,
    target.type,
    target.id,
    target.name,
    change.before ?? null,
    change.after ?? null,
    requestId,
  ];
}

export const REVISION_COLUMNS =
  'plan_id, revision, name, at, actor_kind, actor_id, actor_name, spec, defaults_applied, labels';

/** The values of a plan revision, in REVISION_COLUMNS order, JSON columns as text. */
export function revisionValues({ actor }: ChangeContext, plan: StoredPlan): unknown[] {
  return [
    plan.id,
    plan.revision,
    plan.name,
    plan.updatedAt,
    actor.kind,
    actor.id,
    actor.name,
    JSON.stringify(plan.spec),
    JSON.stringify(plan.defaultsApplied),
    JSON.stringify(plan.labels),
  ];
}

/** `count` placeholders: ? for SQLite, $1.. for PostgreSQL. */
export function placeholders(count: number, style: '?' | '$'): string {
  return Array.from({ length: count }, (_, i) => (style === '?' ? '?' : `$${i + 1}`)).join(', ');
}

/**
 * How a page filtered by time is read. `planner`: as the database's planner likes (PostgreSQL,
 * and every page with other filters). The rest are SQLite's (see AuditRows.entries): through the
 * index by time, named, and sorted by seq; newest first with the time kept off that index
 * (`+at`); or newest first from the window's newest entry, found through that index.
 */
export type TimeRead = 'planner' | 'by-time' | 'newest-first' | 'newest-first-from-window';

/** The query of a newest-first page of audit entries with the filters asked: `limit + 1` rows. */
export function auditEntriesQuery(query: AuditQuery, params: Params, read: TimeRead = 'planner'): string {
  // SQLite's planner reads `at < ?` alone by scanning the table: the index is named where wanted.
  const byTime = 'audit_entries INDEXED BY audit_by_time';
  const fromWindow = read === 'newest-first-from-window';
  // From the window, the cursor bounds the window's newest entry: one upper bound on seq, which
  // SQLite seeks to (given two, it may seek the cursor's and read the newer entries after all).
  const outer = fromWindow ? { ...query, cursor: undefined } : query;
  let filter = auditFilter(outer, params, read === 'planner' || read === 'by-time');
  if (fromWindow) {
    const window = auditFilter(
      { limit: 0, cursor: query.cursor, since: query.since, until: query.until },
      params,
    );
    filter += `${filter === '' ? 'WHERE' : ' AND'} seq <= (SELECT max(seq) FROM ${byTime} ${window})`;
  }
  const from = read === 'by-time' ? byTime : 'audit_entries';
  return `SELECT * FROM ${from} ${filter} ORDER BY seq DESC LIMIT ${params.add(query.limit + 1)}`;
}

/** The WHERE clause of the audit entries a query's filters (and cursor) keep. */
export function auditFilter(query: AuditQuery, params: Params, byTime = true): string {
  const where: string[] = [];
  const add = (column: string, operator: string, value: string | number | undefined) => {
    if (value !== undefined) where.push(`${column} ${operator} ${params.add(value)}`);
  };
  add('seq', '<', query.cursor === undefined ? undefined : positionBefore(query.cursor, 'audit'));
  add('target_id', '=', query.target);
  add('actor_id', '=', query.actor);
  add('action', '=', query.action);
  add(byTime ? 'at' : '+at', '>=', query.since);
  add(byTime ? 'at' : '+at', '<', query.until);
  return where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`;
}
