/** The aks-ip-db command: a SQLite file dumped to a file, restored into PostgreSQL, as an operator does. */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import { freshDatabase } from '../support/postgres.js';
import { useTempDirs } from '../support/temp-dirs.js';
import { planWrite } from './contract/fixtures.js';

const run = promisify(execFile);
const CLI = new URL('../../src/db-cli.ts', import.meta.url).pathname;
const tempDir = useTempDirs('aksip-cli-');

const cli = (args: string[], env: Record<string, string>) =>
  run(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { ...process.env, ...env } });

describe('aks-ip-db', () => {
  it('moves a SQLite database to PostgreSQL: dump to a file, restore from it', async () => {
    const dir = tempDir();
    const path = join(dir, 'ipam.db');
    const store = openSqliteStore(path);
    await store.createPlan(planWrite('alpha'));
    await store.close();
    const file = join(dir, 'backup.jsonl');

    const dumped = await cli(['dump', '--out', file], { DATABASE_PATH: path });
    expect(dumped.stderr).toMatch(/^dumped \d+ rows\n$/);
    expect(readFileSync(file, 'utf8').split('\n')[0]).toBe('{"format":"aks-ip-planner-dump","version":2}');

    const db = await freshDatabase();
    try {
      const restored = await cli(['restore', file], { DATABASE_URL: db.url });
      expect(restored.stderr).toMatch(/^restored: plans 1, plan_ranges \d+, .*audit_entries 1\n$/);
      const again = await cli(['restore', file], { DATABASE_URL: db.url }).catch(
        (e: { stderr: string; code: number }) => e,
      );
      expect(again).toMatchObject({
        code: 3,
        stderr: 'aks-ip-db: the database is not empty (plans has rows): restore into a new database\n',
      });
    } finally {
      await db.drop();
    }
  });

  it('never overwrites a file with a dump', async () => {
    const existing = join(tempDir(), 'there.jsonl');
    writeFileSync(existing, 'keep');
    const refused = await cli(['dump', '--out', existing], { DATABASE_PATH: ':memory:' }).catch(
      (e: { stderr: string }) => e,
    );
    expect(refused).toMatchObject({
      code: 2,
      stderr: `aks-ip-db: ${existing} cannot be created (EEXIST): give a new file name\n`,
    });
    expect(readFileSync(existing, 'utf8')).toBe('keep');
  });

  it('says how to use it: on --help, and with exit status 2 for a command line it cannot run', async () => {
    const help = await cli(['--help'], {});
    expect(help.stdout).toMatch(/^Usage: aks-ip-db \[options\] \[command\]/);
    expect(help.stdout).toContain('restore <file>');
    for (const args of [
      ['backup'],
      ['dump', '--to', 'x'],
      ['dump', 'x.jsonl'],
      ['restore', 'a', 'b'],
      ['restore'],
    ]) {
      const wrong = await cli(args, { DATABASE_PATH: ':memory:' }).catch((e: unknown) => e);
      expect(wrong, args.join(' ')).toMatchObject({ code: 2, stderr: expect.stringMatching(/^error: /) });
    }
  });
});
