import type { StoredRangeKind } from '../../domain/design/range-kind.js';
import { Cidr } from '../../domain/ip/index.js';
import type { Labels } from '../../domain/labels.js';
import type { HeldRange } from '../../domain/space/conflicts.js';
import { PgLabels } from './labels.js';
import { Params, type Sql } from './sql.js';

/**
 * Every range a stored plan uses and every allocation, for conflict checks; with `team`, the
 * team's plans and the allocations of the spaces it sees.
 */
export async function heldRanges(sql: Sql, team: Labels = {}): Promise<HeldRange[]> {
  const planParams = new Params();
  const planTeam = new PgLabels('plan_labels', 'plan_id').teamConditions('p.id', team, false, planParams);
  const plans = await sql.rows<{
    id: string;
    name: string;
    exclusive: number;
    kind: StoredRangeKind;
    cidr: string;
  }>(
    `SELECT p.id, p.name, r.exclusive, r.kind, r.cidr
     FROM plan_ranges r JOIN plans p ON p.id = r.plan_id ${where(planTeam)} ORDER BY p.seq, r.position`,
    planParams.values,
  );
  const spaceParams = new Params();
  const spaceTeam = new PgLabels('space_labels', 'space_id').teamConditions('s.id', team, true, spaceParams);
  const allocations = await sql.rows<{ id: string; name: string; cidr: string; plan_id: string | null }>(
    `SELECT a.id, s.name || ': ' || a.purpose AS name, a.cidr, a.plan_id
     FROM allocations a JOIN spaces s ON s.id = a.space_id ${where(spaceTeam)} ORDER BY s.seq, a.family, a.first_key`,
    spaceParams.values,
  );
  return [
    ...plans.map((r) => ({
      holder: { type: 'plan' as const, id: r.id, name: r.name },
      kind: r.kind,
      cidr: Cidr.parse(r.cidr),
      exclusive: r.exclusive === 1,
    })),
    ...allocations.map((a) => ({
      holder: { type: 'allocation' as const, id: a.id, name: a.name },
      kind: 'allocation' as const,
      cidr: Cidr.parse(a.cidr),
      planId: a.plan_id,
    })),
  ];
}

const where = (conditions: readonly string[]) =>
  conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
