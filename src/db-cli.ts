#!/usr/bin/env node
/**
 * aks-ip-db: dump a database as JSON lines, or restore a dump into an empty database, of either
 * backend (DATABASE_URL for PostgreSQL, else DATABASE_PATH for SQLite, as the service reads
 * them). Moving from SQLite to PostgreSQL is a dump of one and a restore into the other. Stop
 * the service (or take the dump from a replica's snapshot-consistent read, which it is) first
 * for a restore; a dump may run beside the service.
 *
 *   aks-ip-db dump [--out FILE]       (standard output by default)
 *   aks-ip-db restore FILE            (- for standard input)
 */
import { createReadStream, createWriteStream, openSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { loadConfig } from './config.js';
import { StartupError } from './startup-error.js';
import type { DumpRecord, DumpTable } from './store/dump-format.js';
import { readDump, writeDump } from './store/dump-io.js';
import { PgConnection } from './store/postgres/connection.js';
import { dumpPostgres, restorePostgres } from './store/postgres/postgres-dump.js';
import { openSqliteDatabase } from './store/sqlite/open-sqlite.js';
import { dumpSqlite, restoreSqlite } from './store/sqlite/sqlite-dump.js';

interface Backend {
  dump(): AsyncIterable<DumpRecord> | Iterable<DumpRecord>;
  restore(records: AsyncIterable<DumpRecord>): Promise<Record<DumpTable, number>>;
  close(): Promise<void>;
}

async function openBackend(env: NodeJS.ProcessEnv): Promise<Backend> {
  const config = loadConfig(env);
  if (config.postgres === undefined) {
    const { db } = openSqliteDatabase(config.databasePath);
    return {
      dump: () => dumpSqlite(db),
      restore: (records) => restoreSqlite(db, records),
      close: async () => void db.close(),
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
  };
}

/** A new file for the dump: an existing one is never overwritten. */
function newFile(path: string): number {
  try {
    return openSync(path, 'wx');
  } catch (error) {
    throw new StartupError(
      `${path} cannot be created (${(error as NodeJS.ErrnoException).code}): give a new file name`,
    );
  }
}

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { out: { type: 'string' } },
  });
  const [command, file] = positionals;
  if (command !== 'dump' && command !== 'restore') {
    throw new StartupError(
      'usage: aks-ip-db dump [--out FILE] | aks-ip-db restore FILE (- for standard input)',
    );
  }
  if (command === 'restore' && file === undefined) throw new StartupError('usage: aks-ip-db restore FILE');
  const backend = await openBackend(env);
  try {
    if (command === 'dump') {
      const out =
        values.out === undefined ? process.stdout : createWriteStream('', { fd: newFile(values.out) });
      const rows = await writeDump(backend.dump(), out);
      if (out !== process.stdout) await new Promise<void>((resolve) => out.end(() => resolve()));
      process.stderr.write(`dumped ${rows} rows\n`);
      return;
    }
    const input = file === '-' ? process.stdin : createReadStream(file as string);
    // Listening starts now: lines read while the restore opens its transaction are kept, not lost.
    const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })[Symbol.asyncIterator]();
    const counts = await backend.restore(readDump({ [Symbol.asyncIterator]: () => lines }));
    const summary = Object.entries(counts)
      .map(([table, n]) => `${table} ${n}`)
      .join(', ');
    process.stderr.write(`restored: ${summary}\n`);
  } finally {
    await backend.close();
  }
}

main(process.argv.slice(2), process.env).catch((error: Error) => {
  process.stderr.write(`aks-ip-db: ${error.message}\n`);
  process.exit(1);
});
