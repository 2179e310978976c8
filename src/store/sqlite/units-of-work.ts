import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from 'better-sqlite3';
import type { UnitOfWorkMode } from '../store.js';
import { StoreBusyError, StoreUnavailableError } from '../store-unavailable.js';
import { busyAsUnavailable, isBusy } from './sqlite-connection.js';

const UNUSABLE =
  'its file was deleted or replaced under the running service, or cannot be read: nothing was written; restart the service';

/** The longest pause between two tries of a locked-out write: a lock's release is seen within it. */
const MAX_PAUSE_MS = 20;

/**
 * How every store operation runs: synchronously inside one SQLite transaction, so no other
 * work interleaves with its read, decision and write. Writes take the write lock up front
 * (IMMEDIATE) so that concurrent processes queue for it instead of failing on an upgrade.
 *
 * A write never waits for another process's lock with the event loop held: SQLite's busy
 * timeout would block it for as long as the other write lasts (up to 10 s). It tries the lock
 * without waiting, and between tries lets the loop run; one still locked out after the
 * connection's busy timeout is a StoreBusyError.
 */
export class UnitsOfWork {
  /** A write this store is making on another connection (a large import), settled or not. */
  private elsewhere: Promise<void> | undefined;
  /** How long a write waits for another connection's lock in all: the connection's busy timeout. */
  private readonly busyTimeoutMs: number;

  constructor(
    private readonly db: Database,
    /** Told after each commit (WalCheckpoints), outside the transaction. */
    private readonly afterCommit: () => void = () => {},
    /**
     * Whether the file opened is still the database (SqliteReadiness): a write into a file
     * deleted or replaced under the process would be acknowledged and then lost at the restart.
     */
    private readonly usable: () => boolean = () => true,
  ) {
    this.busyTimeoutMs = Number(db.pragma('busy_timeout', { simple: true }));
  }

  /** A read that sees one snapshot across its statements. */
  async read<T>(work: () => T): Promise<T> {
    return translated(() => this.db.transaction(work).deferred());
  }

  /** A write that commits. */
  async write<T>(work: () => T): Promise<T> {
    return this.immediate(work, 'COMMIT');
  }

  /** A write that commits, or for a dry run answers the same and rolls back. */
  async run<T>(mode: UnitOfWorkMode, work: () => T): Promise<T> {
    return this.immediate(work, mode === 'commit' ? 'COMMIT' : 'ROLLBACK');
  }

  private async immediate<T>(work: () => T, end: 'COMMIT' | 'ROLLBACK'): Promise<T> {
    this.assertUsable();
    // The busy timeout counts from the first time another connection's lock was met, not from
    // the wait behind this store's own import.
    let giveUpAt: number | undefined;
    for (let pause = 1; ; pause = Math.min(2 * pause, MAX_PAUSE_MS)) {
      // Checked and begun in one step: nothing may start a write elsewhere in between.
      while (this.elsewhere !== undefined) await this.elsewhere;
      if (this.begunAtOnce()) return this.finished(work, end);
      giveUpAt ??= performance.now() + this.busyTimeoutMs;
      if (performance.now() >= giveUpAt) throw new StoreBusyError();
      await sleep(pause);
    }
  }

  private assertUsable(): void {
    if (!this.usable()) throw new StoreUnavailableError(UNUSABLE);
  }

  /** BEGIN IMMEDIATE without waiting: false while another connection holds the write lock. */
  private begunAtOnce(): boolean {
    // An in-memory database has no other connection: nothing to wait for, no pragmas to pay.
    if (this.db.memory) {
      this.db.exec('BEGIN IMMEDIATE');
      return true;
    }
    this.db.pragma('busy_timeout = 0');
    try {
      this.db.exec('BEGIN IMMEDIATE');
      return true;
    } catch (error) {
      if (isBusy(error)) return false;
      throw error;
    } finally {
      this.db.pragma(`busy_timeout = ${this.busyTimeoutMs}`);
    }
  }

  /** `work` in the transaction just begun, then `end`; rolled back when either fails. */
  private finished<T>(work: () => T, end: 'COMMIT' | 'ROLLBACK'): T {
    try {
      const result = work();
      // An async work would run outside the transaction, after it ended.
      if (isPromiseLike(result)) throw new TypeError('a unit of work must be synchronous');
      this.db.exec(end);
      if (end === 'COMMIT') this.afterCommit();
      return result;
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw busyAsUnavailable(error);
    }
  }

  /**
   * `work`, a write on another connection, made while this store's own writes wait: they would
   * otherwise wait for SQLite's write lock with the event loop held (busy_timeout blocks). One
   * at a time, claimed in the same step that finds none running.
   */
  async elsewhereExclusive<T>(work: () => Promise<T>): Promise<T> {
    this.assertUsable();
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

const isPromiseLike = (value: unknown) =>
  typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
