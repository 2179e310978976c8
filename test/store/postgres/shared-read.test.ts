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

  it('serves a caller from a read started after its own time: one query for a token and its plans', async () => {
    let clock = 0;
    let started = 0;
    const pending: ((value: number) => void)[] = [];
    const read = new SharedRead(
      () =>
        new Promise<number>((resolve) => {
          started++;
          pending.push(resolve);
        }),
      () => clock,
    );
    const arrived = 10; // a request arrives at 10 ...
    clock = 11;
    const token = read.get(arrived); // ... reads its token's version at 11
    clock = 12;
    const plans = read.get(arrived); // and its plans' while that read runs: it serves both
    expect(started).toBe(1);
    pending.shift()?.(7);
    expect([await token, await plans]).toEqual([7, 7]);
    clock = 13;
    expect(await read.get(arrived)).toBe(7); // finished, still started after 10: no query
    expect(await read.get(11)).toBe(7);
    const later = read.get(12); // a request that arrived after the read started needs a new one
    expect(started).toBe(2);
    pending.shift()?.(8);
    expect(await later).toBe(8);
  });
});
