import type { Database } from 'better-sqlite3';
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
import { FreeBlockRows } from './free-block-rows.js';

/** SQLite keeps the order of a plan's ranges as their rowid: the dump numbers them per plan. */
const SOURCE: Partial<Record<DumpTable, string>> = {
  plan_ranges:
    '(SELECT *, row_number() OVER (PARTITION BY plan_id ORDER BY rowid) - 1 AS position FROM plan_ranges)',
};

/** Every row of every dumped table, read in one snapshot. */
export function* dumpSqlite(db: Database): Generator<DumpRecord> {
  db.exec('BEGIN');
  try {
    for (const table of DUMP_TABLE_NAMES) {
      const select = db.prepare(
        `SELECT ${columnsOf(table).join(', ')} FROM ${SOURCE[table] ?? table} ORDER BY ${dumpOrder(table)}`,
      );
      for (const raw of select.iterate() as Iterable<Record<string, unknown>>)
        yield { table, row: normalisedRow(table, raw, true) };
    }
  } finally {
    db.exec('COMMIT');
  }
}

/**
 * Restores a dump into an empty database in one transaction: all of it, or nothing. Free blocks
 * are rebuilt from the spaces and their allocations. Answers how many rows each table got.
 */
export async function restoreSqlite(
  db: Database,
  records: AsyncIterable<DumpRecord>,
): Promise<Record<DumpTable, number>> {
  db.exec('BEGIN IMMEDIATE');
  try {
    assertEmpty(db);
    const counts = Object.fromEntries(DUMP_TABLE_NAMES.map((t) => [t, 0])) as Record<DumpTable, number>;
    const inserts = new Map(DUMP_TABLE_NAMES.map((t) => [t, insertStatement(db, t)]));
    for await (const { table, row } of upgradedRecords(records)) {
      const { statement, columns } = inserts.get(table) as ReturnType<typeof insertStatement>;
      statement.run(...columns.map((c) => boundValue(table, c, row[c] ?? null)));
      counts[table]++;
    }
    // A dump taken before ranges carried their pod subnet's mode: read from the plans' specs.
    db.exec(`UPDATE plan_ranges SET pod_ip_allocation = coalesce(
        (SELECT json_extract(p.spec, '$.network.podIpAllocation') FROM plans p WHERE p.id = plan_ranges.plan_id),
        'dynamic')
      WHERE kind = 'pod-subnet' AND pod_ip_allocation IS NULL`);
    new FreeBlockRows(db).buildMissing();
    db.exec('COMMIT');
    return counts;
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}

function insertStatement(db: Database, table: DumpTable) {
  // SQLite orders ranges by rowid: inserted in the dump's order, they keep it.
  const columns = columnsOf(table).filter((c) => !(table === 'plan_ranges' && c === 'position'));
  const statement = db.prepare(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
  );
  return { statement, columns };
}

function assertEmpty(db: Database): void {
  for (const table of RESTORE_NEEDS_EMPTY) {
    if (db.prepare(`SELECT 1 FROM ${table} LIMIT 1`).get() !== undefined)
      throw new Error(`the database is not empty (${table} has rows): restore into a new database`);
  }
}
