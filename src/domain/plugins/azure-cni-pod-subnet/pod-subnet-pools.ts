import type { ResolvedPlan, ResolvedPool } from '../../design/resolved-plan.js';
import type { Cidr } from '../../ip/index.js';

/** A pod subnet and the pools that take pod IPs from it, in spec order. */
export interface PodSubnetGroup {
  readonly cidr: Cidr;
  readonly pools: readonly ResolvedPool[];
}

/** Each pool's pod subnet is its own, else the cluster's; pools sharing one follow each other. */
export function podSubnetGroups(plan: ResolvedPlan): PodSubnetGroup[] {
  const groups: { cidr: Cidr; pools: ResolvedPool[] }[] = [];
  for (const pool of plan.pools) {
    const cidr = pool.podSubnet;
    if (cidr === undefined) throw new Error(`pool ${pool.spec.name} has no pod subnet`);
    const group = groups.find((g) => g.cidr.equals(cidr));
    if (group === undefined) groups.push({ cidr, pools: [pool] });
    else group.pools.push(pool);
  }
  return groups;
}
