import type { StoredRangeKind } from '../domain/design/range-kind.js';
import type { PodIpAllocation } from '../domain/design/spec.js';
import { Cidr } from '../domain/ip/index.js';
import type { Labels } from '../domain/labels.js';
import type { HeldRange } from '../domain/space/conflicts.js';
import { yieldToEventLoop } from '../event-loop.js';
import { teamConditions } from './label-conditions.js';
import type { Params } from './sql-params.js';

/**
 * The plan ranges conflicts are swept over: not a node subnet in the VNet AKS creates for its
 * cluster, which no other plan's range or space's block can be in.
 */
export const IN_SHARED_VNETS = 'r.aks_created_vnet = 0';

export interface HeldPlanRow {
  id: string;
  name: string;
  exclusive: number;
  kind: StoredRangeKind;
  cidr: string;
  subnet_name: string | null;
  pod_ip_allocation: PodIpAllocation | null;
  subnet_demand: number | null;
}

export interface HeldAllocationRow {
  id: string;
  name: string;
  cidr: string;
  plan_id: string | null;
}

/** Held ranges from the rows both stores read: plan ranges, then allocations. */
export function heldRangesOf(
  plans: readonly HeldPlanRow[],
  allocations: readonly HeldAllocationRow[],
): HeldRange[] {
  return [
    ...plans.map((r) => ({
      holder: { type: 'plan' as const, id: r.id, name: r.name },
      kind: r.kind,
      cidr: Cidr.parse(r.cidr),
      exclusive: r.exclusive === 1,
      ...(r.subnet_name === null ? {} : { subnetName: r.subnet_name }),
      ...(r.pod_ip_allocation === null ? {} : { podIpAllocation: r.pod_ip_allocation }),
      ...(r.subnet_demand === null ? {} : { subnetDemand: Number(r.subnet_demand) }),
    })),
    ...allocations.map((a) => ({
      holder: { type: 'allocation' as const, id: a.id, name: a.name },
      kind: 'allocation' as const,
      cidr: Cidr.parse(a.cidr),
      planId: a.plan_id,
    })),
  ];
}

/** Held-range rows read or parsed in one step: a few tens of milliseconds on a slow machine. */
export const HELD_ROWS_PER_STEP = 5_000;

/**
 * `heldRangesOf` a few thousand rows at a time, the event loop let in between: parsing 141,000
 * CIDRs at once held it for a third of a second.
 */
export async function heldRangesInSteps(
  plans: readonly HeldPlanRow[],
  allocations: readonly HeldAllocationRow[],
  rowsPerStep = HELD_ROWS_PER_STEP,
): Promise<HeldRange[]> {
  const held: HeldRange[] = [];
  for (let start = 0; start < plans.length; start += rowsPerStep) {
    for (const range of heldRangesOf(plans.slice(start, start + rowsPerStep), [])) held.push(range);
    await yieldToEventLoop();
  }
  for (let start = 0; start < allocations.length; start += rowsPerStep) {
    for (const range of heldRangesOf([], allocations.slice(start, start + rowsPerStep))) held.push(range);
    await yieldToEventLoop();
  }
  return held;
}

/** A WHERE clause of conditions joined by AND; nothing without conditions. */
export const whereAll = (conditions: readonly string[]) =>
  conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;

/**
 * The SQL naming an allocation (alias a, in space s) as a team sees it: "space: purpose" where
 * the block is the team's (a plan's block when the plan is the team's; a block taken directly
 * when it is in the team's space or the team took it), else the range's space only, as the
 * allocation lists show another team's block (README, Access). `takenBy` is the backend's
 * condition that a directly taken block's owner labels hold the key and value.
 */
export function allocationNameSql(
  team: Labels,
  params: Params,
  takenBy: (key: string, value: string) => string,
): string {
  const named = `s.name || ': ' || a.purpose`;
  const entries = Object.entries(team);
  if (entries.length === 0) return named;
  const all = (conditions: readonly string[]) => conditions.join(' AND ');
  // Placeholders are added in the order they stand in the SQL: SQLite's ? are positional.
  const plan = teamConditions({ table: 'plan_labels', owner: 'plan_id' }, 'a.plan_id', team, false, params);
  const space = teamConditions({ table: 'space_labels', owner: 'space_id' }, 's.id', team, false, params);
  const taken = entries.map(([key, value]) => takenBy(key, value));
  return `CASE WHEN (a.plan_id IS NOT NULL AND ${all(plan)}) OR (a.plan_id IS NULL AND ((${all(space)}) OR (${all(taken)})))
    THEN ${named} ELSE s.name || ': another team''s block' END`;
}
