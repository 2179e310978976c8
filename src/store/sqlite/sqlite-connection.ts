import Database from 'better-sqlite3';
import { StoreBusyError } from '../store-unavailable.js';

/** How long a write waits for another connection's write lock before it gives up. */
export const BUSY_TIMEOUT_MS = 10_000;

/**
 * A connection to the database at `path`, configured as every connection of the service is:
 * the store's own, and the import writer's on its thread.
 */
export function openSqliteConnection(path: string, busyTimeoutMs = BUSY_TIMEOUT_MS): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  // Concurrent writers queue for the write lock instead of failing with SQLITE_BUSY at once.
  db.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
  return db;
}

/**
 * SQLite's "busy" (a lock still held by another connection after busy_timeout, SQLITE_BUSY and
 * its extended codes) as the store's StoreBusyError, which the service answers 503 with
 * Retry-After; any other error as it is.
 */
export function busyAsUnavailable(error: unknown): unknown {
  return isBusy(error) ? new StoreBusyError({ cause: error }) : error;
}

/** SQLITE_BUSY or one of its extended codes: a lock held by another connection. */
export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}
