import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Runs `work` and counts the event-loop turns other work got meanwhile: how a test sees that
 * long work pauses, without timing it.
 */
export async function turnsDuring(work: () => Promise<unknown>): Promise<number> {
  let done = false;
  let turns = 0;
  const counting = (async () => {
    while (!done) {
      turns++;
      await nextTurn();
    }
  })();
  try {
    await work();
  } finally {
    done = true;
    await counting;
  }
  return turns;
}
