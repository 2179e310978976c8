import type { StoredRangeKind } from '../domain/design/range-kind.js';
import { Cidr } from '../domain/ip/index.js';
import type { HeldRange } from '../domain/space/conflicts.js';

export interface HeldPlanRow {
  id: string;
  name: string;
  exclusive: number;
  kind: StoredRangeKind;
  cidr: string;
  subnet_name: string | null;
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
    })),
    ...allocations.map((a) => ({
      holder: { type: 'allocation' as const, id: a.id, name: a.name },
      kind: 'allocation' as const,
      cidr: Cidr.parse(a.cidr),
      planId: a.plan_id,
    })),
  ];
}

/** A WHERE clause of conditions joined by AND; nothing without conditions. */
export const whereAll = (conditions: readonly string[]) =>
  conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
