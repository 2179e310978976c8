import Database from 'better-sqlite3';

/**
 * A connection to the database at `path`, configured as every connection of the service is:
 * the store's own, and the import writer's on its thread.
 */
export function openSqliteConnection(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  // Concurrent writers queue for the write lock instead of failing with SQLITE_BUSY.
  db.pragma('busy_timeout = 10000');
  return db;
}
