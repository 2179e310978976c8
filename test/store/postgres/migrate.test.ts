/**
 * The PostgreSQL migrator against a real server (embedded, or TEST_DATABASE_URL): applied once,
 * also when replicas start together, and an edited file refused before anything runs.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { checksumOf, MigrationEditedError, readMigrations } from '../../../src/store/migration-files.js';
import { migratePostgres } from '../../../src/store/postgres/migrate.js';
import { freshDatabase } from '../../support/postgres.js';
import { useTempDirs } from '../../support/temp-dirs.js';

const tempDir = useTempDirs('pg-migrations-');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Two migrations: a table, then a row counting how often the second one ran. */
function migrationsDir(): string {
  const dir = tempDir();
  writeFileSync(join(dir, '001-counter.sql'), 'CREATE TABLE runs (migration text NOT NULL);');
  writeFileSync(join(dir, '002-count.sql'), "INSERT INTO runs VALUES ('002');");
  return dir;
}

async function database() {
  const { url, drop } = await freshDatabase();
  const pools: pg.Pool[] = [];
  cleanups.push(drop, async () => {
    for (const pool of pools) await pool.end();
  });
  return (): pg.Pool => {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    pools.push(pool);
    return pool;
  };
}

describe('PostgreSQL migrations', () => {
  it('apply each file once and record its checksum', async () => {
    const pool = (await database())();
    const migrations = readMigrations(migrationsDir());
    expect(await migratePostgres(pool, migrations)).toEqual(['001-counter.sql', '002-count.sql']);
    expect(await migratePostgres(pool, migrations)).toEqual([]);
    const { rows } = await pool.query('SELECT version, checksum FROM schema_migrations ORDER BY version');
    expect(rows).toEqual(migrations.map((m) => ({ version: m.version, checksum: m.checksum })));
  });

  it('run once when four replicas start together', async () => {
    const open = await database();
    const migrations = readMigrations(migrationsDir());
    const applied = await Promise.all([1, 2, 3, 4].map(() => migratePostgres(open(), migrations)));
    expect(applied.flat().sort()).toEqual(['001-counter.sql', '002-count.sql']);
    const { rows } = await open().query('SELECT count(*)::int AS n FROM runs');
    expect(rows[0].n).toBe(1);
  });

  it('refuse a file edited after it ran, and run nothing', async () => {
    const pool = (await database())();
    const dir = migrationsDir();
    const [first] = readMigrations(dir);
    if (first === undefined) throw new Error('a migration');
    await migratePostgres(pool, [first]);
    writeFileSync(join(dir, '001-counter.sql'), 'CREATE TABLE runs (migration text);');
    const edited = readMigrations(dir);
    expect(edited[0]?.checksum).not.toBe(checksumOf(first.sql));
    await expect(migratePostgres(pool, edited)).rejects.toThrow(MigrationEditedError);
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM runs');
    expect(rows[0].n).toBe(0); // 002 did not run
  });
});
