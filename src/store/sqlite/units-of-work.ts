import type { Database } from 'better-sqlite3';
import type { UnitOfWorkMode } from '../store.js';

/**
 * How every store operation runs: synchronously inside one SQLite transaction, so no other
 * work interleaves with its read, decision and write. Writes take the write lock up front
 * (IMMEDIATE) so that concurrent processes queue for it instead of failing on an upgrade.
 */
export class UnitsOfWork {
  constructor(private readonly db: Database) {}

  /** A read that sees one snapshot across its statements. */
  async read<T>(work: () => T): Promise<T> {
    return this.db.transaction(work).deferred();
  }

  /** A write that commits. */
  async write<T>(work: () => T): Promise<T> {
    return this.db.transaction(work).immediate();
  }

  /** A write that commits, or for a dry run answers the same and rolls back. */
  async run<T>(mode: UnitOfWorkMode, work: () => T): Promise<T> {
    if (mode === 'commit') return this.write(work);
    this.db.exec('BEGIN IMMEDIATE');
    try {
      return work();
    } finally {
      this.db.exec('ROLLBACK');
    }
  }
}
