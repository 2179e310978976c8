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
  return {
    id: row.id,
    name: row.name,
    scopes: scopesOf(row.scopes),
    labels: row.labels as Labels,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}

/** A damaged scopes column grants nothing rather than something unintended. */
function scopesOf(parsed: unknown): Scope[] {
  if (!Array.isArray(parsed)) return [];
  return parsed.filter((s): s is Scope => (SCOPES as readonly unknown[]).includes(s));
}
