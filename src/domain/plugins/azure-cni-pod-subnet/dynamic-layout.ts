import { AZURE_SUBNET } from '../../aks-limits.js';
import { poolTerms, totalTerm } from '../../capacity/explain.js';
import { type RangeCapacity, type Requirement, rangeCapacity } from '../../capacity/range-capacity.js';
import { poolRequirement, slotCosts } from '../../capacity/requirement.js';
import { smallestSubnetPrefix } from '../../capacity/subnet-prefix.js';
import type { ResolvedPool } from '../../design/resolved-plan.js';
import type { IpAddress } from '../../ip/index.js';
import type { PodSubnetGroup } from './pod-subnet-pools.js';

/** Azure hands pod IPs to a node in batches of this many. */
export const BATCH = 16;

/** The most a node can hold: its maximum pods rounded up to whole batches. */
export function batchedMaximum(maxPods: number): number {
  return BATCH * Math.ceil(maxPods / BATCH);
}

/**
 * A pod subnet with dynamic allocation: nodes take batches of 16 as pods start (another when
 * fewer than 8 are free), so no address belongs to a fixed node. Each node holds one batch
 * at least and 16 x ceil(maxPods / 16) at most; exhaustion is judged on the most.
 */
export class DynamicPodSubnetLayout {
  constructor(readonly group: PodSubnetGroup) {}

  /** Azure's reserved addresses, or undefined for an address any node may hold. */
  isReserved(address: IpAddress): boolean {
    const offset = this.group.cidr.offsetOf(address);
    return (
      offset !== undefined &&
      (offset < BigInt(AZURE_SUBNET.leadingReserved) || offset === this.group.cidr.size - 1n)
    );
  }

  capacity(): RangeCapacity & { requiredAtLeast: Requirement } {
    const { cidr, pools } = this.group;
    const most = (pool: ResolvedPool) => BigInt(batchedMaximum(pool.spec.maxPods));
    const required = poolRequirement(pools, most);
    const requiredAtLeast = poolRequirement(pools, () => BigInt(BATCH));
    const usable = cidr.size - BigInt(AZURE_SUBNET.reserved);
    const widest = pools.reduce((max, p) => Math.max(max, batchedMaximum(p.spec.maxPods)), BATCH);
    const mostTerms = poolTerms(
      pools,
      (p) => `${batchedMaximum(p.spec.maxPods)} (16 x ceil(${p.spec.maxPods} / 16))`,
    );
    const least = poolTerms(pools, () => `${BATCH}`);
    return rangeCapacity({
      kind: 'pod-subnet',
      cidr,
      total: cidr.size,
      azureReserved: BigInt(AZURE_SUBNET.reserved),
      usable,
      required,
      requiredAtLeast,
      nodeSlots: usable > 0n ? usable / BigInt(widest) : 0n,
      explain: `at most ${mostTerms.join(' + ')} ${totalTerm(required.duringUpgrade, usable)}; at least ${least.join(' + ')} = ${requiredAtLeast.duringUpgrade}`,
      recommendedPrefixLength: smallestSubnetPrefix(required.duringUpgrade),
      perSlot: slotCosts(pools, most),
    });
  }
}
