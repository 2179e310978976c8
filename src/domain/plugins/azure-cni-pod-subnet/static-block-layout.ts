import { AKS, AZURE_SUBNET } from '../../aks-limits.js';
import { poolTerms, totalTerm } from '../../capacity/explain.js';
import { formatCount } from '../../capacity/numbers.js';
import { type RangeCapacity, rangeCapacity } from '../../capacity/range-capacity.js';
import { poolRequirement, slotCosts } from '../../capacity/requirement.js';
import type { ResolvedPool } from '../../design/resolved-plan.js';
import { type Cidr, hostBitsFor, type IpAddress } from '../../ip/index.js';
import { CreationOrder } from '../../layout/creation-order.js';
import type { PodSubnetGroup } from './pod-subnet-pools.js';

export const BLOCK_PREFIX = 28;
export const BLOCK_SIZE = 16;

/** /28 blocks a node takes: maxPods plus the one address reserved per node, in blocks of 16. */
export function blocksPerNode(maxPods: number): number {
  return Math.ceil((maxPods + 1) / BLOCK_SIZE);
}

/**
 * A pod subnet handed out in /28 blocks, ceil((maxPods + 1) / 16) per node slot, in creation
 * order (every pool's current nodes, then growth and surge). The first and the last /28 hold
 * Azure's reserved addresses (the first four and the last of the subnet) and cannot be
 * assigned whole, so blocks start at the second /28 and end before the last one.
 */
export class StaticBlockLayout {
  readonly order: CreationOrder;
  /** Blocks that can be assigned: all but the first and the last. */
  readonly assignableBlocks: bigint;

  constructor(
    readonly group: PodSubnetGroup,
    /** How many of a pool's slots get a node IP: a node never created takes no blocks. */
    creatable?: (pool: ResolvedPool) => number,
  ) {
    const blocks = group.cidr.size / BigInt(BLOCK_SIZE);
    this.assignableBlocks = blocks > 2n ? blocks - 2n : 0n;
    this.order = new CreationOrder(group.pools, (pool) => BigInt(blocksPerNode(pool.spec.maxPods)), 1n, 0n, {
      end: this.assignableBlocks + 1n,
      ...(creatable && { creatable }),
    });
  }

  get cidr(): Cidr {
    return this.group.cidr;
  }

  /** How many of a pool's slots get their blocks: always its first ones. */
  slotsWithBlocks(pool: ResolvedPool): number {
    return this.order.placed(pool);
  }

  /** The blocks of a slot, or null when the subnet has no room for all of them. */
  blocksOf(pool: ResolvedPool, index: number): Cidr[] | null {
    const first = this.order.startOf(pool, index);
    const perNode = blocksPerNode(pool.spec.maxPods);
    if (first === undefined) return null;
    return Array.from({ length: perNode }, (_, i) => this.cidr.subnet(BLOCK_PREFIX, first + BigInt(i)));
  }

  /** The slot whose blocks hold `address`; 'reserved' for Azure's addresses; undefined elsewhere. */
  slotOf(address: IpAddress): { pool: ResolvedPool; index: number } | 'reserved' | undefined {
    const offset = this.cidr.offsetOf(address);
    if (offset === undefined) return undefined;
    if (offset < BigInt(AZURE_SUBNET.leadingReserved) || offset === this.cidr.size - 1n) return 'reserved';
    const block = offset / BigInt(BLOCK_SIZE);
    if (block < 1n || block > this.assignableBlocks) return undefined;
    const slot = this.order.at(block);
    if (slot === undefined) return undefined;
    const { pool } = slot.run;
    return this.blocksOf(pool, slot.index) === null ? undefined : { pool, index: slot.index };
  }

  capacity(): RangeCapacity {
    const blockAddresses = (pool: ResolvedPool) => BigInt(blocksPerNode(pool.spec.maxPods) * BLOCK_SIZE);
    const required = poolRequirement(this.group.pools, blockAddresses);
    const usable = this.assignableBlocks * BigInt(BLOCK_SIZE);
    const widest = this.group.pools.reduce((max, p) => Math.max(max, blocksPerNode(p.spec.maxPods)), 1);
    return rangeCapacity({
      kind: 'pod-subnet',
      cidr: this.cidr,
      total: this.cidr.size,
      azureReserved: BigInt(AZURE_SUBNET.reserved),
      usable,
      required,
      nodeSlots: this.assignableBlocks / BigInt(widest),
      explain: this.explain(required.duringUpgrade, usable),
      recommendedPrefixLength: smallestBlockSubnet(required.duringUpgrade),
      perSlot: slotCosts(this.group.pools, blockAddresses),
    });
  }

  private explain(required: bigint, usable: bigint): string {
    const terms = poolTerms(this.group.pools, (pool) => {
      const blocks = blocksPerNode(pool.spec.maxPods);
      const waste = blocks * BLOCK_SIZE - (pool.spec.maxPods + 1);
      const wasted = waste === 0 ? 'no waste' : `${waste} wasted per node`;
      return `${blocks} /28 blocks (${pool.spec.maxPods} pods + 1 reserved in ${blocks * BLOCK_SIZE}: ${wasted})`;
    });
    const blocks = `${formatCount(this.assignableBlocks)} assignable /28 blocks: the first and last hold Azure's reserved addresses`;
    return `${terms.join(' + ')} ${totalTerm(required, usable)} (${blocks})`;
  }
}

/**
 * The longest prefix whose assignable blocks (all but two) hold `required` addresses, and at
 * least one block: a pod subnet with none is exhausted whatever it must hold (verdict.ts).
 */
export function smallestBlockSubnet(required: bigint): number | null {
  const needed = (required + BigInt(BLOCK_SIZE) - 1n) / BigInt(BLOCK_SIZE);
  const blocks = (needed > 0n ? needed : 1n) + 2n;
  const prefix = Math.min(BLOCK_PREFIX - hostBitsFor(blocks), AKS.subnetPrefixRange.max);
  return prefix < AKS.minStaticPodSubnetPrefixLength ? null : prefix;
}
