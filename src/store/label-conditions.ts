import type { LabelSelector, Labels } from '../domain/labels.js';
import type { Params } from './sql-params.js';

/** Where a kind of resource keeps its labels. */
export interface LabelTableName {
  readonly table: 'plan_labels' | 'space_labels';
  readonly owner: 'plan_id' | 'space_id';
}

/** `EXISTS` conditions on `idColumn` (such as t.id) that hold when every selector does. */
export function selectorConditions(
  { table, owner }: LabelTableName,
  idColumn: string,
  selectors: readonly LabelSelector[],
  params: Params,
): string[] {
  return selectors.map((s) => {
    // Placeholders are taken in the order they stand in the SQL: SQLite's ? are positional.
    const key = params.add(s.key);
    const value = s.value === undefined ? '' : ` AND l.value = ${params.add(s.value)}`;
    return `EXISTS (SELECT 1 FROM ${table} l WHERE l.${owner} = ${idColumn} AND l.key = ${key}${value})`;
  });
}

/**
 * Conditions that hold when the resource carries every one of the team's labels, or
 * (`orAbsent`) none of their keys: what a team sees of plans, and of spaces (its own, and the
 * shared ones). As `Team.seesPlan` and `Team.seesSpace`.
 */
export function teamConditions(
  labels: LabelTableName,
  idColumn: string,
  team: Labels,
  orAbsent: boolean,
  params: Params,
): string[] {
  const entries = Object.entries(team);
  const own = selectorConditions(
    labels,
    idColumn,
    entries.map(([key, value]) => ({ key, value })),
    params,
  );
  if (!orAbsent || entries.length === 0) return own;
  // Placeholders in the order they stand: the own conditions' first, then the keys'.
  const keys = entries.map(([key]) => params.add(key)).join(', ');
  const shared = `NOT EXISTS (SELECT 1 FROM ${labels.table} l WHERE l.${labels.owner} = ${idColumn} AND l.key IN (${keys}))`;
  return [`((${own.join(' AND ')}) OR ${shared})`];
}
