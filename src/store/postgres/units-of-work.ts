import type { Pool, PoolClient } from 'pg';
import { DomainError } from '../../domain/errors.js';
import { nameTaken } from '../refusals.js';
import type { UnitOfWorkMode } from '../store.js';
import { StoreSlowError, StoreUnavailableError } from '../store-unavailable.js';
import { LockQueue } from './lock-queue.js';
import { checkout, Sql } from './sql.js';

/** Deadlocks and serialization failures roll back cleanly: the unit of work runs again. */
const RETRYABLE = new Set(['40001', '40P01']);
const ATTEMPTS = 5;

/** Unique constraints whose violation is a client's conflict, not a defect. */
const TAKEN_NAMES: Record<string, () => DomainError> = {
  plans_name_key: () => nameTaken('plan'),
  spaces_name_key: () => nameTaken('space'),
};

interface PgError extends Error {
  code?: string;
  constraint?: string;
}

/**
 * How every store operation runs: inside one PostgreSQL transaction on one pooled connection.
 * Writes run at READ COMMITTED and take explicit locks (see locks.ts and the space row locks), so
 * each statement after a lock sees everything committed before it; reads see one snapshot
 * (REPEATABLE READ, read only). A unit that loses a deadlock runs again; a database that cannot
 * be reached is a StoreUnavailableError.
 */
export class PgUnitsOfWork {
  /** Writes waiting for one lock, each for as long as a statement may run (see LockQueue). */
  private readonly waits: LockQueue;

  constructor(
    private readonly pool: Pool,
    private readonly usable: () => boolean,
    lockWaitMs = Number.POSITIVE_INFINITY,
  ) {
    this.waits = new LockQueue(lockWaitMs);
  }

  read<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    return this.transaction('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', work, 'COMMIT');
  }

  /**
   * A write. `waitsFor` names the lock it takes first (a space's row, the plan writes' lock):
   * the replica's writes waiting for one lock take a connection one at a time (see LockQueue).
   */
  write<T>(work: (sql: Sql) => Promise<T>, waitsFor?: string): Promise<T> {
    return this.queued(waitsFor, () => this.transaction('BEGIN', work, 'COMMIT'));
  }

  /** A write that commits, or for a dry run answers the same and rolls back. */
  run<T>(mode: UnitOfWorkMode, work: (sql: Sql) => Promise<T>, waitsFor?: string): Promise<T> {
    return this.queued(waitsFor, () =>
      this.transaction('BEGIN', work, mode === 'commit' ? 'COMMIT' : 'ROLLBACK'),
    );
  }

  private queued<T>(lock: string | undefined, work: () => Promise<T>): Promise<T> {
    return lock === undefined ? work() : this.waits.run(lock, work);
  }

  private async transaction<T>(
    begin: string,
    work: (sql: Sql) => Promise<T>,
    end: 'COMMIT' | 'ROLLBACK',
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(begin, work, end);
      } catch (error) {
        if (attempt < ATTEMPTS && RETRYABLE.has((error as PgError).code ?? '')) {
          await pause(attempt);
          continue;
        }
        throw translate(error);
      }
    }
  }

  private async once<T>(begin: string, work: (sql: Sql) => Promise<T>, end: string): Promise<T> {
    if (!this.usable()) throw new StoreUnavailableError('not connected and migrated yet');
    const { client, release } = await checkout(this.pool);
    let broken: Error | undefined;
    try {
      await client.query(begin);
      const result = await work(new Sql(client));
      await client.query(end);
      return result;
    } catch (error) {
      broken = await rollback(client, error);
      throw error;
    } finally {
      release(broken);
    }
  }
}

/**
 * Rolls back after a failure; a connection that cannot even do that is dropped from the pool, as
 * is one whose query went unanswered past its deadline (a ROLLBACK would wait as long again, and
 * the server ends the transaction when the connection closes).
 */
async function rollback(client: PoolClient, cause: unknown): Promise<Error | undefined> {
  if (cause instanceof Error && READ_TIMEOUT.test(cause.message)) return cause;
  try {
    await client.query('ROLLBACK');
    return undefined;
  } catch {
    return cause instanceof Error ? cause : new Error(String(cause));
  }
}

/** A short random pause before running again, so that two deadlocked units part ways. */
function pause(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
}

/** node-postgres's error when a query outlives query_timeout. */
const READ_TIMEOUT = /^Query read timeout$/;
/** pg-pool's error when no connection came within connectionTimeoutMillis. */
const CONNECT_TIMEOUT = /^timeout exceeded when trying to connect$/;

/** Connection-level failures: the database is down, restarting or full (too slow is isSlow's). */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'EAI_AGAIN',
  '53300', // too many connections
  '57P01', // admin shutdown
  '57P02', // crash shutdown
  '57P03', // cannot connect now
]);

/** The error a caller should see: domain conflicts, unavailability, or the error itself. */
export function translate(error: unknown): unknown {
  if (error instanceof DomainError || error instanceof StoreUnavailableError) return error;
  const e = error as PgError;
  const taken = e.code === '23505' && e.constraint !== undefined ? TAKEN_NAMES[e.constraint] : undefined;
  if (taken !== undefined) return taken();
  if (isSlow(e)) return new StoreSlowError(e.message, { cause: error });
  if (isUnavailable(e)) return new StoreUnavailableError(e.message, { cause: error });
  return error;
}

/** A statement over its timeout, a pool with no connection free in time, or no answer at all. */
function isSlow(e: PgError): boolean {
  const message = e.message ?? '';
  return e.code === '57014' || READ_TIMEOUT.test(message) || CONNECT_TIMEOUT.test(message);
}

function isUnavailable(e: PgError): boolean {
  if (e.code !== undefined && (UNAVAILABLE_CODES.has(e.code) || e.code.startsWith('08'))) return true;
  // node-postgres reports a lost connection without a code (timeouts are isSlow's).
  return /Connection terminated|connection timeout|not queryable|Client was closed/i.test(e.message ?? '');
}
