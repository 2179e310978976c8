/** What a timeline keeps of an interval: its row number and its times (RFC 3339 UTC, ordered as text). */
export interface TimedInterval {
  readonly seq: number;
  readonly from: string;
  readonly to: string | null;
}

/**
 * One address's intervals in one plan, answering "which held it at t" in O(log k + matches)
 * for the usual history (one pod after another). Open intervals (usually one) are kept apart;
 * closed ones are sorted by `from` with the running maximum of `to`, so a backward scan from the
 * last interval starting by t stops at the first point where nothing earlier reaches t.
 */
export class AddressTimeline<T extends TimedInterval> {
  // Arrays are replaced, never grown: V8 gives an array pushed to room for 17 elements, and a
  // plan holds tens of thousands of timelines of two or three intervals.
  private open: readonly T[] = NO_INTERVALS;
  private closed: readonly T[] = NO_INTERVALS;
  /** reach[i]: the latest `to` among closed[0..i]. */
  private reach: readonly string[] = NO_TIMES;

  get size(): number {
    return this.open.length + this.closed.length;
  }

  /** Any one of the intervals held. */
  get any(): T | undefined {
    return this.open[0] ?? this.closed[0];
  }

  /** Adds an interval not held yet: O(1) when it starts after the others, as history goes. */
  add(interval: T): void {
    if (interval.to === null) this.open = inserted(this.open, this.open.length, interval);
    else this.insertClosed(interval);
  }

  /** Adds an interval, replacing the one with its seq (a catch-up reads closed rows again). */
  replace(interval: T): void {
    this.remove(interval.seq);
    this.add(interval);
  }

  /**
   * The intervals holding the address at `at` (from inclusive, to exclusive), by seq; without
   * `at`, the open ones.
   */
  at(at: string | undefined): T[] {
    if (at === undefined) return this.open.length <= 1 ? [...this.open] : [...this.open].sort(bySeq);
    const held: T[] = [];
    for (const interval of this.open) if (interval.from <= at) held.push(interval);
    for (let i = this.startedBy(at) - 1; i >= 0 && (this.reach[i] as string) > at; i--) {
      const interval = this.closed[i] as T;
      if ((interval.to as string) > at) held.push(interval);
    }
    return held.length <= 1 ? held : held.sort(bySeq);
  }

  /** Drops closed intervals that ended before `cutoff`; answers how many went. */
  forgetBefore(cutoff: string): number {
    const kept = this.closed.filter((interval) => (interval.to as string) >= cutoff);
    const dropped = this.closed.length - kept.length;
    if (dropped > 0) {
      this.closed = NO_INTERVALS;
      this.reach = NO_TIMES;
      for (const interval of kept) this.insertClosed(interval);
    }
    return dropped;
  }

  /** How many closed intervals start at or before `at`. */
  private startedBy(at: string): number {
    let low = 0;
    let high = this.closed.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.closed[mid] as T).from <= at) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Keeps `closed` sorted by (from, seq): appending is the usual case, history goes forward. */
  private insertClosed(interval: T): void {
    let i = this.closed.length;
    while (i > 0 && byStart(this.closed[i - 1] as T, interval) > 0) i--;
    const closed = inserted(this.closed, i, interval);
    const reach = inserted(this.reach, i, '');
    for (let k = i; k < closed.length; k++) {
      const to = (closed[k] as T).to as string;
      const before = k === 0 ? '' : (reach[k - 1] as string);
      reach[k] = to > before ? to : before;
    }
    this.closed = closed;
    this.reach = reach;
  }

  private remove(seq: number): void {
    const open = this.open.findIndex((interval) => interval.seq === seq);
    if (open >= 0) {
      this.open = this.open.length === 1 ? NO_INTERVALS : this.open.filter((_, k) => k !== open);
      return;
    }
    // A closed interval is seen again only when a catch-up re-reads rows it already has.
    const closed = this.closed.findIndex((interval) => interval.seq === seq);
    if (closed < 0) return;
    const kept = this.closed.filter((_, k) => k !== closed);
    this.closed = NO_INTERVALS;
    this.reach = NO_TIMES;
    for (const interval of kept) this.insertClosed(interval);
  }
}

const NO_INTERVALS: readonly never[] = [];

/**
 * A copy of `items` with `item` at `index`, allocated at its exact length (a spread or a push
 * leaves room for more: 180 bytes for one element, against 50).
 */
function inserted<I>(items: readonly I[], index: number, item: I): I[] {
  const copy = new Array<I>(items.length + 1);
  for (let k = 0; k < index; k++) copy[k] = items[k] as I;
  copy[index] = item;
  for (let k = index; k < items.length; k++) copy[k + 1] = items[k] as I;
  return copy;
}
const NO_TIMES: readonly string[] = [];

function bySeq(a: TimedInterval, b: TimedInterval): number {
  return a.seq - b.seq;
}

function byStart(a: TimedInterval, b: TimedInterval): number {
  return a.from < b.from ? -1 : a.from > b.from ? 1 : a.seq - b.seq;
}
