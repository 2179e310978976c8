import type { AuditTarget } from './audit-store.js';
import type { StoredPlan } from './plan-store.js';
import type { StoredAllocation, StoredSpace } from './space-store.js';

export const planTarget = (plan: Pick<StoredPlan, 'id' | 'name'>): AuditTarget => ({
  type: 'plan',
  id: plan.id,
  name: plan.name,
});

export const spaceTarget = (space: Pick<StoredSpace, 'id' | 'name'>): AuditTarget => ({
  type: 'space',
  id: space.id,
  name: space.name,
});

/** An allocation is named by its block and its space. */
export const allocationTarget = (a: StoredAllocation): AuditTarget => ({
  type: 'allocation',
  id: a.id,
  name: `${a.cidr} in space ${a.spaceId}`,
});
