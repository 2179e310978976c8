import { TimeSlices } from './time-slices.js';

/** Rows one retention statement deletes at most: a few milliseconds of the write lock. */
export const RETENTION_BATCH = 1_000;

/**
 * Calls `deleteSome(limit)` until it deletes fewer than `limit`, with the event loop let in
 * whenever a slice has run its time. The first run over a long history deletes millions of rows:
 * one statement would hold the loop (and SQLite's write lock) for seconds, and batches that
 * follow each other without a pause hold the loop just as long.
 */
export async function deleteInBatches(
  deleteSome: (limit: number) => Promise<number>,
  limit = RETENTION_BATCH,
  slices = new TimeSlices(),
): Promise<number> {
  let removed = 0;
  for (;;) {
    const deleted = await deleteSome(limit);
    removed += deleted;
    if (deleted < limit) return removed;
    await slices.maybePause();
  }
}
