/**
 * During a rolling upgrade, replicas of the previous release still import pods: they close rows
 * and note imports without the bookkeeping this release's readers catch up from (the import
 * that closed a row, the count of imports, a logged plan change). The schema keeps it for them.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { IpAddress } from '../../src/domain/ip/index.js';
import type { PodAddress } from '../../src/domain/pods/pod-address.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import type { Store } from '../../src/store/store.js';
import { openStoreAt } from '../replicas/support.js';
import { freshDatabase } from '../support/postgres.js';
import { useTempDirs } from '../support/temp-dirs.js';
import { planWrite } from './contract/fixtures.js';

const tempDir = useTempDirs('ipam-previous-');
const T = (minute: number) => new Date(Date.UTC(2026, 10, 30, 14, minute)).toISOString();
const pod: PodAddress = {
  ip: IpAddress.parse('10.240.0.57'),
  namespace: 'shop',
  pod: 'web-1',
  ownerKind: null,
  ownerName: null,
  node: null,
  hostNetwork: false,
};

/** What the previous release wrote for an import that saw none of the plan's pods: SQL of its own. */
interface PreviousRelease {
  importNothing(planId: string, at: string): Promise<void>;
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function sqlite(): Promise<{ store: Store; previous: PreviousRelease }> {
  const path = join(tempDir(), 'ipam.db');
  const store = openSqliteStore(path);
  const db = new Database(path);
  const previous: PreviousRelease = {
    importNothing: async (planId, at) => {
      db.transaction(() => {
        for (const seq of db
          .prepare('SELECT seq FROM pod_addresses WHERE plan_id = ? AND to_at IS NULL')
          .pluck()
          .all(planId)) {
          db.prepare('UPDATE pod_addresses SET to_at = ? WHERE seq = ?').run(at, seq);
        }
        db.prepare(
          `INSERT INTO pod_imports (plan_id, observed_at) VALUES (?, ?)
           ON CONFLICT (plan_id) DO UPDATE SET observed_at = excluded.observed_at`,
        ).run(planId, at);
      })();
    },
  };
  cleanups.push(
    () => store.close(),
    async () => db.close(),
  );
  return { store, previous };
}

async function postgres(): Promise<{ store: Store; previous: PreviousRelease }> {
  const database = await freshDatabase();
  const store = await openStoreAt(database.url);
  const pool = new pg.Pool({ connectionString: database.url, max: 1 });
  const previous: PreviousRelease = {
    importNothing: async (planId, at) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock(7305421109)');
        await client.query('UPDATE pod_addresses SET to_at = $1 WHERE plan_id = $2 AND to_at IS NULL', [
          at,
          planId,
        ]);
        await client.query(
          `INSERT INTO pod_imports (plan_id, observed_at) VALUES ($1, $2)
           ON CONFLICT (plan_id) DO UPDATE SET observed_at = excluded.observed_at`,
          [planId, at],
        );
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    },
  };
  cleanups.push(
    database.drop,
    () => store.close(),
    () => pool.end(),
  );
  return { store, previous };
}

describe.each([
  ['SQLite', sqlite],
  ['PostgreSQL', postgres],
])('an import by a replica of the previous release (%s)', (_name, open) => {
  it('is counted, names the import in its closes, and is logged as a change of the plan', async () => {
    const { store, previous } = await open();
    const planId = (await store.createPlan(planWrite('alpha'))).id;
    await store.recordPods(planId, [pod], T(0));
    const version = await store.changeVersion();
    await previous.importNothing(planId, T(10));
    expect((await store.indexChangesSince(version))?.plans.map((p) => p.id)).toEqual([planId]);
    const closed = await store.podIntervalsClosedSince(planId, 1, undefined, 10);
    expect(closed.imports).toBe(2);
    expect(closed.rows.map((r) => [r.pod, r.to, r.closedBy])).toEqual([['web-1', T(10), 2]]);
    // This release's next import goes on counting from there.
    await store.recordPods(planId, [pod], T(20));
    expect((await store.podIntervalPage(planId, 0, 10)).imports).toBe(3);
  });
});
