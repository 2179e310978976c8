import { AZURE_SUBNET } from '../aks-limits.js';
import type { ResolvedPool } from '../design/resolved-plan.js';
import type { Cidr, IpAddress } from '../ip/index.js';
import { CreationOrder } from './creation-order.js';
import { type ReservationCounts, reservationTotal } from './reservations.js';
import { SubnetLocator } from './subnet-locator.js';

/** A pool whose nodes take addresses of the subnet, and how many each. */
export interface SubnetMember {
  readonly pool: ResolvedPool;
  readonly perNode: bigint;
}

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
  private located: SubnetLocator | undefined;
  private readonly pools: readonly ResolvedPool[];

  constructor(
    readonly cidr: Cidr,
    pools: readonly ResolvedPool[],
    addressesPerNode: (pool: ResolvedPool) => number,
    readonly reservations: ReservationCounts,
    /** How many of a pool's slots have their pod addresses, where pods live in another range. */
    private readonly podSlots?: (pool: ResolvedPool) => number,
  ) {
    this.members = pools.map((pool) => ({ pool, perNode: BigInt(addressesPerNode(pool)) }));
    const perNode = new Map(this.members.map((m) => [m.pool, m.perNode]));
    this.usableEnd = cidr.size - BigInt(AZURE_SUBNET.trailingReserved);
    this.order = new CreationOrder(
      pools,
      (pool) => perNode.get(pool) ?? 1n,
      BigInt(AZURE_SUBNET.leadingReserved),
      BigInt(reservationTotal(reservations)),
      { end: this.usableEnd },
    );
    this.pools = pools;
  }

  /**
   * What each address is, in plain numbers (Azure subnets are IPv4): built when a lookup first
   * asks, as the variants max reach lays out only ask for capacity.
   */
  get locator(): SubnetLocator {
    this.located ??= new SubnetLocator(
      Number(this.cidr.first.value),
      Number(this.cidr.size),
      this.order.runs.map((run) => ({
        start: Number(run.start),
        end: Number(run.end),
        perNode: Number(run.perNode),
        firstIndex: run.firstIndex,
        pool: this.pools.indexOf(run.pool),
      })),
      this.pools.map((pool) => pool.spec.name),
      Number(this.order.gapStart),
      this.reservations,
      this.podSlots === undefined ? [] : this.pools.map(this.podSlots),
    );
    return this.located;
  }

  /** Usable addresses: the subnet less Azure's five. */
  get usable(): bigint {
    return this.cidr.size - BigInt(AZURE_SUBNET.reserved);
  }

  /** The node IP of slot `index` of `pool`, or null when its whole block does not fit the subnet. */
  nodeIp(pool: ResolvedPool, index: number): IpAddress | null {
    const start = this.order.startOf(pool, index);
    return start === undefined ? null : this.cidr.at(start);
  }
}
