import type { RangeCapacity } from '../../capacity/range-capacity.js';
import type { ResolvedPlan, ResolvedPool } from '../../design/resolved-plan.js';
import type { Cidr, IpAddress } from '../../ip/index.js';
import type { ClusterLayout, SlotQuery } from '../../layout/cluster-layout.js';
import type { AddressMatch, NodeSlot, PlanRange } from '../../layout/layout-types.js';
import { NodeSubnetSet } from '../../layout/node-subnet-set.js';
import { countSlots, pageSlots } from '../../layout/slot-pages.js';
import type { SubnetLocator } from '../../layout/subnet-locator.js';

/** Azure CNI with pods in the node subnet: one contiguous block of 1 + maxPods per node slot. */
export class NodeSubnetLayout implements ClusterLayout {
  private readonly nodes: NodeSubnetSet;

  constructor(private readonly plan: ResolvedPlan) {
    this.nodes = new NodeSubnetSet(
      plan,
      (pool) => 1 + pool.spec.maxPods,
      (pool) => `(1 node + ${pool.spec.maxPods} pods)`,
    );
  }

  slotCount(pool?: string): number {
    return countSlots(this.plan.pools, pool);
  }

  slots(query: SlotQuery): NodeSlot[] {
    return pageSlots(this.plan.pools, query, (pool, index) => this.slot(pool, index));
  }

  ranges(): PlanRange[] {
    return this.nodes.ranges();
  }

  nodeSubnetLocator(cidr: Cidr): SubnetLocator | undefined {
    return this.nodes.locator(cidr);
  }

  lookup(address: IpAddress): AddressMatch[] {
    return this.nodes.lookup(address);
  }

  capacity(): RangeCapacity[] {
    return this.nodes.capacity();
  }

  private slot(pool: ResolvedPool, index: number): NodeSlot {
    const name = pool.spec.name;
    const nodeIp = this.nodes.nodeIp(pool, index);
    if (nodeIp === null) return { pool: name, index, fits: false, nodeIp: null, podRange: null };
    const maxPods = pool.spec.maxPods;
    const podRange = { first: nodeIp.plus(1), last: nodeIp.plus(maxPods), count: maxPods };
    return { pool: name, index, fits: true, nodeIp, podRange };
  }
}
