import type { Pool, PoolClient } from 'pg';
import { Cidr } from '../../domain/ip/index.js';
import {
  boundValue,
  columnsOf,
  DUMP_TABLE_NAMES,
  type DumpRecord,
  type DumpTable,
  dumpOrder,
  normalisedRow,
  RESTORE_NEEDS_EMPTY,
} from '../dump-format.js';
import { upgradedRecords } from '../dump-upgrades.js';
import { PgFreeBlocks } from './free-blocks.js';
import { checkout, Sql } from './sql.js';

const BATCH = 1000;

/**
 * A plan's ranges are written with their position from 1 (WITH ORDINALITY), or as restored: the
 * dump numbers them per plan from 0, in that order, as SQLite's does, so that both stores dump
 * the same records.
 */
const SOURCE: Partial<Record<DumpTable, string>> = {
  plan_ranges: `(SELECT ${columnsOf('plan_ranges')
    .filter((c) => c !== 'position')
    .join(', ')}, row_number() OVER (PARTITION BY plan_id ORDER BY position) - 1 AS position
     FROM plan_ranges) AS plan_ranges`,
};

/** Every row of every dumped table, in one snapshot, read through a cursor 1,000 at a time. */
export async function* dumpPostgres(pool: Pool): AsyncGenerator<DumpRecord> {
  const { client, release } = await checkout(pool);
  let done = false;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    for (const table of DUMP_TABLE_NAMES) {
      await client.query(
        `DECLARE dump NO SCROLL CURSOR FOR SELECT ${columnsOf(table).join(', ')} FROM ${SOURCE[table] ?? table}
         ORDER BY ${dumpOrder(table, ' COLLATE "C"')}`,
      );
      for (;;) {
        const { rows } = await client.query<Record<string, unknown>>(`FETCH ${BATCH} FROM dump`);
        for (const raw of rows) yield { table, row: normalisedRow(table, raw, false) };
        if (rows.length < BATCH) break;
      }
      await client.query('CLOSE dump');
    }
    await client.query('COMMIT');
    done = true;
  } finally {
    // A reader that stops early leaves the snapshot open: it is closed before the connection goes back.
    if (!done) await client.query('ROLLBACK').catch(() => undefined);
    release();
  }
}

/**
 * Restores a dump into an empty database in one transaction: all of it, or nothing. Sequences
 * continue after the restored numbers; free blocks are rebuilt from spaces and allocations.
 */
export async function restorePostgres(
  pool: Pool,
  records: AsyncIterable<DumpRecord>,
): Promise<Record<DumpTable, number>> {
  const { client, release } = await checkout(pool);
  try {
    await client.query('BEGIN');
    await assertEmpty(client);
    const counts = Object.fromEntries(DUMP_TABLE_NAMES.map((t) => [t, 0])) as Record<DumpTable, number>;
    for await (const { table, row } of upgradedRecords(records)) {
      const columns = columnsOf(table);
      await client.query(
        `INSERT INTO ${table} (${columns.join(', ')}) OVERRIDING SYSTEM VALUE
         VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
        columns.map((c) => boundValue(table, c, row[c] ?? null)),
      );
      counts[table]++;
    }
    for (const table of ['plans', 'audit_entries', 'pod_addresses'])
      await client.query(
        `SELECT setval(pg_get_serial_sequence('${table}', 'seq'), coalesce(max(seq), 0) + 1, false) FROM ${table}`,
      );
    // A dump taken before ranges carried their pod subnet's mode: read from the plans' specs.
    await client.query(
      `UPDATE plan_ranges r SET pod_ip_allocation = coalesce(p.spec -> 'network' ->> 'podIpAllocation', 'dynamic')
       FROM plans p WHERE p.id = r.plan_id AND r.kind = 'pod-subnet' AND r.pod_ip_allocation IS NULL`,
    );
    await rebuildFreeBlocks(new Sql(client));
    await client.query('COMMIT');
    return counts;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    release();
  }
}

async function rebuildFreeBlocks(sql: Sql): Promise<void> {
  const freeBlocks = new PgFreeBlocks();
  for (const { id } of await sql.rows<{ id: string }>('SELECT id FROM spaces')) {
    const cidrsOf = async (query: string) =>
      (await sql.rows<{ cidr: string }>(query, [id])).map((r) => Cidr.parse(r.cidr));
    await freeBlocks.rebuild(
      sql,
      id,
      await cidrsOf('SELECT cidr FROM space_cidrs WHERE space_id = $1 ORDER BY position'),
      await cidrsOf('SELECT cidr FROM allocations WHERE space_id = $1'),
    );
  }
}

async function assertEmpty(client: PoolClient): Promise<void> {
  for (const table of RESTORE_NEEDS_EMPTY) {
    if ((await client.query(`SELECT 1 FROM ${table} LIMIT 1`)).rowCount)
      throw new Error(`the database is not empty (${table} has rows): restore into a new database`);
  }
}
