/**
 * Yielding to the event loop, so that long work lets probes and other requests in.
 *
 * One setImmediate is not a turn. Work started by an I/O callback (a request's body arriving)
 * that yields with setImmediate resumes in the same turn's check phase, before any timer fires
 * or any socket is read: its first two slices ran back to back, and the largest batch held the
 * loop for 30-55 ms where a slice is 10 ms (measured). An immediate queued while the check phase
 * runs waits for the next turn, so two in a row always let timers and I/O run in between. From
 * anywhere else the second one costs one more pass of the loop, microseconds.
 */
import { setImmediate as immediate } from 'node:timers/promises';

/** Resolves after the event loop has run timers and polled I/O at least once. */
export async function yieldToEventLoop(): Promise<void> {
  await immediate();
  await immediate();
}

/** Calls `step` after the event loop has run timers and polled I/O at least once. */
export function inALaterTurn(step: () => void): void {
  setImmediate(() => setImmediate(step));
}

/**
 * `each` of every item in order, `perStep` items at a time with the event loop let in between:
 * for work whose cost per item is known, where no clock is at hand (the stores).
 */
export async function mapInSteps<T, U>(
  items: readonly T[],
  perStep: number,
  each: (item: T) => U,
): Promise<U[]> {
  const done: U[] = [];
  for (let start = 0; start < items.length; start += perStep) {
    if (start > 0) await yieldToEventLoop();
    for (const item of items.slice(start, start + perStep)) done.push(each(item));
  }
  return done;
}

/**
 * Runs stepwise work (a generator yielding between steps) to its answer, with `pause` between
 * steps: a turn of the event loop by default, or a clock's pause when its slice has run out.
 */
export async function runInSteps<T>(
  steps: Generator<unknown, T>,
  pause: () => Promise<void> = yieldToEventLoop,
): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await pause();
  }
}

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
