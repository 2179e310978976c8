/**
 * What one allocation costs as a space fills up: the first /28s of a /8 against the /28s
 * around the 50,000th, on an in-memory store. Each figure is milliseconds per allocation, the
 * median of several samples; machines here are noisy, so read the two against each other.
 */
import { Cidr } from '../src/domain/ip/index.js';
import { openSqliteStore } from '../src/store/sqlite/open-sqlite.js';
import type { Store } from '../src/store/store.js';

const SAMPLES = 9;
const PER_SAMPLE = 25;
const AT = 50_000;

export async function allocationCost(): Promise<{ first: number; at50k: number }> {
  // A throwaway store first, so that the first figure measures allocation and not a cold JIT.
  await filled(openSqliteStore(':memory:'), 2_000);
  const store = openSqliteStore(':memory:');
  const allocate = await slash8(store);
  const first = await sampled(allocate);
  for (let made = SAMPLES * PER_SAMPLE; made < AT - (SAMPLES * PER_SAMPLE) / 2; made++) await allocate();
  const at50k = await sampled(allocate);
  await store.close();
  return { first, at50k };
}

/** A /8 space in the store, and one /28 allocation from it. */
async function slash8(store: Store): Promise<() => Promise<unknown>> {
  const space = await store.spaces.createSpace({
    name: 'bench',
    description: null,
    cidrs: [Cidr.parse('10.0.0.0/8')],
    labels: {},
  });
  return () =>
    store.spaces.allocate(space.id, { kind: 'size', family: 4, prefixLength: 28 }, { purpose: 'bench' });
}

async function filled(store: Store, count: number): Promise<void> {
  const allocate = await slash8(store);
  for (let i = 0; i < count; i++) await allocate();
  await store.close();
}

/** The median over SAMPLES runs of PER_SAMPLE allocations, in ms per allocation. */
async function sampled(allocate: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let s = 0; s < SAMPLES; s++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < PER_SAMPLE; i++) await allocate();
    times.push(Number(process.hrtime.bigint() - start) / 1e6 / PER_SAMPLE);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}
