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

/**
 * Another writer has held the database's write lock for longer than the store waits for it (a
 * second process sharing a SQLite file, in the middle of a long write). Nothing was written; the
 * same request may succeed once that write is over.
 */
export class StoreBusyError extends StoreUnavailableError {
  constructor(options?: { cause?: unknown }) {
    super('busy with another writer', options);
    this.name = 'StoreBusyError';
  }
}

/**
 * The database did not answer in time: a statement over its timeout, no pooled connection free
 * within the connect timeout, or no answer on an open connection. It may be up, but slow or
 * held up; the same request may succeed later.
 */
export class StoreSlowError extends StoreUnavailableError {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`too slow: ${reason}`, options);
    this.name = 'StoreSlowError';
  }
}
