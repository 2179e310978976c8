import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';

const MIGRATION_FILE = /^(\d{3})-[a-z0-9-]+\.sql$/;

export interface Migration {
  readonly version: string;
  readonly name: string;
  readonly sql: string;
  /** SHA-256 of the file, recorded when it is applied: a file edited afterwards is refused. */
  readonly checksum: string;
}

/** A migration file that differs from the one the database recorded when it ran it. */
export class MigrationEditedError extends Error {
  readonly code = 'MIGRATION_EDITED';
  constructor(readonly migration: string) {
    super(`migration ${migration} was edited after it was applied`);
  }
}

export function checksumOf(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}

/** The plain SQL files of `dir`, in version order. */
export function readMigrations(dir: string): Migration[] {
  return readdirSync(dir)
    .filter((file) => MIGRATION_FILE.test(file))
    .sort()
    .map((file) => {
      const sql = readFileSync(join(dir, file), 'utf8');
      return { version: file.slice(0, 3), name: file, sql, checksum: checksumOf(sql) };
    });
}

/**
 * Applies the migrations the database has not recorded, all in one immediate transaction,
 * so that processes starting together apply each file exactly once and a failing file
 * leaves the schema as it was. A recorded migration whose file has changed since is refused
 * (MigrationEditedError) before anything runs; migrations recorded before checksums were
 * kept take the checksum of their file as it is now.
 */
export function migrate(db: Database, migrations: readonly Migration[]): string[] {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL, checksum TEXT)',
  );
  const columns = db.prepare("SELECT name FROM pragma_table_info('schema_migrations')").pluck().all();
  if (!columns.includes('checksum')) db.exec('ALTER TABLE schema_migrations ADD COLUMN checksum TEXT');
  const applied = db.prepare('SELECT version, checksum FROM schema_migrations');
  const adopt = db.prepare('UPDATE schema_migrations SET checksum = ? WHERE version = ?');
  const record = db.prepare(
    'INSERT INTO schema_migrations (version, name, applied_at, checksum) VALUES (?, ?, ?, ?)',
  );
  const run = db.transaction(() => {
    const done = new Map(
      (applied.all() as { version: string; checksum: string | null }[]).map((r) => [r.version, r.checksum]),
    );
    for (const m of migrations) {
      if (!done.has(m.version)) continue;
      const recorded = done.get(m.version);
      if (recorded === null || recorded === undefined) adopt.run(m.checksum, m.version);
      else if (recorded !== m.checksum) throw new MigrationEditedError(m.name);
    }
    const pending = migrations.filter((m) => !done.has(m.version));
    for (const m of pending) {
      db.exec(m.sql);
      record.run(m.version, m.name, new Date().toISOString(), m.checksum);
    }
    return pending.map((m) => m.name);
  });
  return run.immediate();
}

/** True when every migration is recorded. */
export function isMigrated(db: Database, migrations: readonly Migration[]): boolean {
  const rows = db.prepare('SELECT version FROM schema_migrations').pluck().all() as string[];
  const done = new Set(rows);
  return migrations.every((m) => done.has(m.version));
}
