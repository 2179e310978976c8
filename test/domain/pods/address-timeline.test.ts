import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddressTimeline, type TimedInterval } from '../../../src/domain/pods/address-timeline.js';

const time = (minute: number) => new Date(Date.UTC(2026, 10, 30, 14, minute)).toISOString();

/** Intervals in any order and overlap: a pod long listed as Completed keeps its IP beside newer ones. */
const intervalsArb = fc
  .array(
    fc.record({
      from: fc.integer({ min: 0, max: 60 }),
      length: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
    }),
    { maxLength: 12 },
  )
  .map((raw) =>
    raw.map(
      ({ from, length }, seq): TimedInterval => ({
        seq: seq + 1,
        from: time(from),
        to: length === undefined ? null : time(from + length),
      }),
    ),
  );

/** An interval counting how often its times are read: what a timeline costs, without a clock. */
let reads = 0;
function counted(seq: number, from: string, to: string | null): TimedInterval {
  return {
    seq,
    get from() {
      reads++;
      return from;
    },
    get to() {
      reads++;
      return to;
    },
  };
}

/** The reference: every interval scanned. */
function heldBy(intervals: readonly TimedInterval[], at: string | undefined): number[] {
  return intervals
    .filter((i) => (at === undefined ? i.to === null : i.from <= at && (i.to === null || at < i.to)))
    .map((i) => i.seq)
    .sort((a, b) => a - b);
}

describe('an address timeline', () => {
  it('answers who held the address at any time as a scan of every interval would', () => {
    fc.assert(
      fc.property(
        intervalsArb,
        fc.array(fc.integer({ min: -5, max: 110 }), { maxLength: 10 }),
        (intervals, minutes) => {
          const timeline = new AddressTimeline<TimedInterval>();
          for (const interval of intervals) timeline.add(interval);
          expect(timeline.size).toBe(intervals.length);
          for (const at of [undefined, ...minutes.map(time)]) {
            expect(timeline.at(at).map((i) => i.seq)).toEqual(heldBy(intervals, at));
          }
        },
      ),
    );
  });

  it('keeps its answers when rows are seen again or closed later, as a catch-up delivers them', () => {
    fc.assert(
      fc.property(intervalsArb, fc.integer({ min: -5, max: 110 }), (intervals, minute) => {
        const timeline = new AddressTimeline<TimedInterval>();
        // Every interval first seen open, then again as it is now (closed or still open).
        for (const interval of intervals) timeline.add({ ...interval, to: null });
        for (const interval of [...intervals].reverse()) timeline.replace(interval);
        expect(timeline.size).toBe(intervals.length);
        expect(timeline.at(time(minute)).map((i) => i.seq)).toEqual(heldBy(intervals, time(minute)));
      }),
    );
  });

  it('forgets what closed before a cutoff, and nothing else', () => {
    fc.assert(
      fc.property(
        intervalsArb,
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: -5, max: 110 }),
        (intervals, cut, minute) => {
          const timeline = new AddressTimeline<TimedInterval>();
          for (const interval of intervals) timeline.add(interval);
          const kept = intervals.filter((i) => i.to === null || i.to >= time(cut));
          expect(timeline.forgetBefore(time(cut))).toBe(intervals.length - kept.length);
          expect(timeline.at(time(minute)).map((i) => i.seq)).toEqual(heldBy(kept, time(minute)));
        },
      ),
    );
  });

  it('answers one pod after another by a binary search: it reads a few intervals, not the history', () => {
    const timeline = new AddressTimeline<TimedInterval>();
    for (let k = 0; k < 4096; k++) timeline.add(counted(k + 1, time(k), time(k + 1)));
    reads = 0;
    expect(timeline.at(time(2500.5)).map((i) => i.seq)).toEqual([2501]);
    // 12 steps of the binary search, then the one interval and the one before it.
    expect(reads).toBeLessThanOrEqual(20);
  });

  it('takes a long history of one address in linear time: a CronJob reusing an IP all day', () => {
    const timeline = new AddressTimeline<TimedInterval>();
    const k = 5000;
    reads = 0;
    for (let i = 0; i < k; i++) timeline.add(counted(i + 1, time(i), time(i + 1)));
    expect(reads).toBeLessThan(10 * k); // a few reads per interval, not one per interval held
    reads = 0;
    timeline.replace(counted(2500, time(2499), time(2500))); // a row read again: one pass
    expect(reads).toBeLessThan(10 * k);
    expect(timeline.size).toBe(k);
  });
});
