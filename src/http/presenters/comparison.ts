import type { DesignSummary, MetricDifference } from '../../domain/plan/comparison.js';
import { jsonCount } from './count.js';

const count = (n: bigint | null) => (n === null ? null : jsonCount(n));

export function presentSummary(s: DesignSummary) {
  return {
    verdict: s.verdict,
    ranges: s.ranges.map((r) => ({
      kind: r.kind,
      cidr: r.cidr,
      usable: jsonCount(r.usable),
      required: jsonCount(r.required),
      free: jsonCount(r.free),
      nodeSlots: count(r.nodeSlots),
      verdict: r.verdict,
    })),
    snat: s.snat,
    maxNodes: s.maxNodes,
    addressesPerNode: s.addressesPerNode.map((p) => ({
      pool: p.pool,
      ranges: p.ranges.map((r) => ({ kind: r.kind, cidr: r.cidr, addresses: jsonCount(r.addresses) })),
    })),
    publicIps: s.publicIps,
    warnings: s.warnings.map((w) => ({ code: w.code, message: w.message })),
  };
}

export function presentDifference(d: MetricDifference) {
  const value = (v: MetricDifference['base']) => (typeof v === 'bigint' ? jsonCount(v) : v);
  return { metric: d.metric, base: value(d.base), variant: value(d.variant) };
}
