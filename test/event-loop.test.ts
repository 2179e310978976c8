import { stat } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inALaterTurn, mapInSteps, yieldToEventLoop } from '../src/event-loop.js';

/** Runs `work` from an I/O callback: where a request's body is parsed and its work starts. */
function fromIoCallback(work: (order: string[]) => Promise<void>): Promise<string[]> {
  const order: string[] = [];
  return new Promise((resolve, reject) => {
    stat('.', () => {
      work(order).then(() => resolve(order), reject);
    });
  });
}

/** Work that has run long enough for a timer set before it to be due. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('yielding to the event loop', () => {
  it('lets a due timer run before work started by I/O goes on', async () => {
    const order = await fromIoCallback(async (order) => {
      setTimeout(() => order.push('timer'), 0);
      busy(3);
      await yieldToEventLoop();
      order.push('resumed');
    });
    expect(order).toEqual(['timer', 'resumed']);
  });

  it('does the same for a step handed on by callback', async () => {
    const order = await fromIoCallback(
      (order) =>
        new Promise((resolve) => {
          setTimeout(() => order.push('timer'), 0);
          busy(3);
          inALaterTurn(() => {
            order.push('step');
            resolve();
          });
        }),
    );
    expect(order).toEqual(['timer', 'step']);
  });

  it('maps items in order, a step at a time, letting timers run between steps only', async () => {
    const order = await fromIoCallback(async (order) => {
      setTimeout(() => order.push('timer'), 0);
      busy(3);
      const mapped = await mapInSteps([1, 2, 3, 4, 5], 2, (n) => {
        order.push(`item ${n}`);
        return n * 10;
      });
      order.push(mapped.join(','));
    });
    expect(order).toEqual(['item 1', 'item 2', 'timer', 'item 3', 'item 4', 'item 5', '10,20,30,40,50']);
  });
});
