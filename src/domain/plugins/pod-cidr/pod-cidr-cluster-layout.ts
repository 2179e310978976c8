import type { RangeCapacity } from '../../capacity/range-capacity.js';
import type { ResolvedPlan, ResolvedPool } from '../../design/resolved-plan.js';
import type { Cidr, IpAddress } from '../../ip/index.js';
import type { ClusterLayout, SlotQuery } from '../../layout/cluster-layout.js';
import type { AddressMatch, NodeSlot, PlanRange } from '../../layout/layout-types.js';
import { NodeSubnetSet } from '../../layout/node-subnet-set.js';
import { PodCidrLayout } from '../../layout/pod-cidr-layout.js';
import { countSlots, pageSlots } from '../../layout/slot-pages.js';
import type { SubnetLocator } from '../../layout/subnet-locator.js';

/** Per-node block of each family: a /24 of an IPv4 pod CIDR, a /80 of an IPv6 one. */
export const PER_NODE_PREFIX = { 4: 24, 6: 80 } as const;

/**
 * kubenet and Azure CNI Overlay: one node IP per slot from the node subnet, and one block per
 * slot from each pod CIDR (two with dual-stack). A slot fits when its node IP and every block do.
 */
export class PodCidrClusterLayout implements ClusterLayout {
  private readonly nodes: NodeSubnetSet;
  private readonly podCidrs: readonly PodCidrLayout[];

  constructor(
    private readonly plan: ResolvedPlan,
    podCidrs: readonly Cidr[],
  ) {
    // A slot is a node only with a block of every pod CIDR: its node IP is no node's otherwise.
    // Read when a lookup first builds a subnet's locator, after the pod CIDRs below are laid out.
    const withBlocks = (pool: ResolvedPool) => Math.min(...this.podCidrs.map((p) => p.slotsWithBlocks(pool)));
    const nodes = new NodeSubnetSet(
      plan,
      () => 1,
      () => '1 node',
      withBlocks,
    );
    this.nodes = nodes;
    // The controller gives each node created a block of every family at once, or none: a slot
    // without a node IP takes none, and no family hands out more blocks than the smallest holds.
    const blocks = podCidrs
      .map((cidr) => PodCidrLayout.blocksIn(cidr, PER_NODE_PREFIX[cidr.family]))
      .reduce<bigint | undefined>((min, n) => (min === undefined || n < min ? n : min), undefined);
    const creatable = (pool: ResolvedPool) => nodes.nodeIpSlots(pool);
    this.podCidrs = podCidrs.map(
      (cidr) =>
        new PodCidrLayout(cidr, plan.pools, PER_NODE_PREFIX[cidr.family], {
          creatable,
          ...(blocks !== undefined && { blocks }),
        }),
    );
  }

  slotCount(pool?: string): number {
    return countSlots(this.plan.pools, pool);
  }

  slots(query: SlotQuery): NodeSlot[] {
    return pageSlots(this.plan.pools, query, (pool, index) => this.slot(pool, index));
  }

  ranges(): PlanRange[] {
    return [
      ...this.nodes.ranges(),
      ...this.podCidrs.map((p) => ({ kind: 'pod-cidr' as const, cidr: p.cidr })),
    ];
  }

  nodeSubnetLocator(cidr: Cidr): SubnetLocator | undefined {
    return this.nodes.locator(cidr);
  }

  lookup(address: IpAddress): AddressMatch[] {
    const podCidr = this.podCidrs.find((p) => p.cidr.contains(address));
    if (podCidr === undefined) return this.nodes.lookup(address);
    const slot = podCidr.slotOf(address);
    const nodeIp = slot && this.fittingNodeIp(slot.pool, slot.index);
    const at = { kind: 'pod-cidr', range: podCidr.cidr } as const;
    if (slot === undefined || nodeIp == null) return [{ role: 'unassigned', ...at }];
    return [{ role: 'pod', ...at, pool: slot.pool.spec.name, nodeIndex: slot.index, nodeIp }];
  }

  capacity(): RangeCapacity[] {
    return [...this.nodes.capacity(), ...this.podCidrs.map((p) => p.capacity())];
  }

  /** The node IP of a slot whose node IP and pod blocks all fit; null otherwise. */
  private fittingNodeIp(pool: ResolvedPool, index: number): IpAddress | null {
    const blocks = this.podCidrs.map((p) => p.blockOf(pool, index));
    return blocks.includes(null) ? null : this.nodes.nodeIp(pool, index);
  }

  private slot(pool: ResolvedPool, index: number): NodeSlot {
    const name = pool.spec.name;
    const nodeIp = this.nodes.nodeIp(pool, index);
    const blocks = this.podCidrs.map((p) => p.blockOf(pool, index));
    const [podCidr = null] = blocks;
    const fits = nodeIp !== null && !blocks.includes(null);
    // Positions stay by family (IPv4 first), null where that pod CIDR has run out.
    const dualStack = blocks.length > 1 ? { podCidrs: blocks } : {};
    return { pool: name, index, fits, nodeIp, podCidr, ...dualStack };
  }
}
