import { Command, CommanderError } from 'commander';
import { visibleText } from '../domain/visible-text.js';
import { VERSION } from '../http/version.js';
import { CliError, EXIT } from './cli-error.js';

/** A program of this package: --version, one-line errors, and exit status 2 for a wrong flag. */
export function newProgram(name: string, description: string): Command {
  return (
    new Command(name)
      .description(description)
      .version(VERSION ?? 'unknown', '-V, --version', 'print the version')
      .showHelpAfterError('(add --help for usage)')
      .configureOutput({ outputError: (text, out) => out(text) })
      // A wrong flag or argument is a wrong input (exit 2), not a failed gate.
      .exitOverride()
  );
}

/**
 * Runs a command line of aks-ip or aks-ip-db: errors are one line on standard error, prefixed
 * with the command's name, and the exit status says which kind (EXIT).
 */
export function runCli(cli: Command, argv: readonly string[]): void {
  const name = cli.name();
  // A reader that stops early (aks-ip map plan.yaml | head) is not an error; any other failure to
  // write (a full disk) is said in one line, exit 3, not as a stack trace read as a failed gate.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    process.stderr.write(`${name}: standard output failed: ${visibleText(error.message)}\n`);
    process.exit(EXIT.failure);
  });
  cli.parseAsync([...argv]).catch((error: unknown) => {
    if (error instanceof CommanderError) {
      // Help and version exit 0; commander has printed its one-line error for the rest.
      process.exitCode = error.exitCode === 0 ? 0 : EXIT.input;
      return;
    }
    const known = error instanceof CliError;
    const message = known ? error.message : `unexpected error: ${(error as Error).message}`;
    process.stderr.write(`${name}: ${visibleText(message)}\n`);
    if (!known && process.env.AKS_IP_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    process.exitCode = known ? error.exitCode : EXIT.failure;
  });
}
