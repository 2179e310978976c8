import type { Database } from 'better-sqlite3';
import type { UnitOfWorkMode } from '../store.js';
import { busyAsUnavailable } from './sqlite-connection.js';

/**
 * How every store operation runs: synchronously inside one SQLite transaction, so no other
 * work interleaves with its read, decision and write. Writes take the write lock up front
 * (IMMEDIATE) so that concurrent processes queue for it instead of failing on an upgrade; one
 * still held by another process after the busy timeout is a StoreBusyError.
 */
export class UnitsOfWork {
  /** A write this store is making on another connection (a large import), settled or not. */
  private elsewhere: Promise<void> | undefined;

  constructor(private readonly db: Database) {}

  /** A read that sees one snapshot across its statements. */
  async read<T>(work: () => T): Promise<T> {
    return translated(() => this.db.transaction(work).deferred());
  }

  /** A write that commits. */
  async write<T>(work: () => T): Promise<T> {
    // Checked and begun in one step: nothing may start a write elsewhere in between.
    while (this.elsewhere !== undefined) await this.elsewhere;
    return translated(() => this.db.transaction(work).immediate());
  }

  /** A write that commits, or for a dry run answers the same and rolls back. */
  async run<T>(mode: UnitOfWorkMode, work: () => T): Promise<T> {
    if (mode === 'commit') return this.write(work);
    while (this.elsewhere !== undefined) await this.elsewhere;
    translated(() => this.db.exec('BEGIN IMMEDIATE'));
    try {
      return work();
    } finally {
      this.db.exec('ROLLBACK');
    }
  }

  /**
   * `work`, a write on another connection, made while this store's own writes wait: they would
   * otherwise wait for SQLite's write lock with the event loop held (busy_timeout blocks). One
   * at a time, claimed in the same step that finds none running.
   */
  async elsewhereExclusive<T>(work: () => Promise<T>): Promise<T> {
    while (this.elsewhere !== undefined) await this.elsewhere;
    let release = () => {};
    const claimed = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.elsewhere = claimed;
    try {
      return await work();
    } finally {
      this.elsewhere = undefined;
      release();
    }
  }
}

function translated<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw busyAsUnavailable(error);
  }
}
