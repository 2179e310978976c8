/**
 * The database cannot serve right now (unreachable, restarting, over its statement timeout).
 * Stores throw it instead of their driver's errors; the HTTP layer answers 503 with Retry-After,
 * and the same request may succeed once the database is back.
 */
export class StoreUnavailableError extends Error {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`the database is unavailable: ${reason}`, options);
    this.name = 'StoreUnavailableError';
  }
}
