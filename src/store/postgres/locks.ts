import type { Sql } from './sql.js';

/**
 * Transaction-scoped advisory locks that serialise what must not interleave across replicas.
 * Every transaction takes them in this order (plan writes, then spaces by id), so no two can
 * wait for each other.
 */
const PLAN_WRITES = 7_305_421_109; // also taken by the schema's note_plan_change()
const SPACE_WRITES = 7_305_421_110;
const TOKEN_WRITES = 7_305_421_111;

/**
 * Plan writes one at a time: a name check, the kubenet subnet check and the change log's order
 * then hold across replicas (the unique constraint on names stays the last word).
 */
export async function lockPlanWrites(sql: Sql): Promise<void> {
  await sql.run('SELECT pg_advisory_xact_lock($1)', [PLAN_WRITES]);
}

/** The replica's name for the plan writes' lock, for the units of work that wait for it (LockQueue). */
export const PLAN_WRITES_WAIT = 'plan-writes';

/** A space's row lock, as units of work that wait for it name it (LockQueue). */
export const spaceWait = (spaceIdOrName: string) => `space ${spaceIdOrName}`;

/** Space creations and renames one at a time: names and creation order stay unique. */
export async function lockSpaceWrites(sql: Sql): Promise<void> {
  await sql.run('SELECT pg_advisory_xact_lock($1)', [SPACE_WRITES]);
}

/** Token writes one at a time: the first-admin check and creation order hold across replicas. */
export async function lockTokenWrites(sql: Sql): Promise<void> {
  await sql.run('SELECT pg_advisory_xact_lock($1)', [TOKEN_WRITES]);
}
