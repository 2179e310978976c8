import type { ChangeContext } from '../domain/auth/actor.js';
import type { Scope } from '../domain/auth/scopes.js';
import type { Labels } from '../domain/labels.js';
import type { Page, PageQuery } from './page.js';

/** An API token as stored: never its secret, only the secret's SHA-256. */
export interface StoredToken {
  readonly id: string;
  readonly name: string;
  readonly scopes: readonly Scope[];
  readonly labels: Labels;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
}

export interface TokenWrite {
  readonly id: string;
  readonly name: string;
  readonly scopes: readonly Scope[];
  readonly labels: Labels;
  /** SHA-256 of the whole token text, in hex. */
  readonly secretHash: string;
  readonly expiresAt: string | null;
}

/** API tokens. Each method is one unit of work. */
export interface TokenStore {
  create(token: TokenWrite, change?: ChangeContext): Promise<StoredToken>;
  /**
   * Creates `token` only when no usable admin token (unrevoked, unexpired at `now`) exists, in
   * one unit of work, so that replicas starting together create one; undefined when one exists.
   */
  createFirstAdmin(token: TokenWrite, now: Date): Promise<StoredToken | undefined>;
  /** Whether an unrevoked admin token, unexpired at `now`, exists. */
  hasUsableAdmin(now: Date): Promise<boolean>;
  /** The token and its secret's hash, revoked or not; undefined when there is none. */
  find(id: string): Promise<(StoredToken & { readonly secretHash: string }) | undefined>;
  /** Unrevoked tokens in creation order. */
  list(query: PageQuery): Promise<Page<StoredToken>>;
  /** Revokes the token at `now`; false when there is no such unrevoked token. */
  revoke(id: string, now: Date, change?: ChangeContext): Promise<boolean>;
  /**
   * Grows with every token change: a cache of verified tokens is good while it stands still.
   * Read by a query started at or after `startedAfter` (performance.now(); default: now). A
   * store that reads it in this process answers at once, without a promise.
   */
  changeVersion(startedAfter?: number): number | Promise<number>;
}
