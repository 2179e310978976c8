import { AZURE_SUBNET } from '../aks-limits.js';
import type { AddressRole } from './layout-types.js';
import { type ReservationCounts, reservationRole, reservationTotal } from './reservations.js';

/** What one address of a subnet is: a node or pod of a slot (with the node's IP), or another role. */
export class SubnetMatch {
  constructor(
    readonly role: AddressRole,
    /** Node and pod roles: the pool's name, the slot and the 32-bit value of the node IP. */
    readonly pool: string | undefined,
    readonly nodeIndex: number | undefined,
    readonly nodeIpValue: number | undefined,
  ) {}
}

/** The slot runs of a creation order, as plain numbers. */
export interface LocatorRun {
  readonly start: number;
  readonly end: number;
  readonly perNode: number;
  readonly firstIndex: number;
  /** The pool's position in `pools`. */
  readonly pool: number;
}

const FIELDS = 5; // start, end, perNode, firstIndex, pool

/**
 * An IPv4 subnet layout reduced to numbers in one typed array: what an address is costs a
 * binary search over the slot runs and touches two or three objects, so a lookup index can
 * keep one per subnet (a few hundred bytes) and answer millions of addresses without the
 * design that produced it. The subnet layout answers through it too: one implementation.
 */
export class SubnetLocator {
  private readonly runs: readonly number[];
  private readonly usableEnd: number;
  private readonly reservationCount: number;

  constructor(
    /** The subnet's first address and size. */
    readonly first: number,
    readonly size: number,
    runs: readonly LocatorRun[],
    /** Pool names, by the runs' pool numbers. */
    readonly pools: readonly string[],
    /** Where the reservations start, right after the current nodes. */
    private readonly gapStart: number,
    private readonly reservations: ReservationCounts,
    /**
     * By pool number, how many of its slots have their pod addresses elsewhere (a pod CIDR or
     * static blocks): a slot past that cannot be created, so its node IP is no node's.
     */
    private readonly podSlots: readonly number[] = [],
  ) {
    this.runs = runs.flatMap((r) => [r.start, r.end, r.perNode, r.firstIndex, r.pool]);
    this.usableEnd = size - AZURE_SUBNET.trailingReserved;
    this.reservationCount = reservationTotal(reservations);
  }

  /** Whether the address with this 32-bit value lies in the subnet. */
  holds(value: number): boolean {
    return value >= this.first && value - this.first < this.size;
  }

  /** What the address with this 32-bit value is (callers check `holds`). */
  match(value: number): SubnetMatch {
    const offset = value - this.first;
    if (offset < AZURE_SUBNET.leadingReserved || offset >= this.usableEnd)
      return this.other('azure-reserved');
    const runs = this.runs;
    let low = 0;
    let high = runs.length / FIELDS - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const at = middle * FIELDS;
      if (offset < (runs[at] as number)) high = middle - 1;
      else if (offset >= (runs[at + 1] as number)) low = middle + 1;
      else return this.slot(offset, at);
    }
    return this.other(this.reservationAt(offset) ?? 'unassigned');
  }

  private slot(offset: number, at: number): SubnetMatch {
    const runs = this.runs;
    const perNode = runs[at + 2] as number;
    const within = offset - (runs[at] as number);
    const slot = Math.floor(within / perNode);
    const position = within - slot * perNode;
    const pool = runs[at + 4] as number;
    const index = (runs[at + 3] as number) + slot;
    // A node whose pod addresses have run out is no node: AKS would refuse it. (Runs hold only
    // slots that fit the subnet.)
    if (index >= (this.podSlots[pool] ?? index + 1)) return this.other('unassigned');
    return new SubnetMatch(
      position === 0 ? 'node' : 'pod',
      this.pools[pool],
      index,
      this.first + offset - position,
    );
  }

  private reservationAt(offset: number): AddressRole | undefined {
    const position = offset - this.gapStart;
    if (position < 0 || position >= this.reservationCount) return undefined;
    return reservationRole(this.reservations, position);
  }

  private other(role: AddressRole): SubnetMatch {
    return OTHER_ROLES[role] ?? new SubnetMatch(role, undefined, undefined, undefined);
  }
}

/** Matches without a node are few and immutable: one shared object per role. */
const OTHER_ROLES: Partial<Record<AddressRole, SubnetMatch>> = Object.fromEntries(
  (['azure-reserved', 'unassigned', 'load-balancer', 'private-endpoint'] as const).map((role) => [
    role,
    new SubnetMatch(role, undefined, undefined, undefined),
  ]),
);
