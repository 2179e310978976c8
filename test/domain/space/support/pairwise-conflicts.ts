import { IpAddress } from '../../../../src/domain/ip/index.js';
import type { HeldRange } from '../../../../src/domain/space/conflicts.js';

/**
 * The conflict rules as they were first written: one judgement per overlapping pair of held
 * ranges, O(n^2) for n equal ranges. Slow and plain on purpose: the grouped sweep must report
 * exactly these pairs, codes and severities once its items are expanded.
 */
export interface PairConflict {
  readonly code: string;
  readonly severity: 'error' | 'warning';
  readonly sides: readonly [HeldRange, HeldRange];
}

/** Every overlapping pair, judged on its own, in sweep order. */
export function pairwiseConflicts(ranges: readonly HeldRange[]): PairConflict[] {
  const sorted = [...ranges].sort((a, b) => IpAddress.compare(a.cidr.first, b.cidr.first));
  const conflicts: PairConflict[] = [];
  const open: HeldRange[] = [];
  for (const range of sorted) {
    for (let i = open.length - 1; i >= 0; i--) {
      const other = open[i] as HeldRange;
      if (other.cidr.family !== range.cidr.family || other.cidr.last.value < range.cidr.first.value)
        open.splice(i, 1);
    }
    for (const other of open) {
      const conflict = classifyPair(other, range, ranges);
      if (conflict !== undefined) conflicts.push(conflict);
    }
    open.push(range);
  }
  return conflicts;
}

const SUBNETS = new Set(['node-subnet', 'pod-subnet']);

/** What an overlap of two held ranges means, among `all`; undefined when it is allowed. */
export function classifyPair(
  a: HeldRange,
  b: HeldRange,
  all: readonly HeldRange[],
): PairConflict | undefined {
  if (a.holder.type === 'plan' && b.holder.type === 'plan') {
    return a.holder.id === b.holder.id ? undefined : planPair(a, b);
  }
  if (a.holder.type === 'allocation' && b.holder.type === 'allocation') {
    return pair('ALLOCATIONS_OVERLAP', 'error', a, b);
  }
  const [allocation, plan] = a.holder.type === 'allocation' ? [a, b] : [b, a];
  if (allocation.planId === plan.holder.id || plan.kind === 'service-cidr' || plan.kind === 'vnet')
    return undefined;
  if (ownRangeOver(allocation, plan, all)) return undefined;
  return pair('ALLOCATION_OVERLAPS_PLAN', 'warning', a, b);
}

/**
 * The allocation's plan holds, inside the block, the same range as `plan` (same kind) or a wider
 * one: the plan pair is judged on its own, and the block is only where that range came from.
 */
function ownRangeOver(allocation: HeldRange, plan: HeldRange, all: readonly HeldRange[]): boolean {
  return all.some(
    (own) =>
      own.holder.type === 'plan' &&
      own.holder.id === allocation.planId &&
      allocation.cidr.covers(own.cidr) &&
      own.cidr.covers(plan.cidr) &&
      (!own.cidr.equals(plan.cidr) || own.kind === plan.kind),
  );
}

function planPair(a: HeldRange, b: HeldRange): PairConflict | undefined {
  const subnets = SUBNETS.has(a.kind) && SUBNETS.has(b.kind);
  if (subnets && !a.cidr.equals(b.cidr)) return pair('SUBNETS_OVERLAP', 'error', a, b);
  if (subnets && (a.exclusive === true || b.exclusive === true))
    return pair('KUBENET_SUBNET_SHARED', 'error', a, b);
  if (subnets) return sharedSubnetPair(a, b);
  const kinds = new Set([a.kind, b.kind]);
  if (kinds.has('pod-cidr') && kinds.has('vnet')) return pair('POD_CIDR_OVERLAPS_VNET', 'error', a, b);
  if (kinds.has('pod-cidr') && (kinds.has('node-subnet') || kinds.has('pod-subnet')))
    return pair('POD_CIDR_OVERLAPS_SUBNET', 'error', a, b);
  if (kinds.has('service-cidr') && (kinds.has('node-subnet') || kinds.has('pod-subnet')))
    return pair('SERVICE_CIDR_OVERLAPS_SUBNET', 'error', a, b);
  return undefined;
}

/**
 * Two Azure CNI plans on one subnet: two dynamic pod subnets share it freely (pod IPs go out at
 * run time), a dynamic and a static block one may not, and every other pair collides as planned
 * layouts. The mode counts on pod subnets only.
 */
function sharedSubnetPair(a: HeldRange, b: HeldRange): PairConflict | undefined {
  const mode = (r: HeldRange) => (r.kind === 'pod-subnet' ? r.podIpAllocation : undefined);
  const modes = [mode(a), mode(b)];
  const dynamic = modes.filter((m) => m === 'dynamic').length;
  if (dynamic === 2) return undefined;
  if (dynamic === 1 && modes.includes('static-block')) return pair('POD_SUBNET_MODES_MIXED', 'error', a, b);
  return pair('SHARED_SUBNET_LAYOUTS_COLLIDE', 'warning', a, b);
}

function pair(code: string, severity: PairConflict['severity'], a: HeldRange, b: HeldRange): PairConflict {
  return { code, severity, sides: [a, b] };
}
