import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Cidr } from '../../src/domain/ip/index.js';
import { FreeSpace } from '../../src/domain/space/free-space.js';
import { addressKey } from '../../src/store/address-keys.js';
import { buildMissingFreeBlocks } from '../../src/store/sqlite/free-block-rows.js';
import {
  checksumOf,
  isMigrated,
  MigrationEditedError,
  migrate,
  readMigrations,
} from '../../src/store/sqlite/migrate.js';
import { MIGRATIONS_DIR, openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
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

  it('refuses a migration file edited after it ran, before running anything', () => {
    const db = new Database(':memory:');
    const migrations = readMigrations(MIGRATIONS_DIR);
    migrate(db, migrations.slice(0, 3));
    const edited = migrations.map((m, i) =>
      i === 1 ? { ...m, checksum: checksumOf(`${m.sql}\n-- edited`) } : m,
    );
    expect(() => migrate(db, edited)).toThrow(new MigrationEditedError(migrations[1]?.name ?? ''));
    // Nothing of the refused run happened: the later migrations are still pending.
    expect(db.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(3);
    expect(migrate(db, migrations)).toEqual(migrations.slice(3).map((m) => m.name));
  });

  it('takes the checksums of migrations recorded before checksums were kept, then holds them', () => {
    const db = new Database(':memory:');
    const migrations = readMigrations(MIGRATIONS_DIR);
    db.exec(
      'CREATE TABLE schema_migrations (version TEXT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
    const [first] = migrations;
    if (first === undefined) throw new Error('a migration');
    db.exec(first.sql);
    db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(first.version, first.name, 'then');
    migrate(db, migrations);
    const stored = db
      .prepare('SELECT checksum FROM schema_migrations WHERE version = ?')
      .pluck()
      .get(first.version);
    expect(stored).toBe(first.checksum);
    expect(() =>
      migrate(db, [{ ...first, checksum: checksumOf('changed') }, ...migrations.slice(1)]),
    ).toThrow(MigrationEditedError);
  });

  it('gives kept revisions the labels their plan has when 014 adds labels to revisions', () => {
    const db = new Database(':memory:');
    const migrations = readMigrations(MIGRATIONS_DIR);
    migrate(
      db,
      migrations.filter((m) => m.version <= '013'),
    );
    db.exec(`INSERT INTO plans (id, name, revision, created_at, updated_at, spec, defaults_applied)
             VALUES ('p', 'p', 1, 'now', 'now', '{}', '[]'), ('q', 'q', 1, 'now', 'now', '{}', '[]');
             INSERT INTO plan_labels VALUES ('p', 'team', 'payments');
             INSERT INTO plan_revisions VALUES ('p', 1, 'p', 'now', 'system', 'system', 'x', '{}', '[]'),
                                               ('q', 1, 'q', 'now', 'system', 'system', 'x', '{}', '[]');`);
    migrate(db, migrations);
    const labels = db.prepare('SELECT plan_id, labels FROM plan_revisions ORDER BY plan_id').all();
    expect(labels).toEqual([
      { plan_id: 'p', labels: '{"team":"payments"}' },
      { plan_id: 'q', labels: '{}' },
    ]);
  });

  it('dates each plan with nodes by its latest when 022 keeps the time of node imports', () => {
    const db = new Database(':memory:');
    const migrations = readMigrations(MIGRATIONS_DIR);
    migrate(
      db,
      migrations.filter((m) => m.version <= '021'),
    );
    for (const id of ['p', 'q']) {
      db.prepare(
        `INSERT INTO plans (id, name, revision, created_at, updated_at, spec, defaults_applied)
         VALUES (?, ?, 1, 'now', 'now', '{}', '[]')`,
      ).run(id, id);
    }
    const node = db.prepare(
      `INSERT INTO plan_nodes (plan_id, name, pool, node_ip, recorded_at) VALUES ('p', ?, 'system', NULL, ?)`,
    );
    node.run('aks-0', '2026-12-01T10:00:00.000Z');
    node.run('aks-1', '2026-12-01T11:00:00.000Z');

    migrate(db, migrations);

    expect(db.prepare('SELECT * FROM node_imports').all()).toEqual([
      { plan_id: 'p', observed_at: '2026-12-01T11:00:00.000Z' },
    ]);
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
        ipv6_pod_cidr: null,
      },
    ]);
  });

  it('gives spaces stored before 009 their free blocks when the store opens', async () => {
    const path = join(tempDir(), 'ipam.db');
    const old = new Database(path);
    migrate(
      old,
      readMigrations(MIGRATIONS_DIR).filter((m) => m.version < '009'),
    );
    const spaces = {
      dual: { cidrs: ['10.0.0.0/22', 'fd00::/56'], allocated: ['10.0.1.0/24', '10.0.0.64/26', 'fd00::/64'] },
      full: { cidrs: ['10.1.0.0/24'], allocated: ['10.1.0.0/25', '10.1.0.128/25'] },
      empty: { cidrs: ['10.2.0.0/16', '10.3.0.0/16'], allocated: [] },
    };
    for (const [name, { cidrs, allocated }] of Object.entries(spaces)) {
      old
        .prepare(
          "INSERT INTO spaces (id, name, created_at, seq) VALUES (?, ?, 'now', (SELECT count(*) + 1 FROM spaces))",
        )
        .run(name, name);
      cidrs.forEach((text, position) => {
        const cidr = Cidr.parse(text);
        old
          .prepare('INSERT INTO space_cidrs (space_id, position, family, cidr) VALUES (?, ?, ?, ?)')
          .run(name, position, cidr.family, text);
      });
      for (const text of allocated) {
        const cidr = Cidr.parse(text);
        old
          .prepare(
            `INSERT INTO allocations (id, space_id, family, cidr, first_key, last_key, purpose, plan_id, created_at)
             VALUES (?, ?, ?, ?, ?, ?, 'old', NULL, 'now')`,
          )
          .run(`${name} ${text}`, name, cidr.family, text, addressKey(cidr.first), addressKey(cidr.last));
      }
    }
    old.close();

    const store = openSqliteStore(path);
    const db = new Database(path);
    for (const [name, { cidrs, allocated }] of Object.entries(spaces)) {
      const blocks = db
        .prepare('SELECT cidr FROM space_free_blocks WHERE space_id = ? ORDER BY family, first_key')
        .pluck()
        .all(name);
      const expected = new FreeSpace(cidrs.map(Cidr.parse), allocated.map(Cidr.parse)).blocks();
      expect(blocks, name).toEqual(expected.map(String));
    }
    expect(db.prepare('SELECT count(*) FROM spaces WHERE free_blocks_built = 0').pluck().get()).toBe(0);
    expect(buildMissingFreeBlocks(db)).toBe(0); // built once, not again at the next open
    db.close();
    const next = await store.spaces.allocate(
      'dual',
      { kind: 'size', family: 4, prefixLength: 24 },
      { purpose: 'p' },
    );
    expect(String(next.allocation.cidr)).toBe('10.0.2.0/24');
    await store.spaces.release('full', 'full 10.1.0.0/25');
    await store.spaces.release('full', 'full 10.1.0.128/25');
    const whole = await store.spaces.allocate(
      'full',
      { kind: 'cidr', cidr: Cidr.parse('10.1.0.0/24') },
      { purpose: 'p' },
    );
    expect(String(whole.allocation.cidr)).toBe('10.1.0.0/24');
    await store.close();
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
