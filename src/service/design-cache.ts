import { loadDesign, type PlannedDesign } from '../domain/plan/planner.js';
import type { PlanRef, StoredPlan } from '../store/plan-store.js';

/**
 * Laid-out designs of stored plans by id and revision, so that repeated lookups against
 * the same plans do not parse and lay them out again. Least recently used entries go first.
 */
export class DesignCache {
  private readonly entries = new Map<string, PlannedDesign>();

  constructor(private readonly capacity = 512) {}

  /** The cached design of this plan revision, if any. */
  cached(plan: PlanRef): PlannedDesign | undefined {
    const key = keyOf(plan);
    const cached = this.entries.get(key);
    if (cached !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, cached);
    }
    return cached;
  }

  design(plan: StoredPlan): PlannedDesign {
    const cached = this.cached(plan);
    if (cached !== undefined) return cached;
    const key = keyOf(plan);
    const design = loadDesign(plan.spec, plan.defaultsApplied);
    this.entries.set(key, design);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return design;
  }
}

function keyOf(plan: PlanRef): string {
  return `${plan.id}@${plan.revision}`;
}
