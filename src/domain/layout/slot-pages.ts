import type { ResolvedPool } from '../design/resolved-plan.js';
import type { SlotQuery } from './cluster-layout.js';
import type { NodeSlot } from './layout-types.js';

/** Slots of the pools a query selects: one pool by name, or all of them. */
function selectedPools(pools: readonly ResolvedPool[], pool?: string): readonly ResolvedPool[] {
  return pool === undefined ? pools : pools.filter((p) => p.spec.name === pool);
}

export function countSlots(pools: readonly ResolvedPool[], pool?: string): number {
  return selectedPools(pools, pool).reduce((sum, p) => sum + p.size.duringUpgrade, 0);
}

/**
 * A page of slots across pools in plan order. Skipping to `offset` walks pools, not slots,
 * so a page costs O(pools + limit) however large the plan.
 */
export function pageSlots(
  pools: readonly ResolvedPool[],
  query: SlotQuery,
  slot: (pool: ResolvedPool, index: number) => NodeSlot,
): NodeSlot[] {
  const page: NodeSlot[] = [];
  let skip = query.offset;
  for (const pool of selectedPools(pools, query.pool)) {
    const slots = pool.size.duringUpgrade;
    if (skip >= slots) {
      skip -= slots;
      continue;
    }
    for (let i = skip; i < slots && page.length < query.limit; i++) page.push(slot(pool, i));
    skip = 0;
    if (page.length >= query.limit) break;
  }
  return page;
}
