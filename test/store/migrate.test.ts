import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { isMigrated, migrate, readMigrations } from '../../src/store/sqlite/migrate.js';
import { MIGRATIONS_DIR } from '../../src/store/sqlite/open-sqlite.js';

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

  it('leaves the schema untouched when a migration fails', () => {
    const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
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
    const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
    writeFileSync(join(dir, '001-first.sql'), 'SELECT 1;');
    writeFileSync(join(dir, 'notes.md'), '# not SQL');
    expect(readMigrations(dir).map((m) => m.name)).toEqual(['001-first.sql']);
  });
});
