import type { PlanStore } from './plan-store.js';
import type { SpaceStore } from './space-store.js';

/** Everything the service keeps: plans, and the address spaces they may draw from. */
export interface Store extends PlanStore {
  readonly spaces: SpaceStore;
}
