import { StoreSlowError } from '../store-unavailable.js';

/**
 * Units of work that wait for one database lock, run one at a time in this replica. A lock that
 * another replica holds (or a stalled transaction, until PostgreSQL ends it) then ties up one
 * pooled connection instead of one per waiting request: with twelve allocations into one locked
 * space, a pool of ten was all waiting, and every other request (other spaces, reads, probes)
 * answered 503 for want of a connection. The waiting requests wait here, in memory, each until
 * the one before it has ended, and no longer than `waitMs`: past it, a unit is refused as the
 * database being slow and never starts (a waiter on the lock itself would have had a statement
 * timeout; without this, the n-th waiter answered after n of them, its client long gone).
 */
export class LockQueue {
  /** The last unit of work queued for each lock, while any is queued or running; never rejects. */
  private readonly tails = new Map<string, Promise<void>>();

  constructor(private readonly waitMs = Number.POSITIVE_INFINITY) {}

  run<T>(lock: string, work: () => Promise<T>): Promise<T> {
    const before = this.tails.get(lock) ?? Promise.resolve();
    let settle: { resolve: (value: T) => void; reject: (error: unknown) => void } | undefined;
    const result = new Promise<T>((resolve, reject) => {
      settle = { resolve, reject };
    });
    let expired = false;
    const timer = Number.isFinite(this.waitMs)
      ? setTimeout(() => {
          expired = true;
          settle?.reject(new StoreSlowError(`waited ${this.waitMs} ms for ${lock}`));
        }, this.waitMs)
      : undefined;
    const turn = before.then(async () => {
      clearTimeout(timer);
      if (expired) return;
      try {
        settle?.resolve(await work());
      } catch (error) {
        settle?.reject(error);
      }
    });
    this.tails.set(lock, turn);
    void turn.then(() => {
      if (this.tails.get(lock) === turn) this.tails.delete(lock);
    });
    return result;
  }

  /** Locks with work queued or running: none once everything has ended. */
  get size(): number {
    return this.tails.size;
  }
}
