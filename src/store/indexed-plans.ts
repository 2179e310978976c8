import type { RangeKind } from '../domain/design/range-kind.js';
import { Cidr } from '../domain/ip/index.js';
import type { Labels } from '../domain/labels.js';
import type { IndexedPlan } from './plan-store.js';

export interface IndexPlanRow {
  id: string;
  name: string;
  revision: number;
}
export interface IndexRangeRow {
  plan_id: string;
  kind: RangeKind;
  cidr: string;
}
export interface IndexLabelRow {
  plan_id: string;
  key: string;
  value: string;
}

/** The lookup index's plans from the rows of plans, their ranges, labels and recorded nodes. */
export function assembleIndexedPlans(
  plans: readonly IndexPlanRow[],
  ranges: readonly IndexRangeRow[],
  labels: readonly IndexLabelRow[],
  withNodes: ReadonlySet<string>,
): IndexedPlan[] {
  // Plans share ranges (every default service CIDR is 10.0.0.0/16): one immutable Cidr for each text.
  const parsed = new Map<string, Cidr>();
  const cidrOf = (text: string) => {
    let cidr = parsed.get(text);
    if (cidr === undefined) {
      cidr = Cidr.parse(text);
      parsed.set(text, cidr);
    }
    return cidr;
  };
  const rangesOf = groupBy(ranges, (r) => ({ kind: r.kind, cidr: cidrOf(r.cidr) }));
  const labelsOf = groupBy(labels, (l) => [l.key, l.value] as const);
  return plans.map((p) => ({
    id: p.id,
    name: p.name,
    revision: p.revision,
    labels: Object.fromEntries(labelsOf.get(p.id) ?? []) as Labels,
    hasNodes: withNodes.has(p.id),
    ranges: rangesOf.get(p.id) ?? [],
  }));
}

function groupBy<R extends { plan_id: string }, V>(
  rows: readonly R[],
  value: (row: R) => V,
): Map<string, V[]> {
  const groups = new Map<string, V[]>();
  for (const row of rows) {
    const group = groups.get(row.plan_id);
    if (group === undefined) groups.set(row.plan_id, [value(row)]);
    else group.push(value(row));
  }
  return groups;
}
