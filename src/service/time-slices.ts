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
