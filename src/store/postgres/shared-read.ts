/**
 * A cheap read that many callers want at once, each needing an answer read after it asked
 * (a lookup must see every write acknowledged before it began). One query is in flight at a
 * time: callers arriving while it runs share the next one, so a burst of lookups costs two
 * queries, not one each.
 */
export class SharedRead<T> {
  private running: Promise<T> | undefined;
  private next: Promise<T> | undefined;

  constructor(private readonly read: () => Promise<T>) {}

  get(): Promise<T> {
    if (this.running === undefined) return this.start();
    // The running query may have been sent before this caller asked: wait for the next one.
    this.next ??= this.running.then(
      () => this.start(),
      () => this.start(),
    );
    return this.next;
  }

  private start(): Promise<T> {
    this.next = undefined;
    const running = this.read().finally(() => {
      if (this.running === running) this.running = undefined;
    });
    this.running = running;
    return running;
  }
}
