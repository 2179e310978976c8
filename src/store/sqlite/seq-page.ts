import type { Database } from 'better-sqlite3';
import { firstPage } from '../cursor.js';
import type { ListQuery } from '../page.js';
import { type SeqTable, seqPageQuery } from '../seq-page-query.js';
import { Params } from '../sql-params.js';

/** One page of rows after the cursor's sequence number, and the cursor of the next page. */
export function pageBySeq<Row extends { seq: number; id: string }>(
  db: Database,
  table: SeqTable,
  query: ListQuery,
): { rows: Row[]; nextCursor: string | null } {
  const params = new Params('?');
  const found = db.prepare(seqPageQuery(table, query, params)).all(...params.values) as Row[];
  return firstPage(found, query.limit, (last) => ({ after: last.seq }), table.table);
}
