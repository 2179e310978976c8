import { yieldToEventLoop } from '../event-loop.js';

/**
 * Long work in slices: `due()` says when a slice has run its time, `pause()` lets the event
 * loop run (probes, other requests) and starts the next. No request holds the loop for long.
 */
export class TimeSlices {
  constructor(
    private readonly sliceMs = 10,
    /** When the turn the work runs in began, where the caller knows it better than now. */
    private started = performance.now(),
  ) {}

  due(): boolean {
    return performance.now() - this.started >= this.sliceMs;
  }

  async pause(): Promise<void> {
    await yieldToEventLoop();
    this.started = performance.now();
  }

  /** Pauses when the slice is over. */
  async maybePause(): Promise<void> {
    if (this.due()) await this.pause();
  }
}

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
