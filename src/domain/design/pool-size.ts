import { AKS } from '../aks-limits.js';
import type { NodePoolSpec, PlanSpec } from './spec.js';
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

/** The names of the design's Windows pools, in spec order. */
export function windowsPoolNames(spec: PlanSpec): string[] {
  return spec.nodePools.filter((pool) => pool.osType === 'Windows').map((pool) => pool.name);
}

/**
 * The nodes a gateway public IP prefix of this length holds, one address each (/28: 16 ...
 * /31: 2); undefined for a length outside 28-31, which the rules refuse.
 */
export function gatewayPrefixNodes(prefix: number): number | undefined {
  const { min, max } = AKS.gatewayPrefixSize;
  return Number.isInteger(prefix) && prefix >= min && prefix <= max ? 2 ** (32 - prefix) : undefined;
}

/** What a Gateway pool's prefix holds; undefined for other pools and for a refused prefix. */
export function gatewayPoolHolds(pool: NodePoolSpec): number | undefined {
  return pool.mode === 'Gateway' && pool.gatewayPrefixSize !== undefined
    ? gatewayPrefixNodes(pool.gatewayPrefixSize)
    : undefined;
}
