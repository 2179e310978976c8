import type { Pool } from 'pg';
import { type Migration, plan } from '../migration-files.js';
import { checkout } from './sql.js';

/** One advisory lock key for the service's migrations: replicas starting together take turns. */
const MIGRATION_LOCK = 7_305_421_108;

/**
 * Applies the migrations a PostgreSQL database has not recorded, in one transaction (DDL is
 * transactional in PostgreSQL), under a session advisory lock: replicas starting together
 * migrate once, the others wait and find nothing left to do. An edited file is refused
 * before anything runs, as with SQLite.
 */
export async function migratePostgres(pool: Pool, migrations: readonly Migration[]): Promise<string[]> {
  const { client, release } = await checkout(pool);
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           version text PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL, checksum text)`,
      );
      const { rows } = await client.query<{ version: string; checksum: string | null }>(
        'SELECT version, checksum FROM schema_migrations',
      );
      const { adopt, pending } = plan(migrations, new Map(rows.map((r) => [r.version, r.checksum])));
      await client.query('BEGIN');
      try {
        for (const m of adopt) {
          await client.query('UPDATE schema_migrations SET checksum = $1 WHERE version = $2', [
            m.checksum,
            m.version,
          ]);
        }
        for (const m of pending) {
          await client.query(m.sql);
          await client.query(
            'INSERT INTO schema_migrations (version, name, applied_at, checksum) VALUES ($1, $2, now(), $3)',
            [m.version, m.name, m.checksum],
          );
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
      return pending.map((m) => m.name);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    release();
  }
}
