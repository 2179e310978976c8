import { copyFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PodAddress } from '../../src/domain/pods/pod-address.js';
import { ImportWriter } from '../../src/store/sqlite/import-writer.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import { CHECKPOINT_DELAY_MS, WalCheckpoints } from '../../src/store/sqlite/wal-checkpoints.js';
import type { Store } from '../../src/store/store.js';
import { useTempDirs } from '../support/temp-dirs.js';
import { planWrite, podsOnOneNode } from './contract/fixtures.js';

const tempDir = useTempDirs('ipam-checkpoints-');
const T = (minute: number) => new Date(Date.UTC(2026, 10, 30, 0, minute)).toISOString();

let store: Store | undefined;
afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await store?.close();
  store = undefined;
});

describe('WalCheckpoints', () => {
  it('checkpoints once, a delay after the first of many commits, and again after later ones', async () => {
    vi.useFakeTimers();
    const checkpoint = vi.fn(async () => {});
    const checkpoints = new WalCheckpoints(checkpoint, 100);
    for (let k = 0; k < 50; k++) checkpoints.noteCommit();
    await vi.advanceTimersByTimeAsync(99);
    expect(checkpoint).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(checkpoint).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(checkpoint).toHaveBeenCalledTimes(1);
    checkpoints.noteCommit();
    await vi.advanceTimersByTimeAsync(100);
    expect(checkpoint).toHaveBeenCalledTimes(2);
  });

  it('makes none once closed, and a checkpoint that fails is left to the next', async () => {
    vi.useFakeTimers();
    const checkpoint = vi.fn(async () => {
      throw new Error('SQLITE_BUSY');
    });
    const checkpoints = new WalCheckpoints(checkpoint, 100);
    checkpoints.noteCommit();
    await vi.advanceTimersByTimeAsync(100);
    checkpoints.noteCommit();
    await vi.advanceTimersByTimeAsync(100);
    expect(checkpoint).toHaveBeenCalledTimes(2);
    checkpoints.noteCommit();
    checkpoints.close();
    checkpoints.noteCommit();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(checkpoint).toHaveBeenCalledTimes(2);
  });
});

/** Pods of one generation: the same addresses, pods of another name (a rollout). */
const generation = (g: number, count: number): PodAddress[] =>
  podsOnOneNode(count).map((pod) => ({ ...pod, pod: `${pod.pod}-g${g}` }));

/** Rows of `table` in the database file alone, as its last checkpoint left it (a copy, without the log). */
function rowsInFileAlone(path: string, table: 'plans' | 'pod_addresses'): number {
  const copy = join(tempDir(), 'copy.db');
  copyFileSync(path, copy);
  const db = new Database(copy);
  try {
    const tables = db.prepare('SELECT count(*) FROM sqlite_schema WHERE name = ?').pluck().get(table);
    return tables === 0 ? 0 : (db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number);
  } finally {
    db.close();
  }
}

const soon = { timeout: 10 * CHECKPOINT_DELAY_MS, interval: 50 };

describe("a SQLite file store's write-ahead log", () => {
  it("is checkpointed on the writer's thread after commits, never by a commit on the event loop", async () => {
    const checkpoint = vi.spyOn(ImportWriter.prototype, 'checkpoint');
    const path = join(tempDir(), 'ipam.db');
    store = openSqliteStore(path);
    const { id } = await store.createPlan(planWrite('alpha', '10.240.0.0/16'));
    await vi.waitFor(() => expect(rowsInFileAlone(path, 'plans')).toBe(1), soon);
    expect(checkpoint).toHaveBeenCalledTimes(1);
    // Imports small enough for the store's own connection: 1,800 rows each, 36,000 in all. No
    // timer runs between them, so no checkpoint of the thread's.
    const imports = 20;
    for (let g = 0; g < imports; g++) await store.recordPods(id, generation(g, 900), T(g));
    const pageSize = 4_096;
    // SQLite's own rule would have checkpointed (and reused the log) past 1,000 pages.
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(2_000 * pageSize);
    expect(rowsInFileAlone(path, 'pod_addresses')).toBe(0);
    expect(checkpoint).toHaveBeenCalledTimes(1);

    await vi.waitFor(() => expect(rowsInFileAlone(path, 'pod_addresses')).toBe(900 * imports), soon);
    expect(checkpoint).toHaveBeenCalledTimes(2);
  });
});
