import type { Database } from 'better-sqlite3';
import type { Labels } from '../../domain/labels.js';
import type { HeldRange } from '../../domain/space/conflicts.js';
import {
  allocationNameSql,
  type HeldAllocationRow,
  type HeldPlanRow,
  heldRangesOf,
  whereAll,
} from '../held-range-rows.js';
import { Params } from '../sql-params.js';
import { LabelTable } from './label-table.js';

/**
 * Every range a stored plan uses and every allocation, for conflict checks; with `team`, the
 * team's plans and the allocations of the spaces it sees.
 */
export function heldRanges(db: Database, team: Labels = {}): HeldRange[] {
  const planTeam = new LabelTable(db, 'plan_labels', 'plan_id').teamConditions('p.id', team, false);
  const spaceTeam = new LabelTable(db, 'space_labels', 'space_id').teamConditions('s.id', team, true);
  const plans = db
    .prepare(
      `SELECT p.id, p.name, r.exclusive, r.kind, r.cidr, r.subnet_name, r.pod_ip_allocation
       FROM plan_ranges r JOIN plans p ON p.id = r.plan_id ${whereAll(planTeam.sql)} ORDER BY p.seq, r.rowid`,
    )
    .all(...planTeam.params) as HeldPlanRow[];
  const params = new Params('?');
  const name = allocationNameSql(
    team,
    params,
    (key, value) => `json_extract(a.owner_labels, ${params.add(`$."${key}"`)}) = ${params.add(value)}`,
  );
  const allocations = db
    .prepare(
      `SELECT a.id, ${name} AS name, a.cidr, a.plan_id
       FROM allocations a JOIN spaces s ON s.id = a.space_id ${whereAll(spaceTeam.sql)} ORDER BY s.seq, a.family, a.first_key`,
    )
    .all(...params.values, ...spaceTeam.params) as HeldAllocationRow[];
  return heldRangesOf(plans, allocations);
}
