import type { Labels } from '../../domain/labels.js';
import {
  allocationNameSql,
  type HeldAllocationRow,
  type HeldPlanRow,
  IN_SHARED_VNETS,
  whereAll,
} from '../held-range-rows.js';
import { Params } from '../sql-params.js';
import { PgLabels } from './labels.js';
import type { Sql } from './sql.js';

/**
 * Every range a stored plan uses and every allocation, for conflict checks; with `team`, the
 * team's plans and the allocations of the spaces it sees.
 */
export async function heldRangeRows(
  sql: Sql,
  team: Labels = {},
): Promise<{ plans: HeldPlanRow[]; allocations: HeldAllocationRow[] }> {
  const planParams = new Params('$');
  const planTeam = new PgLabels('plan_labels', 'plan_id').teamConditions('p.id', team, false, planParams);
  const plans = await sql.rows<HeldPlanRow>(
    `SELECT p.id, p.name, r.exclusive, r.kind, r.cidr, r.subnet_name, r.pod_ip_allocation, r.subnet_demand
     FROM plan_ranges r JOIN plans p ON p.id = r.plan_id ${whereAll([IN_SHARED_VNETS, ...planTeam])}
     ORDER BY p.seq, r.position`,
    planParams.values,
  );
  const spaceParams = new Params('$');
  const name = allocationNameSql(
    team,
    spaceParams,
    (key, value) => `a.owner_labels ->> ${spaceParams.add(key)} = ${spaceParams.add(value)}`,
  );
  const spaceTeam = new PgLabels('space_labels', 'space_id').teamConditions('s.id', team, true, spaceParams);
  const allocations = await sql.rows<HeldAllocationRow>(
    `SELECT a.id, ${name} AS name, a.cidr, a.plan_id
     FROM allocations a JOIN spaces s ON s.id = a.space_id ${whereAll(spaceTeam)} ORDER BY s.seq, a.family, a.first_key`,
    spaceParams.values,
  );
  return { plans, allocations };
}
