import type { Database } from 'better-sqlite3';
import type { StoredRangeKind } from '../../domain/design/range-kind.js';
import { Cidr } from '../../domain/ip/index.js';
import type { Labels } from '../../domain/labels.js';
import type { HeldRange } from '../../domain/space/conflicts.js';
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
      `SELECT p.id, p.name, r.exclusive, r.kind, r.cidr
       FROM plan_ranges r JOIN plans p ON p.id = r.plan_id ${where(planTeam.sql)}`,
    )
    .all(...planTeam.params) as {
    id: string;
    name: string;
    exclusive: number;
    kind: StoredRangeKind;
    cidr: string;
  }[];
  const allocations = db
    .prepare(
      `SELECT a.id, s.name || ': ' || a.purpose AS name, a.cidr, a.plan_id
       FROM allocations a JOIN spaces s ON s.id = a.space_id ${where(spaceTeam.sql)}`,
    )
    .all(...spaceTeam.params) as { id: string; name: string; cidr: string; plan_id: string | null }[];
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
