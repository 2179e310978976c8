import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { isMigrated, migrate, readMigrations } from '../../src/store/sqlite/migrate.js';
import { MIGRATIONS_DIR } from '../../src/store/sqlite/open-sqlite.js';
import { useTempDirs } from '../support/temp-dirs.js';

const tempDir = useTempDirs('migrations-');

describe('migrations', () => {
  it('applies every file once, in order, and records it', () => {
    const db = new Database(':memory:');
    const migrations = readMigrations(MIGRATIONS_DIR);
    expect(migrations.map((m) => m.version)).toEqual([...migrations.map((m) => m.version)].sort());
    expect(migrate(db, migrations)).toEqual(migrations.map((m) => m.name));
    expect(migrate(db, migrations)).toEqual([]);
    expect(isMigrated(db, migrations)).toBe(true);
    const recorded = db.prepare('SELECT name FROM schema_migrations ORDER BY version').pluck().all();
    expect(recorded).toEqual(migrations.map((m) => m.name));
  });

  it('keeps recorded nodes when 005 drops their stored slots', () => {
    const db = new Database(':memory:');
    const migrations = readMigrations(MIGRATIONS_DIR);
    migrate(
      db,
      migrations.filter((m) => m.version <= '004'),
    );
    db.prepare(
      `INSERT INTO plans (id, name, revision, created_at, updated_at, spec, defaults_applied)
       VALUES ('p', 'p', 1, 'now', 'now', '{}', '[]')`,
    ).run();
    db.prepare(
      `INSERT INTO plan_nodes (plan_id, name, pool, node_ip, pod_cidr, slot_pool, slot_index, recorded_at)
       VALUES ('p', 'aks-0', 'system', '10.240.0.4', NULL, 'system', 0, 'now')`,
    ).run();

    migrate(db, migrations);

    expect(db.prepare('SELECT * FROM plan_nodes').all()).toEqual([
      {
        plan_id: 'p',
        name: 'aks-0',
        pool: 'system',
        node_ip: '10.240.0.4',
        pod_cidr: null,
        recorded_at: 'now',
      },
    ]);
  });

  it('leaves the schema untouched when a migration fails', () => {
    const dir = tempDir();
    writeFileSync(join(dir, '001-good.sql'), 'CREATE TABLE a (x INTEGER);');
    writeFileSync(join(dir, '002-bad.sql'), 'CREATE TABLE b (x INTEGER); THIS IS NOT SQL;');
    const db = new Database(':memory:');
    expect(() => migrate(db, readMigrations(dir))).toThrow();
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('a', 'b')")
      .all();
    expect(tables).toEqual([]);
    expect(db.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(0);
  });

  it('ignores files that are not numbered migrations', () => {
    const dir = tempDir();
    writeFileSync(join(dir, '001-first.sql'), 'SELECT 1;');
    writeFileSync(join(dir, 'notes.md'), '# not SQL');
    expect(readMigrations(dir).map((m) => m.name)).toEqual(['001-first.sql']);
  });
});
