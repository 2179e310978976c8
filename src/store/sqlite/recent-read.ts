/**
 * A cheap synchronous read that every request wants, each needing a value read after a time of
 * its own (a lookup or a token check must see every write acknowledged before its request
 * arrived): the last value serves while its read started at or after that time. Requests read
 * from their sockets in one pass of the event loop are handled after it, so a burst of them
 * pays one read, not one each. SQLite's counterpart of the PostgreSQL store's SharedRead.
 */
export class RecentRead<T> {
  private last: { readonly startedAt: number; readonly value: T } | undefined;

  constructor(
    private readonly read: () => T,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * A value read at or after `startedAfter` (by default, now; a time of 0, a request's time
   * never set, counts as now rather than as "any").
   */
  get(startedAfter?: number): T {
    const last = this.last;
    if (
      startedAfter !== undefined &&
      startedAfter > 0 &&
      last !== undefined &&
      last.startedAt >= startedAfter
    )
      return last.value;
    const startedAt = this.now();
    const value = this.read();
    this.last = { startedAt, value };
    return value;
  }
}
