/**
 * The headroom exposition is the text prom-client writes for the same gauges (the reference
 * below is the gauge code the service used before it wrote the text itself), for random reports:
 * label values that need escaping, infinite utilization, big and negative figures, a range listed
 * twice. And it lets the event loop in between plans.
 */
import fc from 'fast-check';
import { Gauge, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../../src/domain/capacity/verdict.js';
import { Cidr } from '../../../src/domain/ip/index.js';
import { headroomExposition } from '../../../src/http/headroom-exposition.js';
import type { HeadroomReport, PlanHeadroom } from '../../../src/service/headroom-service.js';
import { TimeSlices } from '../../../src/service/time-slices.js';
import { turnsDuring } from '../../support/event-loop-turns.js';

const VERDICTS: readonly Verdict[] = ['ok', 'at-risk', 'exhausted'];

/** The reference: the same gauges through prom-client. */
async function throughPromClient(report: HeadroomReport | undefined): Promise<string> {
  const registry = new Registry();
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Gauge<L>({ name, help, labelNames, registers: [registry] });
  const up = gauge(
    'aksip_headroom_up',
    '1 when the headroom below was read from the database, 0 when it could not be',
    [],
  );
  up.set(report === undefined ? 0 : 1);
  if (report === undefined) return registry.metrics();
  const rangeLabels = ['plan', 'range_kind', 'cidr'] as const;
  const usable = gauge(
    'aksip_range_usable_addresses',
    'Addresses of the range pods, nodes and services may use',
    rangeLabels,
  );
  const required = gauge(
    'aksip_range_required_addresses',
    'Addresses the range needs now, at the autoscaler maxima, and at the maxima during an upgrade',
    [...rangeLabels, 'stage'],
  );
  const free = gauge(
    'aksip_range_free_addresses',
    'Usable addresses left during an upgrade at the maxima (negative: the shortfall)',
    rangeLabels,
  );
  const utilization = gauge(
    'aksip_range_utilization_ratio',
    'Required during an upgrade at the maxima over usable',
    rangeLabels,
  );
  const verdict = gauge(
    'aksip_plan_verdict',
    "1 for the plan's verdict (ok, at-risk, exhausted), 0 for the others",
    ['plan', 'verdict'],
  );
  const snat = gauge(
    'aksip_snat_utilization_ratio',
    'Nodes at the maxima plus surge over the nodes the SNAT ports carry',
    ['plan'],
  );
  const recorded = gauge('aksip_pool_recorded_nodes', 'Nodes recorded from the cluster, by pool', [
    'plan',
    'pool',
  ]);
  const slots = gauge(
    'aksip_pool_node_slots',
    'Node slots the plan lays out for the pool (maximum plus surge)',
    ['plan', 'pool'],
  );
  const plans = gauge(
    'aksip_plans',
    'Stored plans the caller sees, by verdict (also those beyond METRICS_MAX_PLANS)',
    ['verdict'],
  );
  const reported = gauge(
    'aksip_plans_reported',
    'Plans with series in this scrape: the nearest exhaustion, at most METRICS_MAX_PLANS',
    [],
  );
  const spaceFree = gauge('aksip_space_free_addresses', 'Addresses of the space not allocated, by family', [
    'space',
    'family',
  ]);
  const spaceUse = gauge(
    'aksip_space_utilization_ratio',
    'Allocated over all addresses of the space, by family',
    ['space', 'family'],
  );
  for (const h of report.plans) {
    const plan = h.plan.name;
    for (const r of h.ranges) {
      const labels = { plan, range_kind: r.kind, cidr: r.cidr.toString() };
      usable.set(labels, Number(r.usable));
      required.set({ ...labels, stage: 'current' }, Number(r.required.current));
      required.set({ ...labels, stage: 'at_max_count' }, Number(r.required.atMaxCount));
      required.set({ ...labels, stage: 'during_upgrade' }, Number(r.required.duringUpgrade));
      free.set(labels, Number(r.free));
      utilization.set(labels, r.utilization);
    }
    for (const v of VERDICTS) verdict.set({ plan, verdict: v }, h.verdict === v ? 1 : 0);
    if (h.snatUtilization !== null) snat.set({ plan }, h.snatUtilization);
    const counts = report.recordedNodes.get(h.plan.id);
    for (const pool of h.pools) {
      slots.set({ plan, pool: pool.name }, pool.slots);
      if (counts !== undefined) recorded.set({ plan, pool: pool.name }, counts.get(pool.name) ?? 0);
    }
  }
  for (const v of VERDICTS) plans.set({ verdict: v }, report.verdicts[v]);
  reported.set(report.plans.length);
  for (const { space, use } of report.spaces) {
    for (const u of use) {
      const labels = { space: space.name, family: u.family === 4 ? 'ipv4' : 'ipv6' };
      spaceFree.set(labels, Number(u.free));
      spaceUse.set(labels, u.total === 0n ? 0 : Number(u.allocated) / Number(u.total));
    }
  }
  return registry.metrics();
}

const written = async (report: HeadroomReport | undefined) =>
  `${(await headroomExposition(report)).join('')}\n`;

const name = fc.constantFrom('prod-weu-1', 'a"b', 'back\\slash', 'new\nline', 'x', 'system', 'ü');
const figure = fc.oneof(fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }), fc.bigInt({ min: 0n, max: 300n }));
const cidr = fc
  .constantFrom('10.0.0.0/24', '10.1.0.0/16', 'fd00::/64', '10.0.0.0/24')
  .map((c) => Cidr.parse(c));
const range = fc.record({
  kind: fc.constantFrom('node-subnet', 'pod-cidr', 'service-cidr'),
  cidr,
  usable: figure,
  required: fc.record({ current: figure, atMaxCount: figure, duringUpgrade: figure }),
  free: figure,
  utilization: fc.oneof(fc.double({ min: 0, max: 2, noNaN: true }), fc.constant(Number.POSITIVE_INFINITY)),
});
const planHeadroom = fc.record({
  id: fc.uuid(),
  name,
  verdict: fc.constantFrom<Verdict>(...VERDICTS),
  ranges: fc.array(range, { maxLength: 5 }),
  snatUtilization: fc.option(fc.double({ min: 0, max: 3, noNaN: true }), { nil: null }),
  pools: fc.array(fc.record({ name, slots: fc.nat(5000) }), { maxLength: 3 }),
  recorded: fc.option(fc.array(fc.tuple(name, fc.nat(100)), { maxLength: 3 }), { nil: undefined }),
});
const report = fc
  .record({
    plans: fc.uniqueArray(planHeadroom, { selector: (p) => p.name, maxLength: 5 }),
    verdicts: fc.record({ ok: fc.nat(), 'at-risk': fc.nat(), exhausted: fc.nat() }),
    spaces: fc.array(
      fc.record({
        name,
        use: fc.array(
          fc.record({ family: fc.constantFrom(4, 6), total: figure, allocated: figure, free: figure }),
          {
            maxLength: 2,
          },
        ),
      }),
      { maxLength: 3 },
    ),
  })
  .map(
    (r) =>
      ({
        plans: r.plans.map(
          (p) =>
            ({
              plan: { id: p.id, name: p.name },
              verdict: p.verdict,
              ranges: p.ranges,
              snatUtilization: p.snatUtilization,
              pools: p.pools,
              nearness: 0,
            }) as unknown as PlanHeadroom,
        ),
        recordedNodes: new Map(
          r.plans.flatMap((p) => (p.recorded === undefined ? [] : [[p.id, new Map(p.recorded)]])),
        ),
        verdicts: r.verdicts,
        spaces: r.spaces.map((s) => ({ space: { name: s.name }, use: s.use })),
      }) as unknown as HeadroomReport,
  );

/** `count` plans named plan-0, plan-1, ..., each holding `ranges`, every one ok. */
function reportOf(count: number, ranges: readonly unknown[]): HeadroomReport {
  const plans = Array.from({ length: count }, (_, i) => ({
    plan: { id: `id-${i}`, name: `plan-${i}` },
    verdict: 'ok',
    ranges,
    snatUtilization: null,
    pools: [],
    nearness: 0,
  }));
  const verdicts = { ok: count, 'at-risk': 0, exhausted: 0 };
  return { plans, recordedNodes: new Map(), verdicts, spaces: [] } as unknown as HeadroomReport;
}

describe('headroomExposition', () => {
  it('writes what prom-client writes for the same gauges', async () => {
    await fc.assert(
      fc.asyncProperty(report, async (r) => {
        expect(await written(r)).toBe(await throughPromClient(r));
      }),
      { numRuns: 300 },
    );
  });

  it('writes a gauge of thousands of series whole (written a few thousand lines at a time)', async () => {
    const range = {
      kind: 'node-subnet',
      cidr: Cidr.parse('10.0.0.0/24'),
      usable: 251n,
      required: { current: 3n, atMaxCount: 4n, duringUpgrade: 5n },
      free: 246n,
      utilization: 0.02,
    };
    const big = reportOf(2_100, [range]);
    const text = await written(big);
    expect(text).toBe(await throughPromClient(big));
    expect(text.split('\n').filter((l) => l.startsWith('aksip_range_required_addresses{'))).toHaveLength(
      6_300,
    );
  });

  it('writes only aksip_headroom_up 0 while the database is away', async () => {
    expect(await written(undefined)).toBe(await throughPromClient(undefined));
    expect(await written(undefined)).toContain('\naksip_headroom_up 0\n');
  });

  it('lets the event loop in between plans', async () => {
    const big = reportOf(50, []);
    const turns = await turnsDuring(() => headroomExposition(big, new TimeSlices(0)));
    expect(turns).toBeGreaterThanOrEqual(50);
  });
});
