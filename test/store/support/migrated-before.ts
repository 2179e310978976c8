/**
 * Databases as an earlier release left them: migrated up to a migration, so that a test can write
 * rows as that release wrote them and then run the rest.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { readMigrations } from '../../../src/store/migration-files.js';
import { migratePostgres } from '../../../src/store/postgres/migrate.js';
import { POSTGRES_MIGRATIONS_DIR } from '../../../src/store/postgres/migrations-dir.js';
import { migrate } from '../../../src/store/sqlite/migrate.js';
import { MIGRATIONS_DIR } from '../../../src/store/sqlite/open-sqlite.js';
import { freshDatabase } from '../../support/postgres.js';

/** A plan row as every release wrote it: id, name, spec and defaults (JSON texts). */
export const INSERT_PLAN_SQLITE =
  "INSERT INTO plans (id, name, revision, created_at, updated_at, spec, defaults_applied) VALUES (?, ?, 1, 'then', 'then', ?, ?)";
export const INSERT_PLAN_POSTGRES =
  "INSERT INTO plans (id, name, revision, created_at, updated_at, spec, defaults_applied) VALUES ($1, $2, 1, 'then', 'then', $3, $4)";

/** SQLite in memory with the migrations before `version`; `finish` applies the rest, naming them. */
export function sqliteBefore(version: string): { db: Database.Database; finish: () => string[] } {
  const db = new Database(':memory:');
  const migrations = readMigrations(MIGRATIONS_DIR);
  migrate(
    db,
    migrations.filter((m) => m.version < version),
  );
  return { db, finish: () => migrate(db, migrations) };
}

/**
 * A fresh PostgreSQL database with the migrations before `version`; `finish` applies the rest,
 * `close` ends the pool and drops the database.
 */
export async function postgresBefore(version: string) {
  const { url, drop } = await freshDatabase();
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const migrations = readMigrations(POSTGRES_MIGRATIONS_DIR);
  await migratePostgres(
    pool,
    migrations.filter((m) => m.version < version),
  );
  return {
    pool,
    finish: () => migratePostgres(pool, migrations),
    close: async () => {
      await pool.end();
      await drop();
    },
  };
}
