import type { ResolvedPool } from '../design/resolved-plan.js';
import type { Requirement } from './range-capacity.js';

/** What one node slot of each pool costs the range, by pool index (RangeCapacity.perSlot). */
export function slotCosts(
  pools: readonly ResolvedPool[],
  perNode: (pool: ResolvedPool) => bigint,
): ReadonlyMap<number, bigint> {
  return new Map(pools.map((pool) => [pool.index, perNode(pool)]));
}

/**
 * Addresses a range needs at each stage of the pools' life: now, at the autoscaler maxima and
 * during an upgrade, at `perNode` addresses per node, plus `fixed` addresses (reservations).
 */
export function poolRequirement(
  pools: readonly ResolvedPool[],
  perNode: (pool: ResolvedPool) => bigint,
  fixed = 0n,
): Requirement {
  const sum = (nodes: (pool: ResolvedPool) => number) =>
    pools.reduce((total, pool) => total + BigInt(nodes(pool)) * perNode(pool), fixed);
  return {
    current: sum((p) => p.size.current),
    atMaxCount: sum((p) => p.size.atMaxCount),
    duringUpgrade: sum((p) => p.size.duringUpgrade),
  };
}
