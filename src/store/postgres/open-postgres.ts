import type { StoreClock } from '../page.js';
import { SYSTEM_CLOCK } from '../system-clock.js';
import { PgConnection, type PostgresOptions } from './connection.js';
import { PostgresStore } from './postgres-store.js';

/**
 * Opens the PostgreSQL store: connects and migrates, or, when the database cannot be reached
 * yet, answers a store that is not ready and keeps trying (replicas may start before it).
 */
export async function openPostgresStore(
  options: PostgresOptions,
  clock: StoreClock = SYSTEM_CLOCK,
): Promise<{ store: PostgresStore; connected: boolean }> {
  const connection = new PgConnection(options);
  try {
    const connected = await connection.start();
    return { store: new PostgresStore(connection, clock), connected };
  } catch (error) {
    await connection.close();
    throw error;
  }
}
