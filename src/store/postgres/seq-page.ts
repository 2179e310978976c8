import { afterSeq, decodeCursor, firstPage } from '../cursor.js';
import type { ListQuery } from '../page.js';
import type { PgLabels } from './labels.js';
import { Params, type Sql } from './sql.js';

/** A table listed in creation order (its `seq` column), filtered by exact name and labels. */
export interface SeqTable {
  readonly table: 'plans' | 'spaces';
  /** The columns to select, seq and id included. */
  readonly columns: string;
  readonly labels: PgLabels;
  /** Whether a team sees rows lacking its label keys (shared spaces) or not (plans). */
  readonly sharedWhenUnlabelled: boolean;
}

/** One page of rows after the cursor's sequence number, and the cursor of the next page. */
export async function pageBySeq<Row extends { seq: number | string; id: string }>(
  sql: Sql,
  { table, columns, labels, sharedWhenUnlabelled }: SeqTable,
  { limit, cursor, name, labels: selectors = [], team = {} }: ListQuery,
): Promise<{ rows: Row[]; nextCursor: string | null }> {
  const params = new Params();
  const after = cursor === undefined ? 0 : decodeCursor(cursor, afterSeq).after;
  const where = [
    `t.seq > ${params.add(after)}`,
    ...(name === undefined ? [] : [`t.name = ${params.add(name)}`]),
    ...labels.conditions('t.id', selectors, params),
    ...labels.teamConditions('t.id', team, sharedWhenUnlabelled, params),
  ];
  const found = await sql.rows<Row>(
    `SELECT ${columns} FROM ${table} t WHERE ${where.join(' AND ')} ORDER BY t.seq LIMIT ${params.add(limit + 1)}`,
    params.values,
  );
  return firstPage(found, limit, (last) => ({ after: Number(last.seq) }));
}
