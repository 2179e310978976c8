import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

/**
 * Long work in slices: `due()` says when a slice has run its time, `pause()` lets the event
 * loop run (probes, other requests) and starts the next. No request holds the loop for long.
 */
export class TimeSlices {
  private started = performance.now();

  constructor(private readonly sliceMs = 10) {}

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
 * of 200 plans of 100 pools each takes seconds to lay out and present.
 */
export async function mapInSlices<T, U>(
  items: readonly T[],
  each: (item: T) => U,
  sliceMs?: number,
): Promise<U[]> {
  const slices = new TimeSlices(sliceMs);
  const done: U[] = [];
  for (const item of items) {
    done.push(each(item));
    await slices.maybePause();
  }
  return done;
}
