/** Lookups inside one process: no HTTP, the service over a store, as an embedding caller sees it. */
import { parseLookupAddress } from '../src/domain/lookup/lookup-address.js';
import { planDesign } from '../src/domain/plan/planner.js';
import { PlanIndex } from '../src/service/plan-index.js';
import { createServices } from '../src/service/services.js';
import { openSqliteStore } from '../src/store/sqlite/open-sqlite.js';
import type { Store } from '../src/store/store.js';
import { fillNodeSubnetPlans, nodeSubnetOf, podOf } from './fill.js';
import { median } from './http.js';

const OPTIONS = { limitPerIp: 20 };

/** Batch lookups of 10,000 IPv4 texts over `plans` plans, one match each: addresses per second. */
export async function batchInProcess(plans = 10_000, runs = 15): Promise<number> {
  const store = openSqliteStore(':memory:');
  await fillNodeSubnetPlans(store, plans);
  const { lookups } = createServices(store);
  const texts = Array.from({ length: 10_000 }, (_, k) => podOf((k * 7919) % plans, k));
  const times: number[] = [];
  for (let r = 0; r < runs + 2; r++) {
    const start = performance.now();
    const answers = await lookups.lookup(
      texts.map((text) => parseLookupAddress(text) ?? fail(text)),
      OPTIONS,
    );
    if (r >= 2) times.push(performance.now() - start);
    if (answers.some((a) => a.matchCount !== 1)) throw new Error('every address should match one plan');
  }
  await store.close();
  return texts.length / (median(times) / 1000);
}

/**
 * One address looked up again and again in each store, in alternating rounds (they share the
 * machine's mood and the same heap): microseconds per lookup, the median of each store's rounds.
 * A full collection of the large heap takes longer than a round; medians keep one from deciding.
 */
async function singleLookupMicros(stores: readonly Store[], ip: string, times = 20_000, rounds = 9) {
  const address = [parseLookupAddress(ip) ?? fail(ip)];
  const services = stores.map((store) => createServices(store).lookups);
  for (const lookups of services) for (let i = 0; i < 2000; i++) await lookups.lookup(address, OPTIONS);
  globalThis.gc?.();
  const micros = services.map((): number[] => []);
  for (let r = 0; r < rounds; r++) {
    for (const [k, lookups] of services.entries()) {
      const start = performance.now();
      for (let i = 0; i < times; i++) await lookups.lookup(address, OPTIONS);
      micros[k]?.push(((performance.now() - start) * 1000) / times);
    }
  }
  return micros.map(median);
}

/**
 * A lookup among 100 plans against the same among 100,000; the time to build the index of
 * 100,000 plans from the store; and the memory the index and a laid-out design take per plan.
 */
export async function atScale(large = 100_000) {
  const small = openSqliteStore(':memory:');
  await fillNodeSubnetPlans(small, 100);
  const big = openSqliteStore(':memory:');
  await fillNodeSubnetPlans(big, large);
  const { buildMs, indexBytesPerPlan } = await indexBuild(big);
  // The index built above is garbage by now: the lookups run with one index per store live.
  const [at100 = Number.NaN, atLarge = Number.NaN] = await singleLookupMicros([small, big], podOf(50, 7));
  await small.close();
  await big.close();
  return { at100, atLarge, ratio: atLarge / at100, buildMs, indexBytesPerPlan, designBytes: designBytes() };
}

/** The time to build an index of every stored plan, and the heap it holds per plan. */
async function indexBuild(store: Store) {
  const heapBefore = heapUsed();
  const buildStart = performance.now();
  const index = new PlanIndex(store);
  await index.sync(undefined, false); // as the service builds it before its port opens
  const buildMs = performance.now() - buildStart;
  return { buildMs, indexBytesPerPlan: (heapUsed() - heapBefore) / index.planCount };
}

/** The heap a laid-out one-pool design holds, measured over 2,000 of them. */
function designBytes(count = 2000): number {
  const before = heapUsed();
  const designs = Array.from({ length: count }, (_, i) =>
    planDesign({
      name: `d${i}`,
      network: { plugin: 'azure-cni-node-subnet', nodeSubnet: nodeSubnetOf(i) },
      nodePools: [{ name: 'system', nodeCount: 3, maxPods: 30 }],
    }),
  );
  const bytes = (heapUsed() - before) / designs.length;
  return designs.length > 0 ? bytes : 0;
}

function heapUsed(): number {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
}

function fail(text: string): never {
  throw new Error(`${text} should parse`);
}
