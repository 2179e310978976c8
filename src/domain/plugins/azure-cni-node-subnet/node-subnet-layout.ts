import type { RangeCapacity } from '../../capacity/range-capacity.js';
import { subnetCapacity } from '../../capacity/subnet-capacity.js';
import type { IpAddress } from '../../ip/index.js';
import type { ClusterLayout, SlotQuery } from '../../layout/cluster-layout.js';
import type { AddressMatch, NodeSlot, PlanRange } from '../../layout/layout-types.js';
import { layoutNodeSubnets } from '../../layout/node-subnets.js';
import { countSlots, pageSlots } from '../../layout/slot-pages.js';
import type { SubnetLayout } from '../../layout/subnet-layout.js';
import type { ResolvedPlan, ResolvedPool } from '../../plan/resolved-plan.js';

/** Each node takes its node IP followed by maxPods pre-allocated pod IPs. */
const addressesPerNode = (pool: ResolvedPool) => 1 + pool.spec.maxPods;

/** Azure CNI with pods in the node subnet: one contiguous block of 1 + maxPods per node slot. */
export class NodeSubnetLayout implements ClusterLayout {
  private readonly subnets: SubnetLayout[];

  constructor(private readonly plan: ResolvedPlan) {
    this.subnets = layoutNodeSubnets(plan, addressesPerNode);
  }

  slotCount(pool?: string): number {
    return countSlots(this.plan.pools, pool);
  }

  slots(query: SlotQuery): NodeSlot[] {
    return pageSlots(this.plan.pools, query, (pool, index) => this.slot(pool, index));
  }

  ranges(): PlanRange[] {
    return this.subnets.map((s) => ({ kind: 'node-subnet', cidr: s.cidr }));
  }

  lookup(address: IpAddress): AddressMatch[] {
    const subnet = this.subnets.find((s) => s.cidr.contains(address));
    if (subnet === undefined) return [];
    const hit = subnet.locate(address);
    if (hit.kind === 'other') return [{ role: hit.role, range: subnet.cidr }];
    const nodeIp = subnet.cidr.at(subnet.slotStart(hit.segment, hit.index));
    return [
      {
        role: hit.position === 0n ? 'node' : 'pod',
        range: subnet.cidr,
        pool: hit.segment.pool.spec.name,
        nodeIndex: hit.index,
        nodeIp,
      },
    ];
  }

  capacity(): RangeCapacity[] {
    return this.subnets.map((subnet) =>
      subnetCapacity(subnet, (s) => `(1 node + ${s.pool.spec.maxPods} pods)`),
    );
  }

  private slot(pool: ResolvedPool, index: number): NodeSlot {
    const subnet = this.subnets.find((s) => s.cidr.equals(pool.nodeSubnet));
    const segment = subnet?.segments.find((s) => s.pool === pool);
    if (subnet === undefined || segment === undefined)
      throw new Error(`pool ${pool.spec.name} has no subnet layout`);
    const name = pool.spec.name;
    if (!subnet.slotFits(segment, index))
      return { pool: name, index, fits: false, nodeIp: null, podRange: null };
    const nodeIp = subnet.cidr.at(subnet.slotStart(segment, index));
    const maxPods = pool.spec.maxPods;
    const podRange = { first: nodeIp.plus(1), last: nodeIp.plus(maxPods), count: maxPods };
    return { pool: name, index, fits: true, nodeIp, podRange };
  }
}
