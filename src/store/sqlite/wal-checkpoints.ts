/**
 * Pages of write-ahead log past which the store's own connection checkpoints after a commit:
 * only should the writer's thread fail to, so that the log stays bounded (about 40 MB).
 */
export const BACKSTOP_PAGES = 10_000;

/** How long after a commit on the store's connection the writer's thread checkpoints. */
export const CHECKPOINT_DELAY_MS = 500;

/**
 * Checkpoints of the write-ahead log, made on another thread. SQLite checkpoints on the
 * connection whose commit takes the log past 1,000 pages (wal_autocheckpoint): for the store's
 * own connection that is on the event loop, and copying 4 MB into the database file and syncing
 * it held a commit's turn for 30-40 ms more, every few pod imports of 50,000 pods. The store's
 * connection checkpoints past BACKSTOP_PAGES only; after its commits, `checkpoint` (on the
 * writer's thread) runs once, `delayMs` after the first, however many came.
 */
export class WalCheckpoints {
  private pending: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly checkpoint: () => Promise<unknown>,
    private readonly delayMs = CHECKPOINT_DELAY_MS,
  ) {}

  /** A commit on the store's connection: a checkpoint follows within `delayMs`. */
  noteCommit(): void {
    if (this.pending !== undefined || this.closed) return;
    this.pending = setTimeout(() => this.run(), this.delayMs);
    // A checkpoint to come does not keep a process alive: the last connection to close makes one.
    this.pending.unref();
  }

  /** No checkpoint after this; one already asked for goes on. */
  close(): void {
    this.closed = true;
    clearTimeout(this.pending);
    this.pending = undefined;
  }

  private run(): void {
    this.pending = undefined;
    // A checkpoint that fails (another connection's runs, the thread ended) leaves the log to
    // the next one, or to the backstop: nothing a request waits for.
    this.checkpoint().catch(() => {});
  }
}
