import type { NodePoolSpec } from './spec.js';
import { surgeNodes } from './surge.js';

/** The node counts a pool passes through: now, at the autoscaler maximum, and during an upgrade. */
export interface PoolSize {
  readonly current: number;
  readonly atMaxCount: number;
  readonly surge: number;
  readonly duringUpgrade: number;
}

export function poolSize(pool: NodePoolSpec): PoolSize {
  const atMaxCount = Math.max(pool.nodeCount, pool.maxCount ?? pool.nodeCount);
  const surge = surgeNodes(pool.maxSurge, atMaxCount);
  return { current: pool.nodeCount, atMaxCount, surge, duringUpgrade: atMaxCount + surge };
}

/**
 * The pods the pools can run at their maxima (maxPods a node, surge aside): what AKS's 64,000
 * pod IPs of a dynamic pod subnet cluster are counted against.
 */
export function podsAtMaxima(pools: readonly NodePoolSpec[]): number {
  return pools.reduce((sum, pool) => sum + poolSize(pool).atMaxCount * pool.maxPods, 0);
}
