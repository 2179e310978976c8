/**
 * Stepwise work: a generator that yields between steps of bounded cost, so that a caller who
 * must not hold the event loop (a request) pauses between them, and one who may runs it at once.
 */

/** Runs stepwise work to its answer at once, for a caller with no one to let in. */
export function allSteps<T>(steps: Generator<unknown, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
