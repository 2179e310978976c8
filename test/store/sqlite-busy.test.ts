import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ImportWriter } from '../../src/store/sqlite/import-writer.js';
import { openSqliteDatabase } from '../../src/store/sqlite/open-sqlite.js';
import { openSqliteConnection } from '../../src/store/sqlite/sqlite-connection.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { UnitsOfWork } from '../../src/store/sqlite/units-of-work.js';
import { StoreBusyError } from '../../src/store/store-unavailable.js';
import { SYSTEM_CLOCK } from '../../src/store/system-clock.js';
import { testApp } from '../http/support/app.js';
import { exampleDesign } from '../http/support/designs.js';
import { useTempDirs } from '../support/temp-dirs.js';
import { planWrite, podsOnOneNode } from './contract/fixtures.js';

const tempDir = useTempDirs('ipam-busy-');
/** How long this file's connections wait for another's write lock: SQLite's "busy" in a test's time. */
const BUSY_MS = 100;

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A store over a database file whose main connection and import thread give up after BUSY_MS. */
function busyingStore(busyMs = BUSY_MS) {
  const path = join(tempDir(), 'ipam.db');
  const { db } = openSqliteDatabase(path);
  db.pragma(`busy_timeout = ${busyMs}`);
  const store = new SqliteStore(db, () => true, SYSTEM_CLOCK, new ImportWriter(path, busyMs));
  closers.push(() => store.close());
  return { store, path };
}

/** Another process's connection holding the write lock until `release` (what a long write does). */
function holdWriteLock(path: string): { release(): void } {
  const other: Database.Database = openSqliteConnection(path);
  other.exec('BEGIN IMMEDIATE');
  const release = () => {
    if (other.inTransaction) other.exec('COMMIT');
    if (other.open) other.close();
  };
  closers.push(release);
  return { release };
}

const pods = podsOnOneNode;

describe('a SQLite write lock held by another process past the busy timeout', () => {
  it('fails a write as StoreBusyError, writing nothing; the same write succeeds once the lock is free', async () => {
    const { store, path } = busyingStore();
    const lock = holdWriteLock(path);
    await expect(store.createPlan(planWrite('alpha', '10.240.0.0/16'))).rejects.toBeInstanceOf(
      StoreBusyError,
    );
    lock.release();
    expect((await store.listPlans({ limit: 10 })).items).toEqual([]);
    await expect(store.createPlan(planWrite('alpha', '10.240.0.0/16'))).resolves.toMatchObject({
      revision: 1,
    });
  });

  it("fails a large import on the writer's thread as StoreBusyError too, writing nothing", async () => {
    const { store, path } = busyingStore();
    const { id } = await store.createPlan(planWrite('alpha', '10.240.0.0/16'));
    const lock = holdWriteLock(path);
    const at = new Date(Date.UTC(2026, 11, 5, 10)).toISOString();
    await expect(store.recordPods(id, pods(3_000), at)).rejects.toBeInstanceOf(StoreBusyError);
    lock.release();
    expect(await store.podIntervalPage(id, 0, 10)).toMatchObject({ imports: 0, rows: [] });
    await expect(store.recordPods(id, pods(3_000), at)).resolves.toMatchObject({ opened: 3_000 });
  });

  it('is waited for with the event loop running: a lock released meanwhile lets the write commit', async () => {
    // SQLite's own wait would hold the loop for the whole busy timeout: the release below could
    // not run, and the write would fail once it was over.
    const { store, path } = busyingStore(2_000);
    const lock = holdWriteLock(path);
    setTimeout(() => lock.release(), 30);
    const ticks = { count: 0 };
    const ticking = setInterval(() => ticks.count++, 1);
    try {
      await expect(store.createPlan(planWrite('alpha', '10.240.0.0/16'))).resolves.toMatchObject({
        revision: 1,
      });
    } finally {
      clearInterval(ticking);
    }
    expect(ticks.count).toBeGreaterThan(0);
  });

  it('is answered 503 DATABASE_UNAVAILABLE with Retry-After, saying the database is busy', async () => {
    const { store, path } = busyingStore();
    const { app, request } = await testApp(store);
    closers.push(() => app.close());
    holdWriteLock(path);
    const res = await request.post('/v1/plans').send(exampleDesign());
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(res.body).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
    expect(res.body.detail).toContain('busy');
  });
});

describe('a unit of work on a SQLite file', () => {
  function units(busyMs: number) {
    const path = join(tempDir(), 'units.db');
    const db = openSqliteConnection(path, busyMs);
    db.exec('CREATE TABLE t (v INTEGER)');
    closers.push(() => db.close());
    return { db, path, units: new UnitsOfWork(db) };
  }
  const count = (db: Database.Database) =>
    (db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n;

  it('that is async is refused before it commits: its writes are rolled back, the busy timeout kept', async () => {
    const { db, units: work } = units(BUSY_MS);
    const insert = db.prepare('INSERT INTO t VALUES (1)');
    await expect(
      work.write(async () => {
        insert.run();
      }),
    ).rejects.toThrow(TypeError);
    expect([count(db), db.inTransaction, db.pragma('busy_timeout', { simple: true })]).toEqual([
      0,
      false,
      BUSY_MS,
    ]);
    await expect(work.write(() => insert.run().changes)).resolves.toBe(1);
  });

  it("waits its whole busy timeout for another process's lock after waiting for this store's own import", async () => {
    const { db, path, units: work } = units(200);
    // The store's own import holds its writes for 600 ms, three busy timeouts; another process
    // takes the lock just before that ends and keeps it 150 ms.
    const importing = work.elsewhereExclusive(() => sleep(600));
    setTimeout(() => {
      const lock = holdWriteLock(path);
      setTimeout(() => lock.release(), 150);
    }, 500);
    await expect(work.write(() => db.prepare('INSERT INTO t VALUES (1)').run().changes)).resolves.toBe(1);
    await importing;
  });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
