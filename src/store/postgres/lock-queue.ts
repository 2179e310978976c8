/**
 * Units of work that wait for one database lock, run one at a time in this replica. A lock that
 * another replica holds (or a stalled transaction, until PostgreSQL ends it) then ties up one
 * pooled connection instead of one per waiting request: with twelve allocations into one locked
 * space, a pool of ten was all waiting, and every other request (other spaces, reads, probes)
 * answered 503 for want of a connection. The waiting requests wait here, in memory, each until
 * the one before it has ended.
 */
export class LockQueue {
  /** The last unit of work queued for each lock, while any is queued or running. */
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(lock: string, work: () => Promise<T>): Promise<T> {
    const before = this.tails.get(lock) ?? Promise.resolve();
    const result = before.then(work);
    const tail = result.then(
      () => {},
      () => {},
    );
    this.tails.set(lock, tail);
    void tail.then(() => {
      if (this.tails.get(lock) === tail) this.tails.delete(lock);
    });
    return result;
  }

  /** Locks with work queued or running: none once everything has ended. */
  get size(): number {
    return this.tails.size;
  }
}
