import type { StoredRangeKind } from '../design/range-kind.js';
import { type Cidr, IpAddress } from '../ip/index.js';

/** A range someone holds: a plan's range, or an allocation from a space. */
export interface HeldRange {
  readonly holder: { readonly type: 'plan' | 'allocation'; readonly id: string; readonly name: string };
  readonly kind: StoredRangeKind | 'allocation';
  readonly cidr: Cidr;
  /** A plan range no other plan may share (a kubenet node subnet). */
  readonly exclusive?: boolean;
  /** For an allocation: the plan it was made for, if any. */
  readonly planId?: string | null;
}

export interface Conflict {
  readonly code: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly sides: readonly [HeldRange, HeldRange];
}

/**
 * Every pair of held ranges that overlap in a way Azure or AKS would not allow, found by a
 * sweep in address order: O(n log n) plus the overlapping pairs, never per address.
 */
export function findConflicts(ranges: readonly HeldRange[]): Conflict[] {
  const sorted = [...ranges].sort((a, b) => IpAddress.compare(a.cidr.first, b.cidr.first));
  const conflicts: Conflict[] = [];
  const open: HeldRange[] = [];
  for (const range of sorted) {
    for (let i = open.length - 1; i >= 0; i--) {
      const other = open[i] as HeldRange;
      if (other.cidr.family !== range.cidr.family || other.cidr.last.value < range.cidr.first.value)
        open.splice(i, 1);
    }
    for (const other of open) {
      const conflict = classify(other, range);
      if (conflict !== undefined) conflicts.push(conflict);
    }
    open.push(range);
  }
  return conflicts;
}

const SUBNETS = new Set(['node-subnet', 'pod-subnet']);

/** What an overlap of two held ranges means; undefined when it is allowed. */
function classify(a: HeldRange, b: HeldRange): Conflict | undefined {
  if (a.holder.type === 'plan' && b.holder.type === 'plan') {
    return a.holder.id === b.holder.id ? undefined : planPair(a, b);
  }
  if (a.holder.type === 'allocation' && b.holder.type === 'allocation') {
    return conflict(
      'ALLOCATIONS_OVERLAP',
      'error',
      a,
      b,
      'two allocations from overlapping spaces hold the same addresses',
    );
  }
  const [allocation, plan] = a.holder.type === 'allocation' ? [a, b] : [b, a];
  // Service CIDRs are private, and a VNet is where allocated subnets are meant to live.
  if (allocation.planId === plan.holder.id || plan.kind === 'service-cidr' || plan.kind === 'vnet')
    return undefined;
  return conflict(
    'ALLOCATION_OVERLAPS_PLAN',
    'warning',
    a,
    b,
    'a plan uses addresses allocated to something else',
  );
}

function planPair(a: HeldRange, b: HeldRange): Conflict | undefined {
  const subnets = SUBNETS.has(a.kind) && SUBNETS.has(b.kind);
  if (subnets && !a.cidr.equals(b.cidr)) {
    return conflict('SUBNETS_OVERLAP', 'error', a, b, 'two different Azure subnets cannot overlap');
  }
  if (subnets && (a.exclusive === true || b.exclusive === true)) {
    return conflict('KUBENET_SUBNET_SHARED', 'error', a, b, 'kubenet allows one cluster per subnet');
  }
  if (subnets) {
    return conflict(
      'SHARED_SUBNET_LAYOUTS_COLLIDE',
      'warning',
      a,
      b,
      'Azure CNI clusters may share a subnet, but their planned layouts hand out the same addresses',
    );
  }
  const kinds = new Set([a.kind, b.kind]);
  if (kinds.has('pod-cidr') && kinds.has('vnet')) {
    return conflict('POD_CIDR_OVERLAPS_VNET', 'error', a, b, "a pod CIDR must not overlap a peer's VNet");
  }
  if (kinds.has('pod-cidr') && (kinds.has('node-subnet') || kinds.has('pod-subnet'))) {
    return conflict('POD_CIDR_OVERLAPS_SUBNET', 'error', a, b, "a pod CIDR must not overlap a peer's subnet");
  }
  if (kinds.has('service-cidr') && (kinds.has('node-subnet') || kinds.has('pod-subnet'))) {
    return conflict(
      'SERVICE_CIDR_OVERLAPS_SUBNET',
      'error',
      a,
      b,
      "a service CIDR hides a peer's subnet from the cluster's pods",
    );
  }
  // Pod CIDRs and service CIDRs are private to each cluster: reusing them is allowed.
  return undefined;
}

function conflict(
  code: string,
  severity: Conflict['severity'],
  a: HeldRange,
  b: HeldRange,
  why: string,
): Conflict {
  const side = (r: HeldRange) => `${r.kind} ${r.cidr} of ${r.holder.type} "${r.holder.name}"`;
  return { code, severity, message: `${side(a)} overlaps ${side(b)}: ${why}`, sides: [a, b] };
}
