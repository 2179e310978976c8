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
 * Conditions that hold when the resource carries each of the team's labels, or (`orAbsent`)
 * carries none of its keys with another value: what a team sees of plans, and of spaces.
 */
export function teamConditions(
  labels: LabelTableName,
  idColumn: string,
  team: Labels,
  orAbsent: boolean,
  params: Params,
): string[] {
  const entries = Object.entries(team);
  if (!orAbsent)
    return selectorConditions(
      labels,
      idColumn,
      entries.map(([key, value]) => ({ key, value })),
      params,
    );
  return entries.map(
    ([key, value]) =>
      `NOT EXISTS (SELECT 1 FROM ${labels.table} l WHERE l.${labels.owner} = ${idColumn} AND l.key = ${params.add(key)} AND l.value <> ${params.add(value)})`,
  );
}
