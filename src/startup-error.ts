/**
 * Why the service cannot start, in one line that names the variable or file at fault and what
 * to do. The entry point prints it without a stack trace and exits with status 1.
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}
