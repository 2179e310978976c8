/**
 * Dumps and restores of either backend (DATABASE_URL for PostgreSQL, else DATABASE_PATH for
 * SQLite, as the service reads them): what `aks-ip dump`, `aks-ip restore` and `aks-ip-db` run.
 */
import { createReadStream, createWriteStream, existsSync, openSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { loadConfig } from '../config.js';
import { StartupError } from '../startup-error.js';
import { DumpError, type DumpRecord, type DumpTable } from '../store/dump-format.js';
import { readDump, writeDump } from '../store/dump-io.js';
import { PgConnection } from '../store/postgres/connection.js';
import { dumpPostgres, restorePostgres } from '../store/postgres/postgres-dump.js';
import { openSqliteDatabase } from '../store/sqlite/open-sqlite.js';
import { dumpSqlite, restoreSqlite } from '../store/sqlite/sqlite-dump.js';
import { CliError, EXIT } from './cli-error.js';
import { openInput } from './input.js';

interface Backend {
  dump(): AsyncIterable<DumpRecord> | Iterable<DumpRecord>;
  restore(records: AsyncIterable<DumpRecord>): Promise<Record<DumpTable, number>>;
  close(): Promise<void>;
  /** Removes, once closed, a database file that opening it created: a failed restore leaves none. */
  discardCreated(): void;
}

async function openBackend(env: NodeJS.ProcessEnv, existing: boolean): Promise<Backend> {
  const config = loadConfig(env);
  if (config.postgres === undefined) {
    // A dump of a path mistyped would create an empty database and "succeed" with nothing in it.
    if (existing && config.databasePath !== ':memory:' && !existsSync(config.databasePath))
      throw new StartupError(`no database at ${config.databasePath}: check DATABASE_PATH`);
    const path = config.databasePath;
    const created = path !== ':memory:' && !existsSync(path);
    const { db } = openSqliteDatabase(path);
    return {
      dump: () => dumpSqlite(db),
      restore: (records) => restoreSqlite(db, records),
      close: async () => void db.close(),
      discardCreated: () => {
        if (created) for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
      },
    };
  }
  const connection = new PgConnection({ ...config.postgres, retryMs: 60_000 });
  if (!(await connection.start())) {
    await connection.close();
    throw new StartupError('DATABASE_URL cannot be reached: check the host, port and network');
  }
  return {
    dump: () => dumpPostgres(connection.pool),
    restore: (records) => restorePostgres(connection.pool, records),
    close: () => connection.close(),
    discardCreated: () => {},
  };
}

/** A new file for the dump: an existing one is never overwritten (the command's input: exit 2). */
function newFile(path: string): number {
  try {
    return openSync(path, 'wx');
  } catch (error) {
    throw new CliError(
      `${path} cannot be created (${(error as NodeJS.ErrnoException).code}): give a new file name`,
      EXIT.input,
    );
  }
}

/** Writes a dump of the configured database to `outPath` (a new file) or standard output. */
export async function dumpDatabase(env: NodeJS.ProcessEnv, outPath: string | undefined): Promise<void> {
  const backend = await openBackend(env, true);
  try {
    if (outPath === undefined) {
      const rows = await writeDump(backend.dump(), process.stdout, false);
      process.stderr.write(`dumped ${rows} rows\n`);
      return;
    }
    const rows = await dumpToFile(backend.dump(), outPath);
    process.stderr.write(`dumped ${rows} rows\n`);
  } finally {
    await backend.close();
  }
}

/**
 * Writes a dump to a new file. One that fails (a full disk, the database gone) is removed: no
 * file is left that a restore could take for a backup.
 */
export async function dumpToFile(
  records: AsyncIterable<DumpRecord> | Iterable<DumpRecord>,
  outPath: string,
): Promise<number> {
  const out = createWriteStream('', { fd: newFile(outPath) });
  return writeDump(records, out).catch((error: unknown) => {
    rmSync(outPath, { force: true });
    throw error;
  });
}

/** Restores the dump in `file` (- for standard input) into the configured, empty database. */
export async function restoreDatabase(env: NodeJS.ProcessEnv, file: string): Promise<void> {
  // The dump is opened first: a wrong name leaves no new, empty database behind.
  const input =
    file === '-'
      ? process.stdin
      : createReadStream('', { fd: openInput(file, (code) => `${file} cannot be read (${code})`) });
  const backend = await openBackend(env, false).catch((error: unknown) => {
    if (input !== process.stdin) input.destroy();
    throw error;
  });
  try {
    // Listening starts now: lines read while the restore opens its transaction are kept, not lost.
    const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })[Symbol.asyncIterator]();
    const counts = await backend.restore(readDump({ [Symbol.asyncIterator]: () => lines })).catch((error) => {
      // A dump that is no dump is the command's input, named as a file: exit 2, not the database's 3.
      throw error instanceof DumpError ? new CliError(`${file}: ${error.message}`, EXIT.input) : error;
    });
    const summary = Object.entries(counts)
      .map(([table, n]) => `${table} ${n}`)
      .join(', ');
    process.stderr.write(`restored: ${summary}\n`);
  } catch (error) {
    // The restore wrote nothing (one transaction): a database file it created goes with it.
    await backend.close();
    backend.discardCreated();
    throw error;
  }
  await backend.close();
}
