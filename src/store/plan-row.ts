import { asPlanSpec, asStringList } from '../domain/design/spec-guard.js';
import type { Labels } from '../domain/labels.js';
import type { StoredPlan } from './plan-store.js';

/** A plans row as either backend reads it, its JSON columns already parsed. */
export interface PlanRecord {
  readonly id: string;
  readonly name: string;
  readonly revision: number;
  readonly created_at: string;
  readonly updated_at: string;
  readonly spec: unknown;
  readonly defaults_applied: unknown;
}

/** Counts of recorded nodes by plan and pool, from rows of (plan_id, pool, n). */
export function nodesPerPool(
  rows: readonly { plan_id: string; pool: string; n: number }[],
): Map<string, Map<string, number>> {
  const counts = new Map<string, Map<string, number>>();
  for (const { plan_id, pool, n } of rows) {
    const pools = counts.get(plan_id) ?? new Map<string, number>();
    pools.set(pool, n);
    counts.set(plan_id, pools);
  }
  return counts;
}

/** A row as a plan, its JSON checked: a damaged row fails here, not deep in a layout. */
export function toPlan(row: PlanRecord, labels: Labels): StoredPlan {
  return {
    id: row.id,
    name: row.name,
    revision: row.revision,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    spec: asPlanSpec(row.spec),
    defaultsApplied: asStringList(row.defaults_applied, 'defaultsApplied'),
    labels,
  };
}
