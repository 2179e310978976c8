/** The CLI's limits at their edges, where a run of the whole command would take a minute or 8 MiB. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/cli/cli-error.js';
import { readText } from '../../src/cli/input.js';
import { waitBeforeRetry } from '../../src/cli/server-request.js';

describe('waitBeforeRetry: how long aks-ip waits before trying a refused request again', () => {
  const refusal = (status: number, retryAfter?: string) => ({ refused: 'busy', status, retryAfter });

  it('waits a Retry-After of up to a minute, and gives up on a longer one', () => {
    expect(waitBeforeRetry(refusal(429, '60'), 1)).toBe(60);
    expect(waitBeforeRetry(refusal(503, '61'), 1)).toBeUndefined();
    expect(waitBeforeRetry(refusal(503, '0'), 3)).toBe(0);
  });

  it('doubles its own wait without a Retry-After, up to the same minute', () => {
    expect([1, 2, 3, 7].map((attempt) => waitBeforeRetry(refusal(503), attempt))).toEqual(
      [1, 2, 4, 64].map((wait) => (wait <= 60 ? wait : undefined)),
    );
  });

  it('does not try again what another try would not change', () => {
    for (const status of [400, 401, 409, 422, 500, 502])
      expect(waitBeforeRetry(refusal(status, '1'), 1)).toBeUndefined();
  });
});

describe('readText: a file of at most its limit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aks-ip-limits-'));
  const file = (bytes: number) => {
    const path = join(dir, `${bytes}.txt`);
    writeFileSync(path, 'x'.repeat(bytes));
    return path;
  };

  it('reads a file of exactly the limit, and refuses one byte more', () => {
    expect(readText(file(1000), 1000)).toHaveLength(1000);
    expect(() => readText(file(1001), 1000)).toThrow(CliError);
    expect(() => readText(file(1001), 1000)).toThrow(/larger than/);
  });
});
