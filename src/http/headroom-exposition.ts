import type { Verdict } from '../domain/capacity/verdict.js';
import type { HeadroomReport, PlanHeadroom } from '../service/headroom-service.js';
import { TimeSlices } from '../service/time-slices.js';
import { escaped, labelPair, sampleValue } from './prometheus-text.js';

/**
 * The headroom gauges of one scrape in the Prometheus text format, written directly: a thousand
 * plans of a hundred pools are hundreds of thousands of series (30 MB), which prom-client's
 * gauges took seconds to hash, hold and print in one go. Written plan by plan, the event loop
 * let in between slices; the text is what prom-client writes for the same gauges.
 */
export async function headroomExposition(
  report: HeadroomReport | undefined,
  slices = new TimeSlices(),
): Promise<string[]> {
  const up = new GaugeText(
    'aksip_headroom_up',
    '1 when the headroom below was read from the database, 0 when it could not be',
  );
  up.set('', report === undefined ? 0 : 1);
  if (report === undefined) return joinInSlices([up], slices);
  const gauges = new HeadroomGauges();
  for (const plan of report.plans) {
    gauges.addPlan(plan, report.recordedNodes.get(plan.plan.id));
    await slices.maybePause();
  }
  gauges.addTotals(report);
  return joinInSlices([up, ...gauges.all()], slices);
}

/**
 * The gauges' lines joined as the format wants them (a blank line between gauges), a few
 * thousand lines at a time: pieces to concatenate as they are.
 */
async function joinInSlices(gauges: readonly GaugeText[], slices: TimeSlices): Promise<string[]> {
  const pieces: string[] = [];
  for (const [g, gauge] of gauges.entries()) {
    for (let start = 0; start < gauge.lines.length; start += 2_000) {
      const before = start > 0 ? '\n' : g > 0 ? '\n\n' : '';
      pieces.push(before + gauge.lines.slice(start, start + 2_000).join('\n'));
      await slices.maybePause();
    }
  }
  return pieces;
}

const VERDICTS: readonly Verdict[] = ['ok', 'at-risk', 'exhausted'];

/** The gauges of the headroom, in the order a scrape lists them. */
class HeadroomGauges {
  private readonly usable = new GaugeText(
    'aksip_range_usable_addresses',
    'Addresses of the range pods, nodes and services may use',
  );
  private readonly required = new GaugeText(
    'aksip_range_required_addresses',
    'Addresses the range needs now, at the autoscaler maxima, and at the maxima during an upgrade',
  );
  private readonly free = new GaugeText(
    'aksip_range_free_addresses',
    'Usable addresses left during an upgrade at the maxima (negative: the shortfall)',
  );
  private readonly utilization = new GaugeText(
    'aksip_range_utilization_ratio',
    'Required during an upgrade at the maxima over usable',
  );
  private readonly verdict = new GaugeText(
    'aksip_plan_verdict',
    "1 for the plan's verdict (ok, at-risk, exhausted), 0 for the others",
  );
  private readonly snat = new GaugeText(
    'aksip_snat_utilization_ratio',
    'Nodes at the maxima plus surge over the nodes the SNAT ports carry',
  );
  private readonly recorded = new GaugeText(
    'aksip_pool_recorded_nodes',
    'Nodes recorded from the cluster, by pool',
  );
  private readonly slots = new GaugeText(
    'aksip_pool_node_slots',
    'Node slots the plan lays out for the pool (maximum plus surge)',
  );
  private readonly plans = new GaugeText(
    'aksip_plans',
    'Stored plans the caller sees, by verdict (also those beyond METRICS_MAX_PLANS)',
  );
  private readonly reported = new GaugeText(
    'aksip_plans_reported',
    'Plans with series in this scrape: the nearest exhaustion, at most METRICS_MAX_PLANS',
  );
  private readonly spaceFree = new GaugeText(
    'aksip_space_free_addresses',
    'Addresses of the space not allocated, by family',
  );
  private readonly spaceUse = new GaugeText(
    'aksip_space_utilization_ratio',
    'Allocated over all addresses of the space, by family',
  );

  addPlan(h: PlanHeadroom, recordedPerPool: ReadonlyMap<string, number> | undefined): void {
    const plan = labelPair('plan', h.plan.name);
    for (const r of h.ranges) {
      const range = `${plan},${labelPair('range_kind', r.kind)},${labelPair('cidr', r.cidr.toString())}`;
      this.usable.set(range, Number(r.usable));
      this.required.set(`${range},stage="current"`, Number(r.required.current));
      this.required.set(`${range},stage="at_max_count"`, Number(r.required.atMaxCount));
      this.required.set(`${range},stage="during_upgrade"`, Number(r.required.duringUpgrade));
      this.free.set(range, Number(r.free));
      this.utilization.set(range, r.utilization);
    }
    for (const v of VERDICTS) this.verdict.set(`${plan},${labelPair('verdict', v)}`, h.verdict === v ? 1 : 0);
    if (h.snatUtilization !== null) this.snat.set(plan, h.snatUtilization);
    for (const pool of h.pools) {
      const labels = `${plan},${labelPair('pool', pool.name)}`;
      this.slots.set(labels, pool.slots);
      if (recordedPerPool !== undefined) this.recorded.set(labels, recordedPerPool.get(pool.name) ?? 0);
    }
  }

  addTotals(report: HeadroomReport): void {
    for (const v of VERDICTS) this.plans.set(labelPair('verdict', v), report.verdicts[v]);
    this.reported.set('', report.plans.length);
    for (const { space, use } of report.spaces) {
      for (const u of use) {
        const labels = `${labelPair('space', space.name)},${labelPair('family', u.family === 4 ? 'ipv4' : 'ipv6')}`;
        this.spaceFree.set(labels, Number(u.free));
        this.spaceUse.set(labels, u.total === 0n ? 0 : Number(u.allocated) / Number(u.total));
      }
    }
  }

  all(): readonly GaugeText[] {
    return [
      this.usable,
      this.required,
      this.free,
      this.utilization,
      this.verdict,
      this.snat,
      this.recorded,
      this.slots,
      this.plans,
      this.reported,
      this.spaceFree,
      this.spaceUse,
    ];
  }
}

/** One gauge: its series in the order first set; setting the same labels again replaces the value. */
class GaugeText {
  readonly lines: string[];
  private readonly lineOf = new Map<string, number>();

  constructor(
    private readonly name: string,
    help: string,
  ) {
    this.lines = [`# HELP ${name} ${escaped(help)}`, `# TYPE ${name} gauge`];
  }

  /** `labels` as written between the braces (`plan="a",pool="b"`), '' for none. */
  set(labels: string, value: number): void {
    const line = `${this.name}${labels === '' ? '' : `{${labels}}`} ${sampleValue(value)}`;
    const at = this.lineOf.get(labels);
    if (at !== undefined) this.lines[at] = line;
    else {
      this.lineOf.set(labels, this.lines.length);
      this.lines.push(line);
    }
  }
}
