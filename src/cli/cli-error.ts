/**
 * What aks-ip's exit status says, so that a pipeline tells a failed gate from a broken input:
 * 1 the capacity gate failed; 2 the command's own input is wrong (a design, a file, an option);
 * 3 something elsewhere failed (the server, the database, kubectl) or nothing expected it.
 */
export const EXIT = { gate: 1, input: 2, failure: 3 } as const;

/** A refusal the CLI prints as one line, exiting with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
