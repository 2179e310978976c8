import type { Database } from 'better-sqlite3';
import { type Migration, plan } from '../migration-files.js';

export { checksumOf, type Migration, MigrationEditedError, readMigrations } from '../migration-files.js';

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
    const { adopt: old, pending } = plan(migrations, done);
    for (const m of old) adopt.run(m.checksum, m.version);
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
