import type { Actor } from '../domain/auth/actor.js';
import type { PlanSpec } from '../domain/design/spec.js';
import type { Labels } from '../domain/labels.js';
import type { Page, PageQuery } from './page.js';

export const AUDIT_ACTIONS = [
  'plan.create',
  'plan.replace',
  'plan.delete',
  'space.create',
  'space.replace',
  'space.delete',
  'allocation.create',
  'allocation.release',
  'nodes.record',
  'nodes.import',
  'pods.import',
  'token.create',
  'token.revoke',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** What an entry is about. */
export interface AuditTarget {
  readonly type: 'plan' | 'space' | 'allocation' | 'token';
  readonly id: string;
  readonly name: string | null;
}

export interface AuditEntry {
  readonly seq: number;
  readonly at: string;
  readonly actor: Actor;
  readonly action: AuditAction;
  readonly target: AuditTarget;
  readonly revisionBefore: number | null;
  readonly revisionAfter: number | null;
  readonly requestId: string | null;
}

export interface AuditQuery extends PageQuery {
  /** A target id. */
  readonly target?: string | undefined;
  /** An actor id (token id, OIDC subject). */
  readonly actor?: string | undefined;
  readonly action?: AuditAction | undefined;
  /** Entries at or after this time (RFC 3339). */
  readonly since?: string | undefined;
  /** Entries before this time. */
  readonly until?: string | undefined;
}

/** One revision of a plan as it was stored. */
export interface PlanRevision {
  readonly planId: string;
  readonly revision: number;
  readonly name: string;
  readonly at: string;
  readonly actor: Actor;
  readonly spec: PlanSpec;
  readonly defaultsApplied: readonly string[];
  /** The plan's labels at this revision: who may read it. */
  readonly labels: Labels;
}

/** The audit trail and plan history: written by the writes themselves, read here. */
export interface AuditStore {
  /** Newest first. */
  entries(query: AuditQuery): Promise<Page<AuditEntry>>;
  /** Removes at most `limit` of the entries older than `cutoff` (a transaction); answers how many. */
  forgetBefore(cutoff: Date, limit: number): Promise<number>;
  /**
   * The revisions of a plan (deleted or not), newest first; with `team`, only those that carried
   * every one of its labels, so that a page's size and cursor count none of another team's.
   */
  planRevisions(planId: string, page: PageQuery, team?: Labels): Promise<Page<PlanRevision>>;
  planRevision(planId: string, revision: number): Promise<PlanRevision | undefined>;
}
