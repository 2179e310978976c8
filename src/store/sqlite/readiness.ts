import { statSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { isMigrated, type Migration } from './migrate.js';

/** How long a readiness answer is reused: probes come often, and the check reads the file. */
const CHECK_TTL_MS = 1000;

interface FileIdentity {
  readonly dev: number;
  readonly ino: number;
}

/**
 * Whether the database can serve: its file is still the one opened (not deleted, not replaced
 * under the running process, which SQLite would not notice), and a read of the schema succeeds
 * and finds every migration. The answer is cached for a second.
 */
export class SqliteReadiness {
  private readonly identity: FileIdentity | undefined;
  private last = { at: Number.NEGATIVE_INFINITY, ready: false };

  constructor(
    private readonly db: Database,
    private readonly path: string,
    private readonly migrations: readonly Migration[],
  ) {
    this.identity = path === ':memory:' ? undefined : identityOf(path);
  }

  isReady(now = Date.now()): boolean {
    if (now - this.last.at < CHECK_TTL_MS) return this.last.ready;
    this.last = { at: now, ready: this.check() };
    return this.last.ready;
  }

  private check(): boolean {
    if (this.identity !== undefined) {
      const current = identityOf(this.path);
      if (current?.dev !== this.identity.dev || current.ino !== this.identity.ino) return false;
    }
    try {
      return this.db.open && isMigrated(this.db, this.migrations);
    } catch {
      return false;
    }
  }
}

function identityOf(path: string): FileIdentity | undefined {
  const stat = statSync(path, { throwIfNoEntry: false });
  return stat && { dev: stat.dev, ino: stat.ino };
}
