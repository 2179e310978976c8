/**
 * A failing test fails `npm test`: the global setup (an embedded PostgreSQL whose package hooks
 * process exit) once turned the runner's exit status into 0, which would let CI pass red runs.
 */
import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';

it('exits non-zero when a test fails, global setup included', () => {
  const run = spawnSync(
    process.execPath,
    ['node_modules/vitest/vitest.mjs', 'run', '--config', 'test/support/fixtures/vitest.fails.config.ts'],
    { encoding: 'utf8', env: { ...process.env, CI: '1' }, timeout: 120_000 },
  );
  expect(`${run.stdout}${run.stderr}`).toContain('fails on purpose');
  expect(run.status).toBe(1);
}, 120_000);
