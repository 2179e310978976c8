#!/usr/bin/env node
/**
 * aks-ip-db: dump a database as JSON lines, or restore a dump into an empty database, of either
 * backend (the same as `aks-ip dump` and `aks-ip restore`). Moving from SQLite to PostgreSQL is a
 * dump of one and a restore into the other. A dump may run beside the service (it reads one
 * snapshot); a restore goes into a new database before the service starts on it.
 *
 *   aks-ip-db dump [--out FILE]       (standard output by default)
 *   aks-ip-db restore FILE            (- for standard input)
 *
 * Exit status as aks-ip's: 0 done, 2 a wrong command line, 3 anything else failed.
 */
import { parseArgs } from 'node:util';
import { dumpDatabase, restoreDatabase } from './cli/database.js';

const USAGE = 'usage: aks-ip-db dump [--out FILE] | aks-ip-db restore FILE (- for standard input)';

/** A command line that names no command this tool has. */
class UsageError extends Error {}

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { positionals, values } = readArgs(argv);
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const [command, file] = positionals;
  if (command === 'dump' && file === undefined) return dumpDatabase(env, values.out);
  if (command === 'restore' && file !== undefined && values.out === undefined)
    return restoreDatabase(env, file);
  throw new UsageError(USAGE);
}

function readArgs(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; ${USAGE}`);
  }
}

main(process.argv.slice(2), process.env).catch((error: Error) => {
  process.stderr.write(`aks-ip-db: ${error.message}\n`);
  process.exit(error instanceof UsageError ? 2 : 3);
});
