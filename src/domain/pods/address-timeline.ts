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
 * Adding at the end (history goes forward) is amortized O(1); any other change is O(k).
 */
export class AddressTimeline<T extends TimedInterval> {
  private open: T[] = [];
  private closed: T[] = [];
  /** reach[i]: the latest `to` among closed[0..i]. */
  private reach: string[] = [];

  get size(): number {
    return this.open.length + this.closed.length;
  }

  /** Any one of the intervals held. */
  get any(): T | undefined {
    return this.open[0] ?? this.closed[0];
  }

  /** Adds an interval not held yet. */
  add(interval: T): void {
    if (interval.to === null) this.open = appended(this.open, interval);
    else this.insertClosed(interval);
  }

  /** Adds an interval, replacing the one with its seq (a catch-up reads closed rows again). */
  replace(interval: T): void {
    this.remove(interval.seq);
    this.add(interval);
  }

  /**
   * The intervals holding the address at `at` (from inclusive, to exclusive), by seq; without
   * `at`, the open ones. Closed intervals that ended before `expiredBefore` are not answered.
   */
  at(at: string | undefined, expiredBefore = ''): T[] {
    if (at === undefined) return this.open.length <= 1 ? [...this.open] : [...this.open].sort(bySeq);
    const held: T[] = [];
    for (const interval of this.open) if (interval.from <= at) held.push(interval);
    for (let i = this.startedBy(at) - 1; i >= 0 && (this.reach[i] as string) > at; i--) {
      const interval = this.closed[i] as T;
      const to = interval.to as string;
      if (to > at && to >= expiredBefore) held.push(interval);
    }
    return held.length <= 1 ? held : held.sort(bySeq);
  }

  /** Drops closed intervals that ended before `cutoff`, in one pass; answers how many went. */
  forgetBefore(cutoff: string): number {
    const kept = this.closed.filter((interval) => (interval.to as string) >= cutoff);
    const dropped = this.closed.length - kept.length;
    if (dropped > 0) {
      this.closed = kept;
      this.reach = new Array<string>(kept.length);
      this.reachFrom(0);
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

  /** Keeps `closed` sorted by (from, seq): usually it goes at the end. */
  private insertClosed(interval: T): void {
    let i = this.closed.length;
    while (i > 0 && byStart(this.closed[i - 1] as T, interval) > 0) i--;
    if (i === this.closed.length) {
      this.closed = appended(this.closed, interval);
      this.reach = appended(this.reach, '');
    } else {
      this.closed.splice(i, 0, interval);
      this.reach.splice(i, 0, '');
    }
    this.reachFrom(i);
  }

  private reachFrom(start: number): void {
    for (let k = start; k < this.closed.length; k++) {
      const to = (this.closed[k] as T).to as string;
      const before = k === 0 ? '' : (this.reach[k - 1] as string);
      this.reach[k] = to > before ? to : before;
    }
  }

  private remove(seq: number): void {
    const open = this.open.findIndex((interval) => interval.seq === seq);
    if (open >= 0) {
      this.open.splice(open, 1);
      return;
    }
    // A closed interval is seen again only when a catch-up re-reads a row it already has.
    const closed = this.closed.findIndex((interval) => interval.seq === seq);
    if (closed < 0) return;
    this.closed.splice(closed, 1);
    this.reach.splice(closed, 1);
    this.reachFrom(closed);
  }
}

/**
 * `items` with `item` at the end. Short arrays are copied at their exact length: V8 gives an
 * array that is pushed to room for 17 elements (180 bytes for one), and a plan holds tens of
 * thousands of timelines of two or three intervals. Long ones grow in place (amortized O(1)).
 */
function appended<I>(items: I[], item: I): I[] {
  if (items.length >= 8) {
    items.push(item);
    return items;
  }
  const copy = new Array<I>(items.length + 1);
  for (let k = 0; k < items.length; k++) copy[k] = items[k] as I;
  copy[items.length] = item;
  return copy;
}

function bySeq(a: TimedInterval, b: TimedInterval): number {
  return a.seq - b.seq;
}

function byStart(a: TimedInterval, b: TimedInterval): number {
  return a.from < b.from ? -1 : a.from > b.from ? 1 : a.seq - b.seq;
}
