import { describe, expect, it } from 'vitest';
import { RateWindows } from '../../src/http/rate-limit.js';

describe('rate windows', () => {
  it('count a minute from the first request, then start again', () => {
    const windows = new RateWindows(2);
    expect(windows.count('a', 1_000)).toEqual({ remaining: 1, resetSeconds: 60, exceeded: false });
    expect(windows.count('a', 30_500)).toEqual({ remaining: 0, resetSeconds: 31, exceeded: false });
    expect(windows.count('a', 60_999)).toEqual({ remaining: 0, resetSeconds: 1, exceeded: true });
    expect(windows.count('a', 61_000)).toEqual({ remaining: 1, resetSeconds: 60, exceeded: false });
  });

  it('count each caller on its own', () => {
    const windows = new RateWindows(1);
    expect(windows.count('a', 0).exceeded).toBe(false);
    expect(windows.count('b', 0).exceeded).toBe(false);
    expect(windows.count('a', 0).exceeded).toBe(true);
  });

  it('remember a bounded number of callers, forgetting the oldest window first', () => {
    const windows = new RateWindows(1, 2);
    windows.count('a', 0);
    windows.count('b', 1);
    windows.count('c', 2); // forgets a
    expect(windows.count('b', 3).exceeded).toBe(true);
    expect(windows.count('a', 4).exceeded).toBe(false); // a new window, which forgets b
    expect(windows.count('b', 5).exceeded).toBe(false); // forgotten: a new window, forgets c
    expect(windows.count('a', 6).exceeded).toBe(true); // remembered
  });
});
