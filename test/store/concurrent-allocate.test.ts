import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Cidr } from '../../src/domain/ip/index.js';
import { FreeSpace } from '../../src/domain/space/free-space.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import { useTempDirs } from '../support/temp-dirs.js';

const run = promisify(execFile);
const WORKER = new URL('./support/allocate-worker.ts', import.meta.url).pathname;
const PROCESSES = 4;
const tempDir = useTempDirs('ipam-alloc-');

interface Outcome {
  prefixLength: number;
  cidr?: string;
  code?: string;
}

async function race(
  spaceCidr: string,
  sizesPerProcess: number[][],
): Promise<{ outcomes: Outcome[]; stored: Cidr[] }> {
  const databasePath = join(tempDir(), 'ipam.db');
  const store = openSqliteStore(databasePath);
  await store.spaces.createSpace({
    name: 'shared',
    description: null,
    cidrs: [Cidr.parse(spaceCidr)],
    labels: {},
  });
  const workers = sizesPerProcess.map((sizes) =>
    run(process.execPath, ['--import', 'tsx', WORKER, databasePath, 'shared', sizes.join(',')]),
  );
  const outcomes = (await Promise.all(workers)).flatMap(({ stdout }) => JSON.parse(stdout) as Outcome[]);
  const space = await store.spaces.getSpace('shared');
  const stored = await store.spaces.allocatedCidrs(space?.id ?? '');
  await store.close();
  return { outcomes, stored };
}

function expectDisjointInside(cidrs: Cidr[], space: Cidr): void {
  for (const [i, a] of cidrs.entries()) {
    expect(space.covers(a), `${a} inside ${space}`).toBe(true);
    for (const b of cidrs.slice(i + 1)) expect(a.overlaps(b), `${a} and ${b}`).toBe(false);
  }
}

describe('concurrent allocations from several processes into one space', () => {
  it('never overlap, fill exactly what fits, and fail only with clean SPACE_EXHAUSTED', async () => {
    // 4 x 75 = 300 requests of /25, /26, /27 and /28 into a /22: far more than fits.
    const sizes = Array.from({ length: PROCESSES }, (_, p) =>
      Array.from({ length: 75 }, (_, i) => 25 + ((i + p) % 4)),
    );
    const space = Cidr.parse('10.20.0.0/22');
    const { outcomes, stored } = await race(space.toString(), sizes);

    expect(outcomes).toHaveLength(300);
    const won = outcomes.filter((o) => o.cidr !== undefined);
    const lost = outcomes.filter((o) => o.cidr === undefined);
    expect(new Set(lost.map((o) => o.code))).toEqual(new Set(['SPACE_EXHAUSTED']));
    expect(won.map((o) => o.cidr).sort()).toEqual(stored.map(String).sort());
    expectDisjointInside(stored, space);
    // Nothing is released, so a size that failed once still cannot fit at the end.
    const free = new FreeSpace([space], stored);
    for (const prefix of new Set(lost.map((o) => o.prefixLength)))
      expect(free.countFitting(4, prefix)).toBe(0n);
    // And the space ends full: the /28s, the smallest size, took every last block.
    expect(free.freeAddresses(4)).toBe(0n);
  });

  it('grant exactly as many equal blocks as fit: 16 of 40 /26s in a /22', async () => {
    const sizes = Array.from({ length: PROCESSES }, () => Array.from({ length: 10 }, () => 26));
    const space = Cidr.parse('10.30.0.0/22');
    const { outcomes, stored } = await race(space.toString(), sizes);

    expect(outcomes.filter((o) => o.cidr !== undefined)).toHaveLength(16);
    expect(outcomes.filter((o) => o.code === 'SPACE_EXHAUSTED')).toHaveLength(24);
    expect(stored).toHaveLength(16);
    expectDisjointInside(stored, space);
  });
});
