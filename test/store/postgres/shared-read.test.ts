import { describe, expect, it } from 'vitest';
import { SharedRead } from '../../../src/store/postgres/shared-read.js';

/** A read whose answers the test releases one by one, counting how many were started. */
function controlled() {
  const pending: ((value: number) => void)[] = [];
  let started = 0;
  const read = new SharedRead(
    () =>
      new Promise<number>((resolve) => {
        started++;
        pending.push(resolve);
      }),
  );
  return { read, started: () => started, answer: (value: number) => pending.shift()?.(value) };
}

describe('SharedRead: one query in flight, shared by the callers that arrive while it runs', () => {
  it('answers callers arriving during a query from the next one, sent after it', async () => {
    const { read, started, answer } = controlled();
    const first = read.get();
    const during = [read.get(), read.get(), read.get()];
    expect(started()).toBe(1);
    answer(1);
    expect(await first).toBe(1);
    await Promise.resolve();
    expect(started()).toBe(2); // the three waiting callers share one query
    answer(2);
    expect(await Promise.all(during)).toEqual([2, 2, 2]);
  });

  it('starts afresh once nothing is in flight, and a failure does not stick', async () => {
    let calls = 0;
    const read = new SharedRead(async () => {
      calls++;
      if (calls === 1) throw new Error('database away');
      return calls;
    });
    await expect(read.get()).rejects.toThrow('database away');
    expect(await read.get()).toBe(2);
    expect(await read.get()).toBe(3);
  });
});
