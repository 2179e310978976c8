import { describe, expect, it } from 'vitest';
import { LockQueue } from '../../../src/store/postgres/lock-queue.js';
import { StoreSlowError } from '../../../src/store/store-unavailable.js';

/** A unit of work that runs until `finish` is called, noting when it starts. */
function held(name: string, started: string[]) {
  let finish: (fail?: boolean) => void = () => {};
  const work = () =>
    new Promise<string>((resolve, reject) => {
      started.push(name);
      finish = (fail) => (fail ? reject(new Error(name)) : resolve(name));
    });
  return { work, finish: (fail?: boolean) => finish(fail) };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('LockQueue', () => {
  it('runs the work for one lock one at a time, in order, even after a failure; other locks meanwhile', async () => {
    const queue = new LockQueue();
    const started: string[] = [];
    const a1 = held('a1', started);
    const a2 = held('a2', started);
    const a3 = held('a3', started);
    const b1 = held('b1', started);
    const runs = [
      queue.run('a', a1.work),
      queue.run('a', a2.work),
      queue.run('a', a3.work),
      queue.run('b', b1.work),
    ];
    const settled = Promise.allSettled(runs); // the first fails: its rejection is handled here
    await turn();
    expect(started).toEqual(['a1', 'b1']);
    a1.finish(true);
    await turn();
    expect(started).toEqual(['a1', 'b1', 'a2']);
    a2.finish();
    b1.finish();
    await turn();
    a3.finish();
    const outcomes = await settled;
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect(started).toEqual(['a1', 'b1', 'a2', 'a3']);
    await turn();
    expect(queue.size).toBe(0);
  });

  it('refuses a unit still waiting after waitMs as slow, and never starts it; the next still runs', async () => {
    const queue = new LockQueue(50);
    const started: string[] = [];
    const first = held('first', started);
    const late = held('late', started);
    const next = held('next', started);
    const running = queue.run('a', first.work);
    const waiting = queue.run('a', late.work);
    await expect(waiting).rejects.toBeInstanceOf(StoreSlowError);
    await expect(waiting).rejects.toThrow('waited 50 ms for a');
    const after = queue.run('a', next.work);
    first.finish();
    await running;
    await turn();
    expect(started).toEqual(['first', 'next']);
    next.finish();
    expect(await after).toBe('next');
  });
});
