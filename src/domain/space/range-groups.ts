import type { StoredRangeKind } from '../design/range-kind.js';
import type { PodIpAllocation } from '../design/spec.js';
import { Cidr } from '../ip/index.js';

/** A range someone holds: a plan's range, or an allocation from a space. */
export interface HeldRange {
  readonly holder: { readonly type: 'plan' | 'allocation'; readonly id: string; readonly name: string };
  readonly kind: StoredRangeKind | 'allocation';
  readonly cidr: Cidr;
  /** A plan range no other plan may share (a kubenet node subnet). */
  readonly exclusive?: boolean;
  /** For an allocation: the plan it was made for, if any. */
  readonly planId?: string | null;
  /** A platform subnet's name, where the plan gave one. */
  readonly subnetName?: string;
  /** The addresses the plan takes in a platform subnet (PlanRange.subnetDemand); none when absent. */
  readonly subnetDemand?: number;
  /**
   * How a pod subnet's plan hands out pod IPs (azure-cni-pod-subnet): in batches at run time
   * (dynamic) or in /28 blocks per node (static-block). Absent on every other range, and on pod
   * subnets stored before the mode was.
   */
  readonly podIpAllocation?: PodIpAllocation;
}

/**
 * Held ranges of one kind and one CIDR, judged once instead of pair by pair: the plan ranges
 * that are equal, or a single allocation (each allocation keeps its own group, because whether
 * it conflicts depends on the plan it was made for). Members are in holder name order, then id.
 */
export class RangeGroup {
  private counts: Map<string, number> | undefined;
  private parts: { exclusive: RangeGroup; shared: RangeGroup } | undefined;

  constructor(
    readonly kind: HeldRange['kind'],
    readonly cidr: Cidr,
    readonly members: readonly HeldRange[],
  ) {}

  get isPlans(): boolean {
    return this.kind !== 'allocation';
  }

  /**
   * The group's place in sweep order (see RangeGrouping) as text that sorts the same way: the
   * family, the first address and prefix length at fixed widths, the kind, and for an
   * allocation its name and id. A plan group is one per kind and CIDR, so its place does not
   * move when plans join or leave it. Pages of conflicts resume after a place, not a count.
   */
  get sweepKey(): string {
    const address = this.cidr.first.value.toString(16).padStart(32, '0');
    const prefix = String(this.cidr.prefixLength).padStart(3, '0');
    const kind = String(KIND_ORDER.indexOf(this.kind) + 1).padStart(2, '0');
    const place = `${this.cidr.family}${address}${prefix}${kind}`;
    if (this.isPlans) return place;
    const { holder } = this.members[0] as HeldRange;
    return `${place}\u0000${holder.name}\u0000${holder.id}`;
  }

  /** How many members the plan `planId` has here: one, except in duplicated data. */
  countOf(planId: string): number {
    return this.planCounts().get(planId) ?? 0;
  }

  /** The plans holding the range, each once. */
  planIds(): IterableIterator<string> {
    return this.planCounts().keys();
  }

  get planCount(): number {
    return this.planCounts().size;
  }

  /** The members that may share the range with no one (kubenet), as a group of their own. */
  get exclusive(): RangeGroup {
    this.parts ??= this.split();
    return this.parts.exclusive;
  }

  /** The members that may share the range (Azure CNI), as a group of their own. */
  get shared(): RangeGroup {
    this.parts ??= this.split();
    return this.parts.shared;
  }

  /** The members `test` holds for, as a group of their own: this group itself when it holds for all. */
  where(test: (member: HeldRange) => boolean): RangeGroup {
    const members = this.members.filter(test);
    return members.length === this.members.length ? this : this.subset(members);
  }

  private split(): { exclusive: RangeGroup; shared: RangeGroup } {
    const exclusive = this.members.filter((m) => m.exclusive === true);
    if (exclusive.length === 0) return { exclusive: this.subset([]), shared: this };
    if (exclusive.length === this.members.length) return { exclusive: this, shared: this.subset([]) };
    return {
      exclusive: this.subset(exclusive),
      shared: this.subset(this.members.filter((m) => !m.exclusive)),
    };
  }

  private subset(members: readonly HeldRange[]): RangeGroup {
    return new RangeGroup(this.kind, this.cidr, members);
  }

  private planCounts(): Map<string, number> {
    if (this.counts === undefined) {
      this.counts = new Map();
      for (const { holder } of this.members) {
        if (holder.type === 'plan') this.counts.set(holder.id, (this.counts.get(holder.id) ?? 0) + 1);
      }
    }
    return this.counts;
  }
}

/** One side of a conflict: a group's members, less those of one plan (`without`) they do not conflict with. */
export class ConflictSide {
  constructor(
    readonly group: RangeGroup,
    readonly without?: string,
  ) {}

  get kind(): HeldRange['kind'] {
    return this.group.kind;
  }

  get cidr(): Cidr {
    return this.group.cidr;
  }

  /** How many holders the side has, whether or not `holders` lists them all. */
  get holderCount(): number {
    const left = this.without === undefined ? 0 : this.group.countOf(this.without);
    return this.group.members.length - left;
  }

  /** The first `limit` holders, in name order: never a copy of the whole group unless asked. */
  holders(limit = Number.POSITIVE_INFINITY): HeldRange[] {
    const found: HeldRange[] = [];
    for (const member of this.group.members) {
      if (found.length >= limit) break;
      if (member.holder.type === 'plan' && member.holder.id === this.without) continue;
      found.push(member);
    }
    return found;
  }
}

const KIND_ORDER: readonly HeldRange['kind'][] = [
  'vnet',
  'node-subnet',
  'pod-subnet',
  'pod-cidr',
  'service-cidr',
  'platform-subnet',
  'known-ip',
  'allocation',
];

const byHolder = (a: HeldRange, b: HeldRange) =>
  compareText(a.holder.name, b.holder.name) || compareText(a.holder.id, b.holder.id);

/**
 * The groups of ranges in sweep order: IPv4 first, by first address, the wider range first,
 * then by kind (plans before allocations) and holder. Ranges are added one at a time (a caller
 * may pause between them), then grouped and sorted: O(n log n), never per address.
 */
export class RangeGrouping {
  private readonly plans = new Map<string, HeldRange[]>();
  private readonly allocations: RangeGroup[] = [];

  add(range: HeldRange): void {
    if (range.holder.type === 'allocation') {
      this.allocations.push(new RangeGroup(range.kind, range.cidr, [range]));
      return;
    }
    // The address as a number, not as text: writing 100,000 CIDRs as text took most of the time.
    const { family, network, prefixLength } = range.cidr;
    const key = `${range.kind} ${family} ${network.value} ${prefixLength}`;
    const members = this.plans.get(key);
    if (members === undefined) this.plans.set(key, [range]);
    else members.push(range);
  }

  groups(): RangeGroup[] {
    const groups = [...this.allocations];
    for (const members of this.plans.values()) {
      const [first] = members as [HeldRange];
      groups.push(new RangeGroup(first.kind, first.cidr, members.sort(byHolder)));
    }
    return groups.sort(
      (a, b) =>
        Cidr.compare(a.cidr, b.cidr) ||
        KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
        byHolder(a.members[0] as HeldRange, b.members[0] as HeldRange),
    );
  }
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
