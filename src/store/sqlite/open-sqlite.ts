import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import type { StoreClock } from '../page.js';
import type { Store } from '../store.js';
import { SYSTEM_CLOCK } from '../system-clock.js';
import { buildMissingFreeBlocks } from './free-block-rows.js';
import { ImportWriter } from './import-writer.js';
import { type Migration, migrate, readMigrations } from './migrate.js';
import { SqliteReadiness } from './readiness.js';
import { openSqliteConnection } from './sqlite-connection.js';
import { SqliteStore } from './sqlite-store.js';

/** The repository's migrations folder, found from this file in src/ and in dist/ alike. */
export const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../migrations');

/**
 * A damaged file is refused at start-up rather than failing requests later. quick_check reads
 * every page once, so it costs time in proportion to the database, once per start.
 */
function assertIntact(db: Database.Database): void {
  const result = db.pragma('quick_check', { simple: true });
  if (result !== 'ok') {
    throw Object.assign(new Error(`database disk image is malformed: ${String(result)}`), {
      code: 'SQLITE_CORRUPT',
    });
  }
}

/**
 * Opens (creating when needed) the database at `path`, or an in-memory one for ":memory:",
 * configures it and applies pending migrations.
 */
export function openSqliteStore(
  path: string,
  clock: StoreClock = SYSTEM_CLOCK,
  migrationsDir = MIGRATIONS_DIR,
): Store {
  const { db, migrations } = openSqliteDatabase(path, migrationsDir);
  const readiness = new SqliteReadiness(db, path, migrations);
  const writer = db.memory ? undefined : new ImportWriter(path);
  return new SqliteStore(db, () => readiness.isReady(), clock, writer);
}

/** The database at `path`, configured, checked and migrated (what the store and the dump use). */
export function openSqliteDatabase(
  path: string,
  migrationsDir = MIGRATIONS_DIR,
): { db: Database.Database; migrations: Migration[] } {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const db = openSqliteConnection(path);
  assertIntact(db);
  const migrations = readMigrations(migrationsDir);
  migrate(db, migrations);
  buildMissingFreeBlocks(db);
  return { db, migrations };
}
