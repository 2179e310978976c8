#!/usr/bin/env node
/**
 * aks-ip-db: dump a database as JSON lines, or restore a dump into an empty database, of either
 * backend (the same as `aks-ip dump` and `aks-ip restore`). Moving from SQLite to PostgreSQL is a
 * dump of one and a restore into the other. A dump may run beside the service (it reads one
 * snapshot); a restore goes into a new database before the service starts on it.
 *
 *   aks-ip-db dump [--out FILE]       (standard output by default)
 *   aks-ip-db restore FILE            (- for standard input)
 */
import { parseArgs } from 'node:util';
import { dumpDatabase, restoreDatabase } from './cli/database.js';
import { StartupError } from './startup-error.js';

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { out: { type: 'string' } },
  });
  const [command, file] = positionals;
  if (command === 'dump') return dumpDatabase(env, values.out);
  if (command === 'restore' && file !== undefined) return restoreDatabase(env, file);
  throw new StartupError(
    'usage: aks-ip-db dump [--out FILE] | aks-ip-db restore FILE (- for standard input)',
  );
}

main(process.argv.slice(2), process.env).catch((error: Error) => {
  process.stderr.write(`aks-ip-db: ${error.message}\n`);
  process.exit(1);
});
