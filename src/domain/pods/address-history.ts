import { allSteps } from '../steps.js';
import type { ObservedPods, PodAddress } from './pod-address.js';

/**
 * An address held by one pod from `from` until `to`: times are RFC 3339 in UTC with
 * milliseconds (`Date.prototype.toISOString`), so that they order as strings. `to` is null while
 * the last import still saw it.
 */
export interface AddressInterval extends PodAddress {
  readonly from: string;
  readonly to: string | null;
}

/**
 * What an import observed at `at` changes in a plan's history: the open intervals it no longer
 * sees close at `at`, and what it sees for the first time opens at `at`. What it sees again
 * stays as it is, so storage grows with changes, never with imports. O(open + seen), one key
 * per open interval (`keyOf`, from a row as stored: no address is parsed).
 */
export function importChanges<T>(
  open: readonly T[],
  keyOf: (interval: T) => string,
  seen: ObservedPods,
  at: string,
): ImportChanges<T> {
  return allSteps(importChangeSteps(open, keyOf, seen, at));
}

export interface ImportChanges<T> {
  readonly close: T[];
  readonly opened: AddressInterval[];
}

/** Open intervals or seen pods compared between two steps: a few milliseconds' work. */
export const IMPORT_ITEMS_PER_STEP = 2_000;

/**
 * `importChanges` in steps of `perStep` intervals or pods: 100,000 of each take about 0.3 s to
 * compare, and a request pauses between the steps.
 */
export function* importChangeSteps<T>(
  open: readonly T[],
  keyOf: (interval: T) => string,
  seen: ObservedPods,
  at: string,
  perStep = IMPORT_ITEMS_PER_STEP,
): Generator<void, ImportChanges<T>> {
  const comparison = new ImportComparison(keyOf, seen, at, perStep);
  yield* comparison.compare(open);
  return yield* comparison.changes();
}

/**
 * An import compared with the open intervals a piece at a time, as a store reads them: only the
 * intervals to close are kept, and each one still held is marked at its address's position.
 * Neither the other rows nor their keys outlive their piece. Kept to the end (50,000 rows, and
 * a set of 50,000 keys), they survived scavenges, which copied them: pauses of 20-33 ms inside
 * an import's steps.
 */
export class ImportComparison<T> {
  private readonly close: T[] = [];
  private readonly held: Uint8Array;
  private compared = 0;

  constructor(
    private readonly keyOf: (interval: T) => string,
    private readonly seen: ObservedPods,
    private readonly at: string,
    private readonly perStep = IMPORT_ITEMS_PER_STEP,
  ) {
    this.held = new Uint8Array(seen.size);
  }

  /** Compares a piece of the open intervals, yielding every `perStep`. */
  *compare(open: readonly T[]): Generator<void> {
    for (const interval of open) {
      const position = this.seen.positionOf(this.keyOf(interval));
      if (position >= 0) this.held[position] = 1;
      else this.close.push(interval);
      if (++this.compared % this.perStep === 0) yield;
    }
  }

  /** Once every open interval was compared: what closes, and what the import sees first. */
  *changes(): Generator<void, ImportChanges<T>> {
    const opened: AddressInterval[] = [];
    for (let position = 0; position < this.held.length; position++) {
      const address = this.seen.at(position);
      if (this.held[position] === 0 && address !== undefined)
        opened.push({ ...address, from: this.at, to: null });
      if (++this.compared % this.perStep === 0) yield;
    }
    return { close: this.close, opened };
  }
}

/** Whether the interval held its address at `at` (from inclusive, to exclusive). */
export function heldAt(interval: Pick<AddressInterval, 'from' | 'to'>, at: string): boolean {
  return interval.from <= at && (interval.to === null || at < interval.to);
}

/** RFC 3339: a date, T, a time, and a zone (Z or an offset); Date.parse alone takes far more. */
const RFC_3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;

/**
 * An RFC 3339 time as the history stores it, or undefined when the text is not one. Each field
 * must be in its range: Date.parse would turn 2026-02-30 into 2 March and take hour 24.
 */
export function historyTime(text: string): string | undefined {
  const fields = RFC_3339.exec(text);
  if (fields === null) return undefined;
  const [, year, month, day, hour, minute, second, , offsetHours, offsetMinutes] = fields.map(Number);
  const within = (value: number | undefined, min: number, max: number) =>
    value !== undefined && value >= min && value <= max;
  if (year === undefined || month === undefined || !within(month, 1, 12)) return undefined;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const valid =
    within(day, 1, daysInMonth) &&
    within(hour, 0, 23) &&
    within(minute, 0, 59) &&
    within(second, 0, 59) &&
    (fields[8] === undefined || (within(offsetHours, 0, 23) && within(offsetMinutes, 0, 59)));
  if (!valid) return undefined;
  const ms = Date.parse(text.replace(' ', 'T'));
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
