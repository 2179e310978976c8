import { AKS } from '../../aks-limits.js';
import { counted } from '../../capacity/numbers.js';
import { poolSize } from '../../design/pool-size.js';
import type { ProblemCollector } from '../../design/problems.js';
import type { NodePoolSpec, PlanSpec } from '../../design/spec.js';
import { isValidSurge } from '../../design/surge.js';

export function checkPools(spec: PlanSpec, problems: ProblemCollector): void {
  const pools = spec.nodePools;
  if (pools.length > AKS.maxNodePools) {
    problems.add(
      'TOO_MANY_NODE_POOLS',
      'nodePools',
      `${pools.length} node pools exceed the AKS limit of ${AKS.maxNodePools} per cluster`,
    );
  }
  // Counts that are not whole numbers stop here: every later rule does arithmetic on them.
  const counted = pools.map((pool, i) => checkWholeCounts(pool, `nodePools[${i}]`, problems));
  if (!counted.every(Boolean)) return;
  checkSystemPool(pools, problems);
  pools.forEach((pool, i) => {
    checkPool(pool, `nodePools[${i}]`, problems);
  });
  checkClusterSize(pools, problems);
}

/** Whether nodeCount, minCount and maxCount are whole numbers of nodes (the schema says so for HTTP). */
function checkWholeCounts(pool: NodePoolSpec, at: string, problems: ProblemCollector): boolean {
  let whole = true;
  for (const field of ['nodeCount', 'minCount', 'maxCount'] as const) {
    const value = pool[field];
    if (value === undefined || (Number.isSafeInteger(value) && value >= 0)) continue;
    problems.add(
      'NODE_COUNT_INVALID',
      `${at}.${field}`,
      `${field} ${value} must be a whole number of nodes from 0`,
    );
    whole = false;
  }
  return whole;
}

function checkSystemPool(pools: NodePoolSpec[], problems: ProblemCollector): void {
  if (!pools.some((pool) => pool.mode === 'System' && pool.nodeCount >= 1)) {
    problems.add(
      'NO_SYSTEM_POOL',
      'nodePools',
      `a cluster needs at least one System pool with at least one node${firstPoolHint(pools)}`,
    );
  }
  pools.forEach((pool, i) => {
    if (pool.mode === 'System' && pool.osType !== 'Linux') {
      problems.add('SYSTEM_POOL_NOT_LINUX', `nodePools[${i}].osType`, 'System pools must run Linux');
    }
  });
}

/**
 * Only the first pool takes System when it gives no mode (api.md): with a User or Gateway pool
 * listed first, a pool meant as the System pool listed after it without a mode is a User pool,
 * and the refusal would otherwise not say why. Not said when a System pool exists (with no node).
 */
function firstPoolHint(pools: readonly NodePoolSpec[]): string {
  const [first] = pools;
  if (first === undefined || pools.some((pool) => pool.mode === 'System')) return '';
  return `: no pool has mode System, and only the first pool takes it when it gives no mode (nodePools[0] is a ${first.mode} pool)`;
}

function checkPool(pool: NodePoolSpec, at: string, problems: ProblemCollector): void {
  checkCounts(pool, at, problems);
  checkMaxPods(pool, at, problems);
  const sizeAt = `${at}.${pool.maxCount === undefined ? 'nodeCount' : 'maxCount'}`;
  if (!isValidSurge(pool.maxSurge)) {
    problems.add(
      'MAX_SURGE_INVALID',
      `${at}.maxSurge`,
      `maxSurge ${JSON.stringify(pool.maxSurge)} must be a whole number of nodes or a percentage from "0%" to "100%"`,
    );
    // Without a surge the pool's own size is still checked: whatever the surge, it only adds.
    const reach = pool.maxCount ?? pool.nodeCount;
    if (reach > AKS.maxNodesPerPool)
      problems.add(
        'POOL_TOO_LARGE',
        sizeAt,
        `pool "${pool.name}" reaches ${reach} nodes before any surge, above the ${AKS.maxNodesPerPool} nodes a scale set holds`,
      );
    return;
  }
  const size = poolSize(pool);
  if (size.duringUpgrade > AKS.maxNodesPerPool) {
    problems.add(
      'POOL_TOO_LARGE',
      sizeAt,
      `pool "${pool.name}" reaches ${size.atMaxCount} nodes + ${size.surge} surge = ${size.duringUpgrade}, above the ${AKS.maxNodesPerPool} nodes a scale set holds`,
    );
  }
}

function checkCounts(pool: NodePoolSpec, at: string, problems: ProblemCollector): void {
  if (pool.maxCount !== undefined && pool.maxCount < pool.nodeCount) {
    problems.add(
      'MAX_COUNT_BELOW_NODE_COUNT',
      `${at}.maxCount`,
      `maxCount ${pool.maxCount} is below nodeCount ${pool.nodeCount}`,
    );
  }
  if (pool.minCount !== undefined && pool.minCount > pool.nodeCount) {
    problems.add(
      'MIN_COUNT_ABOVE_NODE_COUNT',
      `${at}.minCount`,
      `minCount ${pool.minCount} is above nodeCount ${pool.nodeCount}`,
    );
  }
  if (pool.mode === 'System' && pool.minCount === 0) {
    problems.add(
      'SYSTEM_POOL_MIN_COUNT_ZERO',
      `${at}.minCount`,
      `pool "${pool.name}" is a System pool: the autoscaler must keep at least one node (minCount 1 or more)`,
    );
  }
  if (pool.minCount !== undefined && pool.maxCount === undefined) {
    problems.add(
      'MIN_COUNT_WITHOUT_MAX_COUNT',
      `${at}.minCount`,
      'minCount configures the autoscaler and needs maxCount as well',
    );
  }
}

function checkMaxPods(pool: NodePoolSpec, at: string, problems: ProblemCollector): void {
  const { min, max } = AKS.maxPodsRange;
  if (pool.maxPods < min || pool.maxPods > max) {
    problems.add(
      'MAX_PODS_OUT_OF_RANGE',
      `${at}.maxPods`,
      `maxPods ${pool.maxPods} is outside the allowed range ${min}-${max}`,
    );
    return;
  }
  // The fewest nodes the pool can have: the autoscaler may take it down to minCount.
  const fewest = pool.minCount ?? pool.nodeCount;
  const podsInPool = pool.maxPods * fewest;
  if (pool.maxPods < AKS.minPodsPerPool && podsInPool < AKS.minPodsPerPool) {
    const nodesNeeded = Math.ceil(AKS.minPodsPerPool / pool.maxPods);
    const nodes = `${pool.minCount === undefined ? '' : 'minCount '}${counted(fewest, 'node')}`;
    problems.add(
      'POOL_BELOW_MIN_PODS',
      `${at}.maxPods`,
      `${nodes} x ${pool.maxPods} pods = ${podsInPool}: a pool needs room for at least ${AKS.minPodsPerPool} pods, so maxPods ${pool.maxPods} needs at least ${nodesNeeded} nodes${podsNeeded(fewest, nodes)}`,
    );
  }
}

/** The other way out: the maxPods the pool's nodes need (more nodes may not be possible: a gateway prefix). */
function podsNeeded(fewest: number, nodes: string): string {
  if (fewest === 0) return '';
  return `, and ${nodes} ${fewest === 1 ? 'needs' : 'need'} maxPods ${Math.ceil(AKS.minPodsPerPool / fewest)}`;
}

function checkClusterSize(pools: NodePoolSpec[], problems: ProblemCollector): void {
  const total = pools.reduce(
    (sum, pool) => sum + Math.max(pool.nodeCount, pool.maxCount ?? pool.nodeCount),
    0,
  );
  if (total > AKS.maxNodesPerCluster) {
    problems.add(
      'CLUSTER_TOO_LARGE',
      'nodePools',
      `the pools reach ${total} nodes, above the AKS limit of ${AKS.maxNodesPerCluster} per cluster`,
    );
  }
}
