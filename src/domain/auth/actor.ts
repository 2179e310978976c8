import type { Labels } from '../labels.js';

/** Who did something: what audit entries and plan history name. */
export interface Actor {
  readonly kind: 'token' | 'environment' | 'oidc' | 'anonymous' | 'system';
  /** A token id, an OIDC subject, `ADMIN_TOKEN`, `anonymous` or `system`. */
  readonly id: string;
  readonly name: string;
}

/**
 * Whose an idempotency key is. An OIDC subject is any text an identity provider chose, so it is
 * kept apart from the service's own ids (a token's 12 hex digits, `ADMIN_TOKEN`): a subject equal
 * to one of them must never replay that caller's allocations. Other ids stay as stored before.
 */
export function idempotencyOwner(actor: Actor): string {
  return actor.kind === 'oidc' ? `oidc:${actor.id}` : actor.id;
}

/** A change made on behalf of an actor, within one request. */
export interface ChangeContext {
  readonly actor: Actor;
  /** The request's id, for matching audit entries with log lines. */
  readonly requestId: string | null;
  /** The labels of the team acting (none: everyone): refusals name only what it may see. */
  readonly team?: Labels;
}

/** Changes made by the service itself (start-up, tests and benchmarks that write directly). */
export const SYSTEM_CHANGE: ChangeContext = {
  actor: { kind: 'system', id: 'system', name: 'system' },
  requestId: null,
};
