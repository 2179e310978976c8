import type { Database } from 'better-sqlite3';
import type { Actor, ChangeContext } from '../../domain/auth/actor.js';
import { asPlanSpec, asStringList } from '../../domain/design/spec-guard.js';
import type { Labels } from '../../domain/labels.js';
import type { AuditAction, AuditEntry, AuditQuery, AuditTarget, PlanRevision } from '../audit-store.js';
import type { Page, PageQuery, StoreClock } from '../page.js';
import type { StoredPlan } from '../plan-store.js';
import { decodeCursor, firstPage } from './cursor.js';

interface EntryRow {
  seq: number;
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

interface RevisionRow {
  plan_id: string;
  revision: number;
  name: string;
  at: string;
  actor_kind: Actor['kind'];
  actor_id: string;
  actor_name: string;
  spec: string;
  defaults_applied: string;
  labels: string;
}

/** One change of one target, as the write that made it describes it. */
export interface Change {
  readonly action: AuditAction;
  readonly target: AuditTarget;
  readonly before?: number | null;
  readonly after?: number | null;
}

const beforeSeq = (value: unknown): value is { before: number } =>
  typeof value === 'object' && value !== null && Number.isSafeInteger((value as { before?: unknown }).before);

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
    const { actor } = context;
    this.db
      .prepare(
        `INSERT INTO audit_entries (at, actor_kind, actor_id, actor_name, action, target_type, target_id, target_name, revision_before, revision_after, request_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        this.clock.now().toISOString(),
        actor.kind,
        actor.id,
        actor.name,
        change.action,
        change.target.type,
        change.target.id,
        change.target.name,
        change.before ?? null,
        change.after ?? null,
        context.requestId,
      );
  }

  /** Keeps the plan's new revision, with who made it. */
  recordRevision(context: ChangeContext, plan: StoredPlan): void {
    const { actor } = context;
    this.db
      .prepare(
        `INSERT INTO plan_revisions (plan_id, revision, name, at, actor_kind, actor_id, actor_name, spec, defaults_applied, labels)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
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
      );
  }

  entries(query: AuditQuery): Page<AuditEntry> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    const add = (sql: string, value: string | number | undefined) => {
      if (value === undefined) return;
      where.push(sql);
      params.push(value);
    };
    add('seq < ?', query.cursor === undefined ? undefined : decodeCursor(query.cursor, beforeSeq).before);
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
    return pageOf(rows, query.limit, (r) => r.seq, toEntry);
  }

  forgetBefore(cutoff: Date): number {
    return this.db.prepare('DELETE FROM audit_entries WHERE at < ?').run(cutoff.toISOString()).changes;
  }

  revisions(planId: string, { limit, cursor }: PageQuery): Page<PlanRevision> {
    const before = cursor === undefined ? Number.MAX_SAFE_INTEGER : decodeCursor(cursor, beforeSeq).before;
    const rows = this.db
      .prepare(
        'SELECT * FROM plan_revisions WHERE plan_id = ? AND revision < ? ORDER BY revision DESC LIMIT ?',
      )
      .all(planId, before, limit + 1) as RevisionRow[];
    return pageOf(rows, limit, (r) => r.revision, toRevision);
  }

  revision(planId: string, revision: number): PlanRevision | undefined {
    const row = this.db
      .prepare('SELECT * FROM plan_revisions WHERE plan_id = ? AND revision = ?')
      .get(planId, revision) as RevisionRow | undefined;
    return row === undefined ? undefined : toRevision(row);
  }
}

/** Newest-first pages: the cursor says where the page ended, going back. */
function pageOf<R, T>(found: R[], limit: number, position: (row: R) => number, map: (row: R) => T): Page<T> {
  const { rows, nextCursor } = firstPage(found, limit, (last) => ({ before: position(last) }));
  return { items: rows.map(map), nextCursor };
}

function toEntry(row: EntryRow): AuditEntry {
  return {
    seq: row.seq,
    at: row.at,
    actor: { kind: row.actor_kind, id: row.actor_id, name: row.actor_name },
    action: row.action,
    target: { type: row.target_type, id: row.target_id, name: row.target_name },
    revisionBefore: row.revision_before,
    revisionAfter: row.revision_after,
    requestId: row.request_id,
  };
}

function toRevision(row: RevisionRow): PlanRevision {
  return {
    planId: row.plan_id,
    revision: row.revision,
    name: row.name,
    at: row.at,
    actor: { kind: row.actor_kind, id: row.actor_id, name: row.actor_name },
    spec: asPlanSpec(JSON.parse(row.spec)),
    defaultsApplied: asStringList(JSON.parse(row.defaults_applied), 'defaultsApplied'),
    labels: JSON.parse(row.labels) as Labels,
  };
}
