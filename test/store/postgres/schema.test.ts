/**
 * The PostgreSQL schema has the tables and columns the SQLite migrations end with, so that the
 * two stores share their row shapes; and its change log works as the lookup index expects.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMigrations } from '../../../src/store/migration-files.js';
import { migratePostgres } from '../../../src/store/postgres/migrate.js';
import { POSTGRES_MIGRATIONS_DIR } from '../../../src/store/postgres/migrations-dir.js';
import { migrate } from '../../../src/store/sqlite/migrate.js';
import { MIGRATIONS_DIR } from '../../../src/store/sqlite/open-sqlite.js';
import { freshDatabase } from '../../support/postgres.js';

let pool: pg.Pool;
let drop: () => Promise<void>;

beforeAll(async () => {
  const db = await freshDatabase();
  drop = db.drop;
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  await migratePostgres(pool, readMigrations(POSTGRES_MIGRATIONS_DIR));
});
afterAll(async () => {
  await pool.end();
  await drop();
});

function sqliteColumns(): Record<string, string[]> {
  const db = new Database(':memory:');
  migrate(db, readMigrations(MIGRATIONS_DIR));
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .pluck()
    .all() as string[];
  return Object.fromEntries(
    tables.map((t) => [
      t,
      (db.prepare(`SELECT name FROM pragma_table_info('${t}')`).pluck().all() as string[]).sort(),
    ]),
  );
}

describe('the PostgreSQL schema', () => {
  it('has the tables and columns of the SQLite schema', async () => {
    const { rows } = await pool.query<{ table_name: string; column_name: string }>(
      "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'",
    );
    const tables = [...new Set(rows.map((r) => r.table_name))];
    const columns = Object.fromEntries(
      tables.map((t) => [
        t,
        rows
          .filter((r) => r.table_name === t)
          .map((r) => r.column_name)
          .sort(),
      ]),
    );
    // SQLite keeps the order of a plan's ranges as their rowid; PostgreSQL needs a column for it.
    const sqlite = sqliteColumns();
    sqlite.plan_ranges = [...(sqlite.plan_ranges ?? []), 'position'].sort();
    expect(columns).toEqual(sqlite);
  });

  it("logs plan changes, and a plan's first recorded node only", async () => {
    const seqs = async () =>
      (await pool.query('SELECT plan_id FROM plan_changes ORDER BY seq')).rows.map((r) => r.plan_id);
    const before = (await seqs()).length;
    await pool.query(
      `INSERT INTO plans (id, name, revision, created_at, updated_at, spec, defaults_applied)
       VALUES ('p1', 'one', 1, 'now', 'now', '{}', '[]')`,
    );
    await pool.query("INSERT INTO plan_nodes VALUES ('p1', 'n1', 'system', '10.0.0.4', NULL, 'now')");
    await pool.query("INSERT INTO plan_nodes VALUES ('p1', 'n2', 'system', '10.0.0.5', NULL, 'now')");
    await pool.query("UPDATE plans SET revision = 2 WHERE id = 'p1'");
    await pool.query("DELETE FROM plan_nodes WHERE plan_id = 'p1'");
    await pool.query("DELETE FROM plans WHERE id = 'p1'");
    expect((await seqs()).slice(before)).toEqual(['p1', 'p1', 'p1', 'p1']); // insert, first node, update, delete
  });

  it('counts token changes, statement by statement', async () => {
    const version = async () =>
      Number((await pool.query('SELECT version FROM token_changes')).rows[0].version);
    const before = await version();
    await pool.query(
      `INSERT INTO tokens (id, seq, name, scopes, labels, secret_hash, created_at)
       VALUES ('t1', 1, 'a', '["read"]', '{}', repeat('0', 64), 'now')`,
    );
    await pool.query("UPDATE tokens SET revoked_at = 'now' WHERE id = 't1'");
    expect(await version()).toBe(before + 2);
  });
});
