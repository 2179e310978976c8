import { AZURE_SUBNET } from '../aks-limits.js';
import type { Cidr, IpAddress } from '../ip/index.js';
import type { ResolvedPool } from '../plan/resolved-plan.js';
import type { AddressRole } from './layout-types.js';
import { type ReservationCounts, reservationRole, reservationTotal } from './reservations.js';

/** The node slots of one pool inside a subnet: `slots` blocks of `perNode` addresses from `start`. */
export interface SubnetSegment {
  readonly pool: ResolvedPool;
  /** Offset of the pool's first slot from the subnet's network address. */
  readonly start: bigint;
  readonly perNode: bigint;
  readonly slots: number;
}

/** Where an address falls inside a subnet layout. */
export type SubnetHit =
  | {
      readonly kind: 'slot';
      readonly segment: SubnetSegment;
      readonly index: number;
      readonly position: bigint;
    }
  | { readonly kind: 'other'; readonly role: AddressRole };

/**
 * An Azure subnet laid out as AKS fills it: the 4 leading reserved addresses, then each pool's
 * node slots in spec order, then the reservations. All answers are arithmetic on offsets, so a
 * question about one address costs O(pools), never O(addresses) or O(nodes).
 */
export class SubnetLayout {
  readonly segments: readonly SubnetSegment[];
  /** Offset of the first reserved address (load balancer frontends and endpoints). */
  readonly reservationsStart: bigint;
  /** Offset one past the last usable address: the subnet's last address is Azure's. */
  readonly usableEnd: bigint;

  constructor(
    readonly cidr: Cidr,
    pools: readonly ResolvedPool[],
    addressesPerNode: (pool: ResolvedPool) => number,
    readonly reservations: ReservationCounts,
  ) {
    let start = BigInt(AZURE_SUBNET.leadingReserved);
    this.segments = pools.map((pool) => {
      const perNode = BigInt(addressesPerNode(pool));
      const segment = { pool, start, perNode, slots: pool.size.duringUpgrade };
      start += perNode * BigInt(segment.slots);
      return segment;
    });
    this.reservationsStart = start;
    this.usableEnd = cidr.size - BigInt(AZURE_SUBNET.trailingReserved);
  }

  /** Usable addresses: the subnet less Azure's five. */
  get usable(): bigint {
    return this.cidr.size - BigInt(AZURE_SUBNET.reserved);
  }

  /** True when the whole block of slot `index` lies in the usable part of the subnet. */
  slotFits(segment: SubnetSegment, index: number): boolean {
    return segment.start + segment.perNode * BigInt(index + 1) <= this.usableEnd;
  }

  /** The first address of slot `index` (the node IP), whether or not it fits. */
  slotStart(segment: SubnetSegment, index: number): bigint {
    return segment.start + segment.perNode * BigInt(index);
  }

  /** Classifies an address of the subnet; callers check containment first. */
  locate(address: IpAddress): SubnetHit {
    const offset = address.distanceFrom(this.cidr.first);
    if (offset < BigInt(AZURE_SUBNET.leadingReserved) || offset >= this.usableEnd) {
      return { kind: 'other', role: 'azure-reserved' };
    }
    for (const segment of this.segments) {
      const within = offset - segment.start;
      if (within < 0n || within >= segment.perNode * BigInt(segment.slots)) continue;
      const index = Number(within / segment.perNode);
      if (!this.slotFits(segment, index)) break;
      return { kind: 'slot', segment, index, position: within % segment.perNode };
    }
    return { kind: 'other', role: this.reservationAt(offset) ?? 'unassigned' };
  }

  private reservationAt(offset: bigint): AddressRole | undefined {
    const position = offset - this.reservationsStart;
    if (position < 0n || position >= BigInt(reservationTotal(this.reservations))) return undefined;
    return reservationRole(this.reservations, Number(position));
  }
}
