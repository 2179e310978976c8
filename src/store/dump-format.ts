/**
 * The dump: every stored fact as JSON lines, the same for both backends, so that a dump of one
 * restores into the other. The first line names the format; each other line is one row of one
 * table, JSON columns as JSON values. What can be derived (free blocks, change logs, migration
 * records) is not dumped: a restore rebuilds it.
 */

import { asPlanSpec } from '../domain/design/spec-guard.js';

type ColumnType = 'text' | 'int' | 'json';

/** The tables, in the order a restore inserts them (what a row references comes first). */
export const DUMP_TABLES = {
  plans: {
    seq: 'int',
    id: 'text',
    name: 'text',
    revision: 'int',
    created_at: 'text',
    updated_at: 'text',
    spec: 'json',
    defaults_applied: 'json',
  },
  plan_ranges: {
    plan_id: 'text',
    kind: 'text',
    family: 'int',
    prefix_length: 'int',
    cidr: 'text',
    first_key: 'text',
    last_key: 'text',
    exclusive: 'int',
    subnet_name: 'text',
    pod_ip_allocation: 'text',
    aks_created_vnet: 'int',
    subnet_demand: 'int',
    position: 'int',
  },
  plan_labels: { plan_id: 'text', key: 'text', value: 'text' },
  plan_nodes: {
    plan_id: 'text',
    name: 'text',
    pool: 'text',
    node_ip: 'text',
    pod_cidr: 'text',
    ipv6_pod_cidr: 'text',
    recorded_at: 'text',
  },
  node_imports: { plan_id: 'text', observed_at: 'text' },
  pod_imports: { plan_id: 'text', observed_at: 'text' },
  pod_addresses: {
    seq: 'int',
    plan_id: 'text',
    ip: 'text',
    namespace: 'text',
    pod: 'text',
    owner_kind: 'text',
    owner_name: 'text',
    node: 'text',
    host_network: 'int',
    from_at: 'text',
    to_at: 'text',
  },
  plan_revisions: {
    plan_id: 'text',
    revision: 'int',
    name: 'text',
    at: 'text',
    actor_kind: 'text',
    actor_id: 'text',
    actor_name: 'text',
    spec: 'json',
    defaults_applied: 'json',
    labels: 'json',
  },
  spaces: { id: 'text', name: 'text', description: 'text', created_at: 'text', revision: 'int', seq: 'int' },
  space_cidrs: { space_id: 'text', position: 'int', family: 'int', cidr: 'text' },
  space_labels: { space_id: 'text', key: 'text', value: 'text' },
  allocations: {
    id: 'text',
    space_id: 'text',
    family: 'int',
    cidr: 'text',
    first_key: 'text',
    last_key: 'text',
    purpose: 'text',
    plan_id: 'text',
    created_at: 'text',
    owner_labels: 'json',
  },
  idempotency_keys: {
    space_id: 'text',
    actor_id: 'text',
    key: 'text',
    fingerprint: 'text',
    allocation_id: 'text',
    created_at: 'text',
    response: 'json',
  },
  tokens: {
    id: 'text',
    seq: 'int',
    name: 'text',
    scopes: 'json',
    labels: 'json',
    secret_hash: 'text',
    created_at: 'text',
    expires_at: 'text',
    revoked_at: 'text',
  },
  audit_entries: {
    seq: 'int',
    at: 'text',
    actor_kind: 'text',
    actor_id: 'text',
    actor_name: 'text',
    action: 'text',
    target_type: 'text',
    target_id: 'text',
    target_name: 'text',
    revision_before: 'int',
    revision_after: 'int',
    request_id: 'text',
  },
} as const satisfies Record<string, Record<string, ColumnType>>;

export type DumpTable = keyof typeof DUMP_TABLES;
export const DUMP_TABLE_NAMES = Object.keys(DUMP_TABLES) as DumpTable[];

/**
 * The columns each table's rows are read in order of (the order a restore gives them back in);
 * text compares byte by byte in both backends, so a dump of either is the same file.
 */
export const DUMP_ORDER: Record<DumpTable, readonly string[]> = {
  plans: ['seq'],
  plan_ranges: ['plan_id', 'position'],
  plan_labels: ['plan_id', 'key'],
  plan_nodes: ['plan_id', 'name'],
  node_imports: ['plan_id'],
  pod_imports: ['plan_id'],
  pod_addresses: ['seq'],
  plan_revisions: ['plan_id', 'revision'],
  spaces: ['seq'],
  space_cidrs: ['space_id', 'position'],
  space_labels: ['space_id', 'key'],
  allocations: ['space_id', 'family', 'first_key'],
  idempotency_keys: ['space_id', 'actor_id', 'key'],
  tokens: ['seq'],
  audit_entries: ['seq'],
};

/** The ORDER BY of a table's dump; `textOrder` marks text columns (PostgreSQL: COLLATE "C"). */
export function dumpOrder(table: DumpTable, textOrder = ''): string {
  const types = DUMP_TABLES[table] as Record<string, ColumnType>;
  return DUMP_ORDER[table].map((c) => (types[c] === 'text' ? `${c}${textOrder}` : c)).join(', ');
}

/** Tables a restore must find empty: the rest hang off them. */
export const RESTORE_NEEDS_EMPTY: readonly DumpTable[] = [
  'plans',
  'spaces',
  'tokens',
  'audit_entries',
  'plan_revisions',
];

export interface DumpRecord {
  readonly table: DumpTable;
  readonly row: Readonly<Record<string, unknown>>;
}

/**
 * The first line. Version 2 dumps end with an end line (`DumpEnd`): a dump cut short (a full
 * disk, a copy stopped half way) is refused instead of restoring part of a database. Version 1
 * dumps, which have none, still restore.
 */
export const DUMP_HEADER = { format: 'aks-ip-planner-dump', version: 2 } as const;
const VERSIONS_READ: readonly number[] = [1, 2];

/** The last line of a version 2 dump: how many rows came before it. */
export interface DumpEnd {
  readonly end: typeof DUMP_HEADER.format;
  readonly rows: number;
}

/** A dump file that cannot be restored: the line and what is wrong with it. */
export class DumpError extends Error {
  constructor(line: number, reason: string) {
    super(`line ${line}: ${reason}`);
    this.name = 'DumpError';
  }
}

/** The columns of a table, in order. */
export function columnsOf(table: DumpTable): string[] {
  return Object.keys(DUMP_TABLES[table]);
}

/** A row as read from either backend, normalised: integers as numbers, JSON parsed. */
export function normalisedRow(table: DumpTable, raw: Record<string, unknown>, jsonIsText: boolean) {
  const row: Record<string, unknown> = {};
  for (const [column, type] of Object.entries(DUMP_TABLES[table]) as [string, ColumnType][]) {
    const value = raw[column] ?? null;
    if (value === null) row[column] = null;
    else if (type === 'int') row[column] = Number(value);
    else if (type === 'json' && jsonIsText) row[column] = JSON.parse(String(value));
    else row[column] = value;
  }
  return row;
}

/** The value to bind for a column: JSON columns as their text. */
export function boundValue(table: DumpTable, column: string, value: unknown): unknown {
  const type = (DUMP_TABLES[table] as Record<string, ColumnType>)[column];
  return type === 'json' && value !== null ? JSON.stringify(value) : value;
}

/**
 * Reads one line of a dump: the first must be the header (its version is answered), any other
 * a row or the end line. Throws DumpError naming the line.
 */
export function parseDumpLine(text: string, line: number, first: boolean): DumpRecord | DumpEnd | number {
  let value: unknown;
  try {
    // A dump saved by an editor may start with a byte order mark.
    value = JSON.parse(first ? text.replace(/^\uFEFF/, '') : text);
  } catch {
    throw new DumpError(line, 'not JSON');
  }
  if (first) {
    const header = value as Record<string, unknown> | null;
    const version = header?.version;
    if (
      header?.format !== DUMP_HEADER.format ||
      typeof version !== 'number' ||
      !VERSIONS_READ.includes(version)
    )
      throw new DumpError(line, `not a dump of this service (expected ${JSON.stringify(DUMP_HEADER)})`);
    return version;
  }
  if (typeof value === 'object' && value !== null && Object.hasOwn(value, 'end')) return endLine(value, line);
  const record = value as { table?: unknown; row?: unknown } | null;
  const table = record?.table;
  if (typeof table !== 'string' || !Object.hasOwn(DUMP_TABLES, table))
    throw new DumpError(line, `"table" must be one of ${DUMP_TABLE_NAMES.join(', ')}`);
  const row = record?.row;
  if (typeof row !== 'object' || row === null || Array.isArray(row))
    throw new DumpError(line, '"row" must be an object');
  const types = DUMP_TABLES[table as DumpTable] as Record<string, ColumnType>;
  for (const column of Object.keys(row)) {
    if (!Object.hasOwn(types, column)) throw new DumpError(line, `${table} has no column "${column}"`);
  }
  for (const [column, type] of Object.entries(types)) {
    const cell = (row as Record<string, unknown>)[column] ?? null;
    const fits =
      cell === null ||
      type === 'json' ||
      (type === 'int' ? Number.isSafeInteger(cell) : typeof cell === 'string');
    if (!fits)
      throw new DumpError(line, `${table}.${column} must be ${type === 'int' ? 'an integer' : 'text'}`);
  }
  checkSpec(table as DumpTable, row as Record<string, unknown>, line);
  return { table: table as DumpTable, row: row as Record<string, unknown> };
}

function endLine(value: object, line: number): DumpEnd {
  const { end, rows } = value as Record<string, unknown>;
  const keys = Object.keys(value);
  const exact = keys.length === 2 && keys.includes('rows');
  if (!exact || end !== DUMP_HEADER.format || !Number.isSafeInteger(rows) || (rows as number) < 0)
    throw new DumpError(line, `an end line is {"end":"${DUMP_HEADER.format}","rows":<the rows before it>}`);
  return { end, rows: rows as number };
}

export function dumpLine(record: DumpRecord | typeof DUMP_HEADER | DumpEnd): string {
  return `${JSON.stringify(record)}\n`;
}

/**
 * A plan's spec (and each revision's) is read back through the stored-spec guard on every read:
 * one the guard refuses would restore, then answer every list of plans with a 500. Refused here,
 * naming its line, so that the restore writes nothing.
 */
function checkSpec(table: DumpTable, row: Record<string, unknown>, line: number): void {
  if ((table !== 'plans' && table !== 'plan_revisions') || row.spec == null) return;
  try {
    asPlanSpec(row.spec);
  } catch (error) {
    throw new DumpError(line, `${table}.spec: ${(error as Error).message}`);
  }
}
