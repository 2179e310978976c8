import { afterSeq, decodeCursor } from './cursor.js';
import { type LabelTableName, selectorConditions, teamConditions } from './label-conditions.js';
import type { ListQuery } from './page.js';
import type { Params } from './sql-params.js';

/** A table listed in creation order (its `seq` column), filtered by exact name and labels. */
export interface SeqTable {
  readonly table: 'plans' | 'spaces';
  /** The columns to select, seq and id included. */
  readonly columns: string;
  readonly labels: LabelTableName;
  /** Whether a team sees rows lacking its label keys (shared spaces) or not (plans). */
  readonly sharedWhenUnlabelled: boolean;
}

/** The query of one page after the cursor's sequence number: `limit + 1` rows, to see if more follow. */
export function seqPageQuery(
  { table, columns, labels, sharedWhenUnlabelled }: SeqTable,
  { limit, cursor, name, labels: selectors = [], team = {} }: ListQuery,
  params: Params,
): string {
  const after = cursor === undefined ? 0 : decodeCursor(cursor, afterSeq, table).after;
  const where = [
    `t.seq > ${params.add(after)}`,
    ...(name === undefined ? [] : [`t.name = ${params.add(name)}`]),
    ...selectorConditions(labels, 't.id', selectors, params),
    ...teamConditions(labels, 't.id', team, sharedWhenUnlabelled, params),
  ];
  return `SELECT ${columns} FROM ${table} t WHERE ${where.join(' AND ')} ORDER BY t.seq LIMIT ${params.add(limit + 1)}`;
}
