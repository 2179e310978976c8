import type { RangeCapacity } from '../capacity/range-capacity.js';
import type { ResolvedPlan, ResolvedPool } from '../design/resolved-plan.js';
import { type Cidr, IpAddress } from '../ip/index.js';
import type { AddressMatch, PlanRange } from './layout-types.js';
import { layoutNodeSubnets } from './node-subnets.js';
import { subnetCapacity } from './subnet-capacity.js';
import type { SubnetLayout } from './subnet-layout.js';
import type { SubnetLocator, SubnetMatch } from './subnet-locator.js';

/**
 * The node subnets of a plan, laid out with `addressesPerNode` per slot: 1 + maxPods for
 * Azure CNI node subnet, 1 where pods live elsewhere. Every plugin answers node IPs here.
 */
export class NodeSubnetSet {
  readonly subnets: readonly SubnetLayout[];
  private readonly subnetOf = new Map<ResolvedPool, SubnetLayout>();

  constructor(
    plan: ResolvedPlan,
    addressesPerNode: (pool: ResolvedPool) => number,
    private readonly perNodeLabel: (pool: ResolvedPool) => string,
    /** Where pods live in another range: how many of a pool's slots have their pod addresses. */
    podSlots?: (pool: ResolvedPool) => number,
  ) {
    this.subnets = layoutNodeSubnets(plan, addressesPerNode, podSlots);
    for (const subnet of this.subnets) {
      for (const { pool } of subnet.members) this.subnetOf.set(pool, subnet);
    }
  }

  /** How many of a pool's slots get a node IP (its first ones): the nodes that can be created. */
  nodeIpSlots(pool: ResolvedPool): number {
    return this.placement(pool).order.placed(pool);
  }

  /** The node IP of a slot, or null when the subnet has no room for the slot. */
  nodeIp(pool: ResolvedPool, index: number): IpAddress | null {
    return this.placement(pool).nodeIp(pool, index);
  }

  ranges(): PlanRange[] {
    return this.subnets.map((s) => ({
      kind: 'node-subnet',
      cidr: s.cidr,
      path: s.members[0]?.pool.nodeSubnetPath,
    }));
  }

  locator(cidr: Cidr): SubnetLocator | undefined {
    return this.subnets.find((s) => s.cidr.equals(cidr))?.locator;
  }

  /** The node, pod (position > 0 of a slot) or other role of an address of a node subnet. */
  lookup(address: IpAddress): AddressMatch[] {
    if (address.family !== 4) return [];
    const value = Number(address.value);
    const subnet = this.subnets.find((s) => s.locator.holds(value));
    return subnet === undefined ? [] : [nodeSubnetMatch(subnet.locator.match(value), subnet.cidr)];
  }

  capacity(): RangeCapacity[] {
    return this.subnets.map((subnet) => subnetCapacity(subnet, this.perNodeLabel));
  }

  private placement(pool: ResolvedPool): SubnetLayout {
    const subnet = this.subnetOf.get(pool);
    if (subnet === undefined) throw new Error(`pool ${pool.spec.name} has no node subnet layout`);
    return subnet;
  }
}

/** A locator's answer as the domain's match: node and pod roles name their node's IP. */
export function nodeSubnetMatch(match: SubnetMatch, range: Cidr): AddressMatch {
  const { role, pool, nodeIndex, nodeIpValue } = match;
  if (nodeIpValue === undefined) return { role, kind: 'node-subnet', range };
  return { role, kind: 'node-subnet', range, pool, nodeIndex, nodeIp: IpAddress.ipv4(nodeIpValue) };
}
