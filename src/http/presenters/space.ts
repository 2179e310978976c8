import type { FamilyUse, StoredAllocation, StoredSpace } from '../../service/space-service.js';
import { jsonCount } from './count.js';

export function presentSpace(space: StoredSpace) {
  return {
    id: space.id,
    name: space.name,
    revision: space.revision,
    labels: space.labels,
    description: space.description,
    cidrs: space.cidrs.map(String),
    createdAt: space.createdAt,
  };
}

export function presentAllocation(a: StoredAllocation) {
  return {
    id: a.id,
    spaceId: a.spaceId,
    cidr: a.cidr.toString(),
    purpose: a.purpose,
    planId: a.planId,
    createdAt: a.createdAt,
  };
}

export function presentUse(use: FamilyUse) {
  const ratio =
    use.total === 0n ? 0 : Number((use.allocated * 1000n * 2n + use.total) / (use.total * 2n)) / 1000;
  return {
    family: use.family === 4 ? ('ipv4' as const) : ('ipv6' as const),
    total: jsonCount(use.total),
    allocated: jsonCount(use.allocated),
    free: jsonCount(use.free),
    utilization: ratio,
  };
}
