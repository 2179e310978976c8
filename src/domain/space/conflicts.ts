import { AZURE_SUBNET } from '../aks-limits.js';
import {
  ALLOCATION_OVERLAPS_PLAN,
  ALLOCATIONS_OVERLAP,
  allocationMayOverlap,
  type ConflictRule,
  isDynamicPodSubnet,
  isStaticBlockPodSubnet,
  isSubnet,
  KUBENET_SUBNET_SHARED,
  PLATFORM_SUBNET_NAMES_DIFFER,
  POD_SUBNET_MODES_MIXED,
  planRule,
  SHARED_PLATFORM_SUBNET_FULL,
  SHARED_SUBNET_LAYOUTS_COLLIDE,
} from './conflict-rules.js';
import { ConflictSide, type HeldRange, type RangeGroup, RangeGrouping } from './range-groups.js';

export type { HeldRange, RangeGroup };
export { ConflictSide };

/**
 * An overlap Azure or AKS would not allow, between groups of holders. One side: a range that
 * several plans hold, every two of them in conflict. Two sides: each holder of the first is in
 * conflict with each holder of the second. A plan is never in conflict with itself.
 */
export interface Conflict {
  readonly code: string;
  readonly severity: ConflictRule['severity'];
  readonly message: string;
  readonly sides: readonly [ConflictSide] | readonly [ConflictSide, ConflictSide];
  /**
   * Where the sweep found it, as text in sweep order: the place of the range the sweep had
   * reached, and the item's rank there. A page resumes after a position, so writes between
   * pages neither skip nor repeat the conflicts still there.
   */
  readonly position: string;
}

/**
 * Every overlap among held ranges that Azure or AKS would not allow, one item per group or
 * pair of groups (see `RangeGrouping`), in sweep order. Prefixes nest or are disjoint, so the open
 * groups form a chain, each covering the next: a new group overlaps exactly those left once the
 * ones that end before it are closed. O(n log n + k) for n ranges and k items: the open plan
 * groups are at most one per kind and prefix length, and an open allocation is in conflict with
 * every range inside it but those of its own plan and the VNets and service CIDRs, which skip
 * the allocations. Never per address, never per pair of equal ranges.
 */
export function findConflicts(ranges: readonly HeldRange[]): Conflict[] {
  return [...sweepConflicts(ranges)].flat();
}

/**
 * The sweep of `findConflicts`, one step per group: the conflicts found at each group in turn
 * (often none), positions ascending. A caller may stop once it has a page, or pause between steps.
 */
export function* sweepConflicts(ranges: readonly HeldRange[]): Generator<readonly Conflict[]> {
  const grouping = new RangeGrouping();
  for (const [i, range] of ranges.entries()) {
    grouping.add(range);
    if (i % GROUPED_PER_STEP === GROUPED_PER_STEP - 1) yield NONE;
  }
  const plans: RangeGroup[] = [];
  const allocations: RangeGroup[] = [];
  for (const group of grouping.groups()) {
    closeBefore(plans, group);
    closeBefore(allocations, group);
    const found: Placed[] = within(group).map((c) => ({ c, with: undefined }));
    for (const other of plans) for (const c of between(other, group, plans)) found.push({ c, with: other });
    if (!group.isPlans || !allocationMayOverlap(group.kind)) {
      for (const other of allocations)
        for (const c of between(other, group, plans)) found.push({ c, with: other });
    }
    (group.isPlans ? plans : allocations).push(group);
    yield found.length === 0 ? NONE : positioned(group, found);
  }
}

const NONE: readonly Conflict[] = [];
/** Ranges grouped between two steps of the sweep. */
const GROUPED_PER_STEP = 1_000;

/** A conflict the sweep found at a group, with the other group it concerns (none within one). */
interface Placed {
  readonly c: Found;
  readonly with: RangeGroup | undefined;
}

/**
 * The group's conflicts with their positions, in position order: the group's place, then the
 * other group's, the code and the number of sides (and a count for a repeat). Each part stays
 * what it is when plans are written between pages, where a rank among them would shift.
 */
function positioned(group: RangeGroup, found: readonly Placed[]): Conflict[] {
  const at = group.sweepKey;
  const seen = new Map<string, number>();
  const items = found.map(({ c, with: other }) => {
    const part = `${at}\u0000${other?.sweepKey ?? ''}\u0000${c.code}\u0000${c.sides.length}`;
    const repeat = seen.get(part) ?? 0;
    seen.set(part, repeat + 1);
    return { ...c, position: `${part}\u0000${String(repeat).padStart(4, '0')}` };
  });
  return items.sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
}

/** Drops the open groups that end before `group` starts: they overlap nothing after it. */
function closeBefore(open: RangeGroup[], group: RangeGroup): void {
  while (open.length > 0 && !(open[open.length - 1] as RangeGroup).cidr.covers(group.cidr)) open.pop();
}

/**
 * A subnet held by several plans: kubenet plans may share it with no one, Azure CNI with each
 * other; plans sharing a platform subnet must give it the same name, and fit in it together.
 */
function within(group: RangeGroup): Found[] {
  if (group.isPlans && group.kind === 'platform-subnet') {
    // Azure's names are the same in any case: AKS-subnet and aks-subnet name one subnet.
    const names = new Set(
      group.members.flatMap((m) => (m.subnetName === undefined ? [] : [m.subnetName.toLowerCase()])),
    );
    return present([
      names.size > 1 ? oneSide(PLATFORM_SUBNET_NAMES_DIFFER, group) : undefined,
      sharedSubnetFull(group),
    ]);
  }
  if (!group.isPlans || !isSubnet(group.kind)) return [];
  return present([
    oneSide(KUBENET_SUBNET_SHARED, group.exclusive),
    twoSides(KUBENET_SUBNET_SHARED, group.exclusive, group.shared),
    ...sharedWithin(group.shared),
  ]);
}

/**
 * Plans sharing a platform subnet that together take more than its usable addresses: API
 * servers sharing one VNet integration subnet (AKS reserves at least 9 addresses each), or
 * private endpoints and internal load balancer frontends of several clusters. A plan holding it
 * alone is judged by its own warnings.
 */
function sharedSubnetFull(group: RangeGroup): Found | undefined {
  // Only the plans that take addresses there are in conflict; plans sharing it for nothing are not.
  const taking = group.where((m) => (m.subnetDemand ?? 0) > 0);
  if (taking.planCount < 2) return undefined;
  const demand = taking.members.reduce((sum, m) => sum + (m.subnetDemand ?? 0), 0);
  const usable = Number(group.cidr.size) - AZURE_SUBNET.reserved;
  if (demand <= usable) return undefined;
  const { code, severity, why } = SHARED_PLATFORM_SUBNET_FULL;
  const count = (n: number) => n.toLocaleString('en-US');
  const what = `${group.kind} ${group.cidr} is shared by ${taking.planCount} plans taking ${count(demand)} addresses of its ${count(usable)} usable`;
  return { code, severity, message: `${what}: ${why}`, sides: [new ConflictSide(taking)] };
}

/**
 * Azure CNI plans sharing one subnet: their planned layouts collide, but a dynamic pod subnet
 * has none (pod IPs go out in batches at run time), so dynamic plans may share it with each
 * other, and a static block plan may not share it with them. Only pod subnets have a mode: a
 * node subnet's plans are all laid out, and the last two items are empty.
 */
function sharedWithin(shared: RangeGroup): (Found | undefined)[] {
  const dynamic = shared.where(isDynamicPodSubnet);
  const laidOut = shared.where((m) => !isDynamicPodSubnet(m));
  return [
    oneSide(SHARED_SUBNET_LAYOUTS_COLLIDE, laidOut),
    twoSides(POD_SUBNET_MODES_MIXED, laidOut.where(isStaticBlockPodSubnet), dynamic),
    // A pod subnet stored before its mode was: judged as before, a planned layout.
    twoSides(
      SHARED_SUBNET_LAYOUTS_COLLIDE,
      laidOut.where((m) => !isStaticBlockPodSubnet(m)),
      dynamic,
    ),
  ];
}

/** Two groups, `a` opened first and covering `b`; `open` the plan groups covering `b`. */
function between(a: RangeGroup, b: RangeGroup, open: readonly RangeGroup[]): Found[] {
  if (!a.isPlans && !b.isPlans) {
    return [conflict(ALLOCATIONS_OVERLAP, [new ConflictSide(a), new ConflictSide(b)])];
  }
  if (!a.isPlans || !b.isPlans) return allocationOverPlans(a, b, open);
  if (isSubnet(a.kind) && isSubnet(b.kind) && a.cidr.equals(b.cidr)) {
    // One Azure subnet, as one plan's node subnet and another's pod subnet: the node subnet's
    // layout is planned, whatever the pod subnet's mode.
    return present([
      twoSides(KUBENET_SUBNET_SHARED, a.exclusive, b),
      twoSides(KUBENET_SUBNET_SHARED, a.shared, b.exclusive),
      twoSides(SHARED_SUBNET_LAYOUTS_COLLIDE, a.shared, b.shared),
    ]);
  }
  const rule = planRule(a, b);
  return rule === undefined ? [] : present([twoSides(rule, a, b)]);
}

/** An allocation and a plan range: a warning, unless the allocation was made for that plan. */
function allocationOverPlans(a: RangeGroup, b: RangeGroup, open: readonly RangeGroup[]): Found[] {
  const [allocation, plans] = a.isPlans ? [b, a] : [a, b];
  if (allocationMayOverlap(plans.kind) || judgedByItsPlan(allocation, plans, open)) return [];
  const planSide = new ConflictSide(plans, allocation.members[0]?.planId ?? undefined);
  if (planSide.holderCount === 0) return [];
  const allocationSide = new ConflictSide(allocation);
  return [
    conflict(
      ALLOCATION_OVERLAPS_PLAN,
      a === allocation ? [allocationSide, planSide] : [planSide, allocationSide],
    ),
  ];
}

/**
 * Whether the plan the allocation was made for holds a range inside the block that stands over
 * the other plans' range (the same range, or a wider one): the plan rules judged those ranges
 * already (a reused overlay pod CIDR, Azure CNI clusters sharing a subnet are no conflict), and
 * the block is only where the plan's range came from.
 */
function judgedByItsPlan(allocation: RangeGroup, plans: RangeGroup, open: readonly RangeGroup[]): boolean {
  const planId = allocation.members[0]?.planId;
  if (planId == null) return false;
  const over = (own: RangeGroup) =>
    own === plans || (own.cidr.covers(plans.cidr) && !own.cidr.equals(plans.cidr));
  return [...open, plans].some(
    (own) => over(own) && allocation.cidr.covers(own.cidr) && [...own.planIds()].includes(planId),
  );
}

function oneSide(rule: ConflictRule, group: RangeGroup): Found | undefined {
  return group.planCount < 2 ? undefined : conflict(rule, [new ConflictSide(group)]);
}

function twoSides(rule: ConflictRule, a: RangeGroup, b: RangeGroup): Found | undefined {
  // A plan that is all one side holds is left out of the other: it is never in conflict with itself.
  const first = new ConflictSide(a, solePlan(b));
  const second = new ConflictSide(b, solePlan(a));
  if (first.holderCount === 0 || second.holderCount === 0) return undefined;
  return conflict(rule, [first, second]);
}

const solePlan = (group: RangeGroup): string | undefined =>
  group.planCount === 1 ? group.planIds().next().value : undefined;

const present = (found: readonly (Found | undefined)[]): Found[] =>
  found.filter((c): c is Found => c !== undefined);

/** A conflict before the sweep gives it its position. */
type Found = Omit<Conflict, 'position'>;

function conflict(rule: ConflictRule, sides: Conflict['sides']): Found {
  const [first, second] = sides;
  const what =
    second === undefined
      ? `${first.kind} ${first.cidr} is shared by ${first.holderCount} plans`
      : `${describe(first)} overlaps ${describe(second)}`;
  return { code: rule.code, severity: rule.severity, message: `${what}: ${rule.why}`, sides };
}

/** `node-subnet 10.1.0.0/24 of plan "prod"`, or `... of 3 plans` for a side of several. */
function describe(side: ConflictSide): string {
  const [only] = side.holders(1);
  const count = side.holderCount;
  const whose =
    count === 1 && only !== undefined
      ? `${only.holder.type} "${only.holder.name}"`
      : `${count} ${side.group.isPlans ? 'plans' : 'allocations'}`;
  return `${side.kind} ${side.cidr} of ${whose}`;
}
