import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import { useTempDirs } from '../support/temp-dirs.js';

const run = promisify(execFile);
const WORKER = new URL('./support/create-worker.ts', import.meta.url).pathname;
const PROCESSES = 6;
const ATTEMPTS = 5;
const tempDir = useTempDirs('ipam-race-');

describe('concurrent creates across processes', () => {
  it('store exactly one plan per name, and every other attempt is a clean PLAN_NAME_TAKEN', async () => {
    const databasePath = join(tempDir(), 'ipam.db');
    const workers = Array.from({ length: PROCESSES }, () =>
      run(process.execPath, ['--import', 'tsx', WORKER, databasePath, 'contested', String(ATTEMPTS)]),
    );
    const outcomes = (await Promise.all(workers)).flatMap(({ stdout }) => JSON.parse(stdout) as string[]);

    expect(outcomes).toHaveLength(PROCESSES * ATTEMPTS);
    expect(outcomes.filter((o) => o === 'created')).toHaveLength(1);
    expect(outcomes.filter((o) => o !== 'created').every((o) => o === 'PLAN_NAME_TAKEN')).toBe(true);
    const store = openSqliteStore(databasePath);
    expect((await store.listPlans({ limit: 10 })).items.map((p) => p.name)).toEqual(['contested']);
    await store.close();
  });
});
