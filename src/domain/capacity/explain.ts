import type { ResolvedPool } from '../design/resolved-plan.js';
import { formatCount } from './numbers.js';

/** "(5 max + 1 surge)" or "(3 nodes + 1 surge)": the node count a pool is planned for. */
export function poolCountTerm(pool: ResolvedPool): string {
  const { size, spec } = pool;
  const count = formatCount(size.atMaxCount);
  const noun = size.atMaxCount === 1 ? 'node' : 'nodes';
  const nodes = spec.maxCount === undefined ? `${count} ${noun}` : `${count} max`;
  return `(${nodes} + ${formatCount(size.surge)} surge)`;
}

/** One term per pool, named when there are several: "system (5 max + 1 surge) x 256". */
export function poolTerms(pools: readonly ResolvedPool[], perNode: (pool: ResolvedPool) => string): string[] {
  return pools.map((pool) => {
    const term = `${poolCountTerm(pool)} x ${perNode(pool)}`;
    return pools.length > 1 ? `${pool.spec.name} ${term}` : term;
  });
}

/** "= 189 of 251 usable", with the shortfall when the requirement does not fit. */
export function totalTerm(required: bigint, usable: bigint, unit = 'usable'): string {
  const short = required > usable ? `: ${formatCount(required - usable)} short` : '';
  return `= ${formatCount(required)} of ${formatCount(usable)} ${unit}${short}`;
}
