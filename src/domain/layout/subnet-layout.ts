import { AZURE_SUBNET } from '../aks-limits.js';
import type { ResolvedPool } from '../design/resolved-plan.js';
import type { Cidr, IpAddress } from '../ip/index.js';
import { CreationOrder } from './creation-order.js';
import type { AddressRole } from './layout-types.js';
import { type ReservationCounts, reservationRole, reservationTotal } from './reservations.js';

/** A pool whose nodes take addresses of the subnet, and how many each. */
export interface SubnetMember {
  readonly pool: ResolvedPool;
  readonly perNode: bigint;
}

/** Where an address falls inside a subnet layout. */
export type SubnetHit =
  | {
      readonly kind: 'slot';
      readonly pool: ResolvedPool;
      readonly index: number;
      /** 0 for the node IP, then the node's pods (Azure CNI node subnet). */
      readonly position: number;
    }
  | { readonly kind: 'other'; readonly role: AddressRole };

/**
 * An Azure subnet laid out as AKS fills it: the 4 leading reserved addresses, then the
 * current nodes of its pools, then the reservations (load balancer frontends and endpoints
 * that a new cluster creates right after its nodes), then the nodes added later by the
 * autoscaler and by upgrade surge. All answers are arithmetic on offsets, so a question about
 * one address costs O(log pools), never O(addresses) or O(nodes).
 */
export class SubnetLayout {
  readonly members: readonly SubnetMember[];
  readonly order: CreationOrder;
  /** Offset one past the last usable address: the subnet's last address is Azure's. */
  readonly usableEnd: bigint;
  private readonly usableEndNumber: number;
  private readonly gapStartNumber: number;
  /** The subnet's first address and size as numbers (Azure subnets are IPv4). */
  readonly firstValue: number;
  readonly sizeNumber: number;

  constructor(
    readonly cidr: Cidr,
    pools: readonly ResolvedPool[],
    addressesPerNode: (pool: ResolvedPool) => number,
    readonly reservations: ReservationCounts,
  ) {
    this.members = pools.map((pool) => ({ pool, perNode: BigInt(addressesPerNode(pool)) }));
    const perNode = new Map(this.members.map((m) => [m.pool, m.perNode]));
    this.order = new CreationOrder(
      pools,
      (pool) => perNode.get(pool) ?? 1n,
      BigInt(AZURE_SUBNET.leadingReserved),
      BigInt(reservationTotal(reservations)),
    );
    this.usableEnd = cidr.size - BigInt(AZURE_SUBNET.trailingReserved);
    this.usableEndNumber = Number(this.usableEnd);
    this.gapStartNumber = Number(this.order.gapStart);
    this.firstValue = Number(cidr.first.value);
    this.sizeNumber = Number(cidr.size);
  }

  /** Usable addresses: the subnet less Azure's five. */
  get usable(): bigint {
    return this.cidr.size - BigInt(AZURE_SUBNET.reserved);
  }

  /** The node IP of slot `index` of `pool`, or null when its whole block does not fit the subnet. */
  nodeIp(pool: ResolvedPool, index: number): IpAddress | null {
    const start = this.order.startOf(pool, index);
    const perNode = this.members.find((m) => m.pool === pool)?.perNode;
    if (start === undefined || perNode === undefined || start + perNode > this.usableEnd) return null;
    return this.cidr.at(start);
  }

  /**
   * Classifies the address at `offset` from the subnet's first (callers check containment).
   * Azure subnets are IPv4, so offsets are plain numbers: no BigInt on the lookup path.
   */
  locate(offset: number): SubnetHit {
    if (offset < AZURE_SUBNET.leadingReserved || offset >= this.usableEndNumber) {
      return { kind: 'other', role: 'azure-reserved' };
    }
    const slot = this.order.atNumber(offset);
    if (slot !== undefined) {
      // Part of a slot that runs past the usable end is no node's: AKS would refuse that node.
      const fits = offset - slot.position + slot.run.perNodeNumber <= this.usableEndNumber;
      if (!fits) return { kind: 'other', role: 'unassigned' };
      return { kind: 'slot', pool: slot.run.pool, index: slot.index, position: slot.position };
    }
    return { kind: 'other', role: this.reservationAt(offset) ?? 'unassigned' };
  }

  private reservationAt(offset: number): AddressRole | undefined {
    const position = offset - this.gapStartNumber;
    if (position < 0 || position >= reservationTotal(this.reservations)) return undefined;
    return reservationRole(this.reservations, position);
  }
}
