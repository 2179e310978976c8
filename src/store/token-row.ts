import { SCOPES, type Scope } from '../domain/auth/scopes.js';
import type { Labels } from '../domain/labels.js';
import type { StoredToken } from './token-store.js';

/** A tokens row, its JSON columns already parsed. */
export interface TokenRecord {
  id: string;
  seq: number | string;
  name: string;
  scopes: unknown;
  labels: unknown;
  secret_hash: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}

export function toToken(row: TokenRecord): StoredToken {
  const labels = labelsOf(row.labels);
  return {
    id: row.id,
    name: row.name,
    // Damaged labels grant nothing either: read as none, a team's token would act for everyone.
    scopes: labels === undefined ? [] : scopesOf(row.scopes),
    labels: labels ?? {},
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}

/**
 * A damaged scopes column grants nothing rather than something unintended: a list holding
 * anything but scope names is damaged as a whole, since what was lost from it is unknown.
 */
function scopesOf(parsed: unknown): Scope[] {
  if (!Array.isArray(parsed) || !parsed.every(isScope)) return [];
  return parsed;
}

function isScope(value: unknown): value is Scope {
  return (SCOPES as readonly unknown[]).includes(value);
}

/** The labels column as labels (names to text), or undefined when it is damaged. */
function labelsOf(parsed: unknown): Labels | undefined {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  return Object.values(parsed).every((v) => typeof v === 'string') ? (parsed as Labels) : undefined;
}
