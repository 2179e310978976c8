import { poolTerms, totalTerm } from '../capacity/explain.js';
import { formatCount } from '../capacity/numbers.js';
import { type RangeCapacity, rangeCapacity } from '../capacity/range-capacity.js';
import { poolRequirement, slotCosts } from '../capacity/requirement.js';
import type { ResolvedPool } from '../design/resolved-plan.js';
import { bitsOf, type Cidr, hostBitsFor, type IpAddress } from '../ip/index.js';
import { CreationOrder } from './creation-order.js';

/**
 * A private pod CIDR split into one fixed block per node slot (/24 for IPv4, /80 for IPv6),
 * handed out in creation order: every pool's current nodes, then each pool's growth and surge
 * (the controller gives each new node the next free block). AKS reserves nothing in it: the
 * whole range is usable.
 */
export class PodCidrLayout {
  /** Addresses in one node's block. */
  readonly perNode: bigint;
  /** How many node blocks the pod CIDR holds. */
  readonly nodeSlots: bigint;
  private readonly order: CreationOrder;

  constructor(
    readonly cidr: Cidr,
    private readonly pools: readonly ResolvedPool[],
    readonly perNodePrefix: number,
    /**
     * Which slots are nodes: how many of a pool's slots get a node IP, and how many blocks the
     * cluster hands out (dual-stack: as many as its smaller pod CIDR holds, since a node gets a
     * block of each family or none). A slot that is no node takes no block.
     */
    nodes: { creatable?: (pool: ResolvedPool) => number; blocks?: bigint } = {},
  ) {
    this.perNode = 1n << BigInt(bitsOf(cidr.family) - perNodePrefix);
    this.nodeSlots = PodCidrLayout.blocksIn(cidr, perNodePrefix);
    const end = nodes.blocks !== undefined && nodes.blocks < this.nodeSlots ? nodes.blocks : this.nodeSlots;
    this.order = new CreationOrder(pools, () => 1n, 0n, 0n, {
      end,
      ...(nodes.creatable && { creatable: nodes.creatable }),
    });
  }

  /** How many node blocks of `perNodePrefix` a pod CIDR holds. */
  static blocksIn(cidr: Cidr, perNodePrefix: number): bigint {
    return perNodePrefix >= cidr.prefixLength ? 1n << BigInt(perNodePrefix - cidr.prefixLength) : 0n;
  }

  /** How many of a pool's slots get a block: always its first ones. */
  slotsWithBlocks(pool: ResolvedPool): number {
    return this.order.placed(pool);
  }

  /** The block of slot `index` of `pool`, or null when it gets none (no node, or no block left). */
  blockOf(pool: ResolvedPool, index: number): Cidr | null {
    const block = this.order.startOf(pool, index);
    return block === undefined ? null : this.cidr.subnet(this.perNodePrefix, block);
  }

  /** The slot whose block holds `address`, or undefined past the last planned slot. */
  slotOf(address: IpAddress): { pool: ResolvedPool; index: number } | undefined {
    const offset = this.cidr.offsetOf(address);
    if (offset === undefined) return undefined;
    const slot = this.order.at(offset / this.perNode);
    return slot && { pool: slot.run.pool, index: slot.index };
  }

  capacity(): RangeCapacity {
    const required = poolRequirement(this.pools, () => this.perNode);
    const usable = this.cidr.size;
    const block = `${formatCount(this.perNode)} (a /${this.perNodePrefix} per node)`;
    return rangeCapacity({
      kind: 'pod-cidr',
      cidr: this.cidr,
      total: usable,
      azureReserved: 0n,
      usable,
      required,
      nodeSlots: this.nodeSlots,
      explain: `${poolTerms(this.pools, () => block).join(' + ')} ${totalTerm(required.duringUpgrade, usable, 'addresses')}`,
      recommendedPrefixLength: this.smallestPrefix(),
      perSlot: slotCosts(this.pools, () => this.perNode),
    });
  }

  /** The longest prefix holding a block for every slot during an upgrade. */
  private smallestPrefix(): number {
    const slots = this.pools.reduce((sum, p) => sum + p.size.duringUpgrade, 0);
    return Math.max(this.perNodePrefix - hostBitsFor(BigInt(slots)), 0);
  }
}
