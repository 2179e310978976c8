import { describe, expect, it } from 'vitest';
import { RecentRead } from '../../src/store/sqlite/recent-read.js';

/** A counter read through RecentRead on a clock the test moves. */
function counter() {
  const state = { time: 10, value: 0, reads: 0 };
  const recent = new RecentRead(
    () => {
      state.reads++;
      return state.value;
    },
    () => state.time,
  );
  return { state, recent };
}

describe('RecentRead', () => {
  it('serves a read started at or after the time asked, and reads again for a later time', () => {
    const { state, recent } = counter();
    expect(recent.get(10)).toBe(0); // read at 10
    state.value = 1; // written at 10, after that read
    state.time = 12;
    // Requests that arrived up to the read share it.
    expect([recent.get(5), recent.get(10)]).toEqual([0, 0]);
    expect(state.reads).toBe(1);
    // One that arrived after it (at 11, after the write) gets a new read, which later ones share.
    expect(recent.get(11)).toBe(1);
    expect(recent.get(12)).toBe(1);
    expect(state.reads).toBe(2);
  });

  it('reads at once without a time, or with a request time never set (0)', () => {
    const { state, recent } = counter();
    recent.get(10);
    state.value = 7;
    expect(recent.get()).toBe(7);
    state.value = 8;
    expect(recent.get(0)).toBe(8);
    expect(state.reads).toBe(3);
  });
});
