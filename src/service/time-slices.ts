import type { KubectlListReader } from '../domain/kubectl-list.js';
import { TimeSlices } from '../event-loop.js';

// Defined beside the event loop's pauses, so that the stores slice by the clock too.
export { TimeSlices };

/**
 * `each` of every item in order, the event loop let in whenever a slice has run its time: a page
 * of 200 plans of 100 pools each takes seconds to lay out and present. Pass the slices of the
 * work around it, when there is some in the same turn, so that their time adds up.
 */
export async function mapInSlices<T, U>(
  items: readonly T[],
  each: (item: T) => U,
  slices: TimeSlices = new TimeSlices(),
): Promise<U[]> {
  const done: U[] = [];
  for (const item of items) {
    done.push(each(item));
    await slices.maybePause();
  }
  return done;
}

/**
 * A kubectl list read `perCheck` items at a time, the event loop let in whenever a slice has run
 * its time (100,000 pods, or 5,000 nodes, take tens of ms to a second to check); answers what the
 * list gave, or throws its refusal.
 */
export async function readInSlices<T>(
  reader: KubectlListReader<T>,
  perCheck: number,
  slices: TimeSlices,
): Promise<T> {
  while (!reader.done) {
    reader.read(perCheck);
    await slices.maybePause();
  }
  return reader.finish();
}
