import { firstPage } from '../cursor.js';
import type { ListQuery } from '../page.js';
import { type SeqTable, seqPageQuery } from '../seq-page-query.js';
import { Params } from '../sql-params.js';
import type { Sql } from './sql.js';

/** One page of rows after the cursor's sequence number, and the cursor of the next page. */
export async function pageBySeq<Row extends { seq: number | string; id: string }>(
  sql: Sql,
  table: SeqTable,
  query: ListQuery,
): Promise<{ rows: Row[]; nextCursor: string | null }> {
  const params = new Params('$');
  const found = await sql.rows<Row>(seqPageQuery(table, query, params), params.values);
  return firstPage(found, query.limit, (last) => ({ after: Number(last.seq) }), table.table);
}
