import type { Command } from 'commander';
import { CliError } from './cli-error.js';
import { dumpDatabase, restoreDatabase } from './database.js';

/**
 * `dump` and `restore`, on the database the service is configured with: commands of aks-ip and
 * the whole of aks-ip-db, which answer alike.
 */
export function addDatabaseCommands(cli: Command): void {
  cli
    .command('dump')
    .description('write the database (DATABASE_URL, else DATABASE_PATH) as JSON lines: a backup, or a move')
    .option('--out <file>', 'a new file (standard output by default)')
    .action(async (options: { out?: string }) => {
      await asOneLine(() => dumpDatabase(process.env, options.out));
    });

  cli
    .command('restore')
    .description('restore a dump into an empty database (DATABASE_URL, else DATABASE_PATH), all or nothing')
    .argument('<file>', 'the dump (- for standard input)')
    .action(async (file: string) => {
      await asOneLine(() => restoreDatabase(process.env, file));
    });
}

/** Any failure of `work` as the one line the CLI prints (a database's or a file's refusal). */
async function asOneLine(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    throw error instanceof CliError ? error : new CliError((error as Error).message);
  }
}
