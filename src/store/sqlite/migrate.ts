import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';

const MIGRATION_FILE = /^(\d{3})-[a-z0-9-]+\.sql$/;

export interface Migration {
  readonly version: string;
  readonly name: string;
  readonly sql: string;
}

/** The plain SQL files of `dir`, in version order. */
export function readMigrations(dir: string): Migration[] {
  return readdirSync(dir)
    .filter((file) => MIGRATION_FILE.test(file))
    .sort()
    .map((file) => ({
      version: file.slice(0, 3),
      name: file,
      sql: readFileSync(join(dir, file), 'utf8'),
    }));
}

/**
 * Applies the migrations the database has not recorded, all in one immediate transaction,
 * so that processes starting together apply each file exactly once and a failing file
 * leaves the schema as it was.
 */
export function migrate(db: Database, migrations: readonly Migration[]): string[] {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
  );
  const applied = db.prepare('SELECT version FROM schema_migrations').pluck();
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const run = db.transaction(() => {
    const done = new Set(applied.all() as string[]);
    const pending = migrations.filter((m) => !done.has(m.version));
    for (const m of pending) {
      db.exec(m.sql);
      record.run(m.version, m.name, new Date().toISOString());
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
