import type { RangeCapacity } from '../capacity/range-capacity.js';
import type { Verdict } from '../capacity/verdict.js';
import type { Warning } from '../design/warning.js';
import type { ReachLimit } from './max-reach.js';
import type { PlannedDesign } from './planner.js';

/** One design, side by side with others: what a portal shows per column. */
export interface DesignSummary {
  readonly verdict: Verdict;
  readonly ranges: readonly {
    readonly kind: RangeCapacity['kind'];
    readonly cidr: string;
    readonly usable: bigint;
    readonly required: bigint;
    readonly free: bigint;
    readonly nodeSlots: bigint | null;
    readonly verdict: Verdict;
  }[];
  readonly snat: {
    readonly maxNodes: number | null;
    readonly required: number;
    readonly verdict: Verdict;
  } | null;
  /** The most nodes the cluster reaches by growing its roomiest pool, the others held. */
  readonly maxNodes: {
    readonly count: number;
    readonly pool: string;
    readonly limitedBy: ReachLimit | null;
  } | null;
  readonly addressesPerNode: ReturnType<PlannedDesign['model']['addressesPerNode']>;
  /** The public IPs the design consumes (capacity.publicIps.total): outbound, services, gateways. */
  readonly publicIps: number;
  /** The design's warnings, and a variant's of its change from the base (reservations it moves). */
  readonly warnings: readonly Warning[];
}

/** A metric that differs between the base and a variant; null where a side has no such range. */
export interface MetricDifference {
  readonly metric: string;
  readonly base: bigint | number | string | null;
  readonly variant: bigint | number | string | null;
}

export function summarize(design: PlannedDesign, changeWarnings: readonly Warning[] = []): DesignSummary {
  const capacity = design.model.capacity();
  const sizes = design.spec.nodePools.map((p) => Math.max(p.nodeCount, p.maxCount ?? p.nodeCount));
  const total = sizes.reduce((sum, s) => sum + s, 0);
  const reaches = capacity.maxReach.map((r, i) => ({
    count: total - (sizes[i] ?? 0) + (r.maxCount ?? 0),
    pool: r.pool,
    limitedBy: r.limitedBy,
  }));
  const maxNodes = reaches.reduce<DesignSummary['maxNodes']>(
    (best, r) => (best === null || r.count > best.count ? r : best),
    null,
  );
  return {
    verdict: capacity.verdict,
    ranges: capacity.ranges.map((r) => ({
      kind: r.kind,
      cidr: r.cidr.toString(),
      usable: r.usable,
      required: r.required.duringUpgrade,
      free: r.free,
      nodeSlots: r.nodeSlots,
      verdict: r.verdict,
    })),
    snat:
      capacity.snat === undefined
        ? null
        : {
            maxNodes: capacity.snat.maxNodes,
            required: capacity.snat.required,
            verdict: capacity.snat.verdict,
          },
    maxNodes,
    addressesPerNode: design.model.addressesPerNode(),
    publicIps: capacity.publicIps.total,
    warnings: [...design.warnings, ...changeWarnings],
  };
}

type Metrics = Map<string, bigint | number | string | null>;

/** The figures a comparison lines up, keyed by a readable name: `node-subnet[0].free`. */
function metrics(summary: DesignSummary): Metrics {
  const out: Metrics = new Map([['verdict', summary.verdict]]);
  const seen = new Map<string, number>();
  for (const range of summary.ranges) {
    const position = seen.get(range.kind) ?? 0;
    seen.set(range.kind, position + 1);
    const key = `${range.kind}[${position}]`;
    out.set(`${key}.cidr`, range.cidr);
    out.set(`${key}.usable`, range.usable);
    out.set(`${key}.required`, range.required);
    out.set(`${key}.free`, range.free);
    out.set(`${key}.nodeSlots`, range.nodeSlots);
    out.set(`${key}.verdict`, range.verdict);
  }
  out.set('maxNodes', summary.maxNodes?.count ?? null);
  out.set('maxNodes.pool', summary.maxNodes?.pool ?? null);
  out.set('maxNodes.limitedBy', limitText(summary.maxNodes?.limitedBy ?? null));
  out.set('publicIps', summary.publicIps);
  if (summary.snat !== null) {
    out.set('snat.maxNodes', summary.snat.maxNodes);
    out.set('snat.required', summary.snat.required);
    out.set('snat.verdict', summary.snat.verdict);
  }
  // Pools by name, so that a variant adding one lists its figures against nothing.
  for (const { pool, ranges } of summary.addressesPerNode) {
    const seenKinds = new Map<string, number>();
    for (const range of ranges) {
      const position = seenKinds.get(range.kind) ?? 0;
      seenKinds.set(range.kind, position + 1);
      out.set(`addressesPerNode.${pool}.${range.kind}[${position}]`, range.addresses);
    }
  }
  return out;
}

/** What stops the growth, as one value: its kind, and its range where it is one. */
function limitText(limit: ReachLimit | null): string | null {
  if (limit === null) return null;
  return 'cidr' in limit ? `${limit.kind} ${limit.cidr}` : limit.kind;
}

/** Every figure that differs from the base, ranges matched by kind and order. */
export function metricDifferences(base: DesignSummary, variant: DesignSummary): MetricDifference[] {
  const before = metrics(base);
  const after = metrics(variant);
  const names = [...new Set([...before.keys(), ...after.keys()])];
  return names.flatMap((metric) => {
    const b = before.get(metric) ?? null;
    const v = after.get(metric) ?? null;
    return b === v ? [] : [{ metric, base: b, variant: v }];
  });
}
