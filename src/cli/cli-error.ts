/** A refusal the CLI prints as one line, exiting with `exitCode` (1 by default, 2 for a bad design). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
