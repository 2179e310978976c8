import type { RangeCapacity } from '../../capacity/range-capacity.js';
import type { ResolvedPlan, ResolvedPool } from '../../design/resolved-plan.js';
import type { Cidr, IpAddress } from '../../ip/index.js';
import type { ClusterLayout, SlotQuery } from '../../layout/cluster-layout.js';
import type { AddressMatch, NodeSlot, PlanRange } from '../../layout/layout-types.js';
import { NodeSubnetSet } from '../../layout/node-subnet-set.js';
import { countSlots, pageSlots } from '../../layout/slot-pages.js';
import type { SubnetLocator } from '../../layout/subnet-locator.js';
import { DynamicPodSubnetLayout } from './dynamic-layout.js';
import { podSubnetGroups } from './pod-subnet-pools.js';
import { StaticBlockLayout } from './static-block-layout.js';

const DYNAMIC_NOTE =
  'dynamic pod IP allocation hands out batches of 16 addresses to whichever node needs them, so no address belongs to a fixed node';

/** Azure CNI with a pod subnet: node IPs from the node subnet, pod IPs from the pod subnet(s). */
export class PodSubnetClusterLayout implements ClusterLayout {
  private readonly nodes: NodeSubnetSet;
  private readonly podSubnets: readonly (StaticBlockLayout | DynamicPodSubnetLayout)[];

  constructor(private readonly plan: ResolvedPlan) {
    // Static blocks: a slot is a node only with its blocks. Dynamic batches belong to no slot.
    // Read when a lookup first builds a subnet's locator, after the pod subnets below are laid out.
    const withBlocks = (pool: ResolvedPool) => {
      const blocks = this.podSubnets.find((p) => p.group.pools.includes(pool));
      return blocks instanceof StaticBlockLayout ? blocks.slotsWithBlocks(pool) : pool.size.duringUpgrade;
    };
    const nodes = new NodeSubnetSet(
      plan,
      () => 1,
      () => '1 node',
      withBlocks,
    );
    this.nodes = nodes;
    // A slot without a node IP is never created, and takes no blocks. (A node whose blocks do
    // not fit keeps its node IP in this model, though AKS would release it with the node.)
    const withNodeIp = (pool: ResolvedPool) => nodes.nodeIpSlots(pool);
    const isStatic = plan.spec.network.podIpAllocation === 'static-block';
    this.podSubnets = podSubnetGroups(plan).map((g) =>
      isStatic ? new StaticBlockLayout(g, withNodeIp) : new DynamicPodSubnetLayout(g),
    );
  }

  slotCount(pool?: string): number {
    return countSlots(this.plan.pools, pool);
  }

  slots(query: SlotQuery): NodeSlot[] {
    return pageSlots(this.plan.pools, query, (pool, index) => this.slot(pool, index));
  }

  ranges(): PlanRange[] {
    const podIpAllocation = this.plan.spec.network.podIpAllocation ?? 'dynamic';
    const pods = this.podSubnets.map((p) => ({
      kind: 'pod-subnet' as const,
      cidr: p.group.cidr,
      podIpAllocation,
    }));
    return [...this.nodes.ranges(), ...pods];
  }

  nodeSubnetLocator(cidr: Cidr): SubnetLocator | undefined {
    return this.nodes.locator(cidr);
  }

  lookup(address: IpAddress): AddressMatch[] {
    const podSubnet = this.podSubnets.find((p) => p.group.cidr.contains(address));
    if (podSubnet === undefined) return this.nodes.lookup(address);
    const at = { kind: 'pod-subnet', range: podSubnet.group.cidr } as const;
    if (podSubnet instanceof DynamicPodSubnetLayout) {
      return [
        podSubnet.isReserved(address)
          ? { role: 'azure-reserved', ...at }
          : { role: 'pod', ...at, note: DYNAMIC_NOTE },
      ];
    }
    const slot = podSubnet.slotOf(address);
    if (slot === 'reserved') return [{ role: 'azure-reserved', ...at }];
    const nodeIp = slot && this.nodes.nodeIp(slot.pool, slot.index);
    if (slot === undefined || nodeIp == null) return [{ role: 'unassigned', ...at }];
    return [{ role: 'pod', ...at, pool: slot.pool.spec.name, nodeIndex: slot.index, nodeIp }];
  }

  capacity(): RangeCapacity[] {
    return [...this.nodes.capacity(), ...this.podSubnets.map((p) => p.capacity())];
  }

  private slot(pool: ResolvedPool, index: number): NodeSlot {
    const name = pool.spec.name;
    const nodeIp = this.nodes.nodeIp(pool, index);
    const podSubnet = this.podSubnets.find((p) => p.group.pools.includes(pool));
    if (!(podSubnet instanceof StaticBlockLayout))
      return { pool: name, index, fits: nodeIp !== null, nodeIp };
    const podBlocks = podSubnet.blocksOf(pool, index);
    return { pool: name, index, fits: nodeIp !== null && podBlocks !== null, nodeIp, podBlocks };
  }
}
