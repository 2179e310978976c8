#!/usr/bin/env node
/**
 * aks-ip-db: dump a database as JSON lines, or restore a dump into an empty database, of either
 * backend: aks-ip's `dump` and `restore`, the same code, for an image or a host without the rest.
 * Moving from SQLite to PostgreSQL is a dump of one and a restore into the other. A dump may run
 * beside the service (it reads one snapshot); a restore goes into a new database before the
 * service starts on it.
 */
import { addDatabaseCommands } from './cli/database-commands.js';
import { newProgram, runCli } from './cli/run.js';

const cli = newProgram(
  'aks-ip-db',
  'Back up and restore the planner database (DATABASE_URL, else DATABASE_PATH)',
);
addDatabaseCommands(cli);
runCli(cli, process.argv);
