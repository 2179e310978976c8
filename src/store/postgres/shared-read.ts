/**
 * A cheap read that many callers want at once, each needing an answer read after a time of
 * its own (a lookup must see every write acknowledged before its request arrived). A read
 * started at or after that time serves: the last one, the one in flight, or else the next, of
 * which one is in flight at a time. A burst of lookups costs two queries, not one each, and a
 * request that reads twice (its token, then its plans) pays one query.
 */
export class SharedRead<T> {
  private last: { readonly startedAt: number; readonly value: T } | undefined;
  private running: { readonly startedAt: number; readonly value: Promise<T> } | undefined;
  private next: Promise<T> | undefined;

  constructor(
    private readonly read: () => Promise<T>,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * A value read by a query started at or after `startedAfter` (by default, now; a time of 0,
   * a request's time never set, counts as now rather than as "any").
   */
  get(startedAfter: number = this.now()): Promise<T> {
    if (startedAfter <= 0) return this.get(this.now());
    if (this.last !== undefined && this.last.startedAt >= startedAfter)
      return Promise.resolve(this.last.value);
    if (this.running === undefined) return this.start();
    if (this.running.startedAt >= startedAfter) return this.running.value;
    // The running query was sent before that time: wait for the next one.
    this.next ??= this.running.value.then(
      () => this.start(),
      () => this.start(),
    );
    return this.next;
  }

  private start(): Promise<T> {
    this.next = undefined;
    const startedAt = this.now();
    const value = this.read();
    const running = { startedAt, value };
    this.running = running;
    value.then(
      (read) => {
        if (this.last === undefined || this.last.startedAt < startedAt)
          this.last = { startedAt, value: read };
      },
      () => undefined,
    );
    void value
      .finally(() => {
        if (this.running === running) this.running = undefined;
      })
      .catch(() => undefined);
    return value;
  }
}
