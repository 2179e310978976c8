import type { Database } from 'better-sqlite3';
import { afterSeq, decodeCursor, firstPage } from '../cursor.js';
import type { ListQuery } from '../page.js';
import type { LabelTable } from './label-table.js';

/** A table listed in creation order (its `seq` column), filtered by exact name and labels. */
export interface SeqTable {
  readonly table: 'plans' | 'spaces';
  /** The columns to select, seq and id included. */
  readonly columns: string;
  readonly labels: LabelTable;
  /** Whether a team sees rows lacking its label keys (shared spaces) or not (plans). */
  readonly sharedWhenUnlabelled: boolean;
}

/** One page of rows after the cursor's sequence number, and the cursor of the next page. */
export function pageBySeq<Row extends { seq: number; id: string }>(
  db: Database,
  { table, columns, labels, sharedWhenUnlabelled }: SeqTable,
  { limit, cursor, name, labels: selectors = [], team = {} }: ListQuery,
): { rows: Row[]; nextCursor: string | null } {
  const after = cursor === undefined ? 0 : decodeCursor(cursor, afterSeq).after;
  const labelled = labels.conditions('t.id', selectors);
  const teamed = labels.teamConditions('t.id', team, sharedWhenUnlabelled);
  const where = ['t.seq > ?', ...(name === undefined ? [] : ['t.name = ?']), ...labelled.sql, ...teamed.sql];
  const params = [
    after,
    ...(name === undefined ? [] : [name]),
    ...labelled.params,
    ...teamed.params,
    limit + 1,
  ];
  const found = db
    .prepare(`SELECT ${columns} FROM ${table} t WHERE ${where.join(' AND ')} ORDER BY t.seq LIMIT ?`)
    .all(...params) as Row[];
  return firstPage(found, limit, (last) => ({ after: last.seq }));
}
