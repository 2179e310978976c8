/**
 * Lookup and layout benchmarks. Machines here are noisy, so every figure is printed as a
 * ratio against a baseline measured in the same run: a lookup in a small plan.
 */

import type { PlanInput } from '../src/domain/design/spec.js';
import { IpAddress } from '../src/domain/ip/index.js';
import { fromIpAddress } from '../src/domain/lookup/lookup-address.js';
import { planDesign } from '../src/domain/plan/planner.js';

const OPTIONS = { limitPerIp: 20 };

import { createServices } from '../src/service/services.js';
import { openSqliteStore } from '../src/store/sqlite/open-sqlite.js';

const network = (nodeSubnet: string) => ({
  plugin: 'azure-cni-node-subnet' as const,
  nodeSubnet,
  serviceCidr: '192.168.0.0/16',
  dnsServiceIp: '192.168.0.10',
});

const PLANS: PlanInput[] = [
  {
    name: 'small',
    network: network('10.1.0.0/24'),
    nodePools: [{ name: 'system', nodeCount: 3, maxPods: 30 }],
  },
  {
    name: 'slash8',
    network: network('10.0.0.0/8'),
    nodePools: [{ name: 'system', nodeCount: 3, maxCount: 999, maxPods: 250, maxSurge: 1 }],
  },
  {
    name: 'thousand',
    network: network('10.64.0.0/14'),
    nodePools: [{ name: 'system', nodeCount: 999, maxPods: 250, maxSurge: 1 }],
  },
];

/** Median time per operation over `rounds` rounds of `iterations` calls, in microseconds. */
async function measure(iterations: number, op: () => Promise<unknown>, rounds = 7): Promise<number> {
  for (let i = 0; i < iterations; i++) await op(); // warm-up
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) await op();
    times.push(Number(process.hrtime.bigint() - start) / 1000 / iterations);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

function lastPod(plan: PlanInput): IpAddress {
  const model = planDesign(plan).model;
  const [slot] = model.slots({ offset: model.slotCount() - 1, limit: 1 });
  if (slot?.podRange == null) throw new Error(`${plan.name} should fit`);
  return slot.podRange.last;
}

const { plans, lookups } = createServices(openSqliteStore(':memory:'));
for (const plan of PLANS) await plans.create(plan);
// Unrelated plans in the store, so candidate search is measured against a realistic table.
for (let i = 0; i < 500; i++) {
  await plans.create({
    name: `filler${i}`,
    network: network(`172.${16 + (i % 14)}.${i % 256}.0/24`),
    nodePools: [{ name: 'system', nodeCount: 3 }],
  });
}

const rows: [string, number][] = [];
const smallPod = lastPod(PLANS[0] as PlanInput);
const baseline = await measure(2000, () => lookups.lookup([fromIpAddress(smallPod)], OPTIONS));
rows.push(['lookup, small plan (baseline)', baseline]);
for (const plan of PLANS.slice(1)) {
  const address = lastPod(plan);
  rows.push([
    `lookup, ${plan.name} plan`,
    await measure(2000, () => lookups.lookup([fromIpAddress(address)], OPTIONS)),
  ]);
}
const batch = Array.from({ length: 10_000 }, (_, i) =>
  fromIpAddress(IpAddress.parse(`10.1.0.${4 + (i % 100)}`)),
);
rows.push([
  'batch lookup of 10,000, per address',
  (await measure(1, () => lookups.lookup(batch, OPTIONS), 3)) / batch.length,
]);
const deep = planDesign(PLANS[2] as PlanInput).model;
rows.push([
  'node page of 100 at the end of 1,000 nodes',
  await measure(500, async () => deep.slots({ offset: 900, limit: 100 })),
]);

process.stdout.write('benchmark                                       us/op   x baseline\n');
for (const [name, us] of rows) {
  process.stdout.write(
    `${name.padEnd(46)} ${us.toFixed(2).padStart(8)} ${(us / baseline).toFixed(2).padStart(10)}\n`,
  );
}
