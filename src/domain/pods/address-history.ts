import type { PodAddress } from './kubectl-pods.js';

/**
 * An address held by one pod from `from` until `to`: times are RFC 3339 in UTC with
 * milliseconds (`Date.prototype.toISOString`), so that they order as strings. `to` is null while
 * the last import still saw it.
 */
export interface AddressInterval extends PodAddress {
  readonly from: string;
  readonly to: string | null;
}

/** What held an address: the same pod on the same node, with the same address. */
export function holderKey(p: PodAddress): string {
  return [p.ip.toString(), p.namespace, p.pod, p.node ?? '', p.hostNetwork ? 'host' : ''].join('\u0000');
}

/**
 * What an import observed at `at` changes in a plan's history: the open intervals it no longer
 * sees close at `at`, and what it sees for the first time opens at `at`. What it sees again
 * stays as it is, so storage grows with changes, never with imports. O(open + seen).
 */
export function importChanges<T extends AddressInterval>(
  open: readonly T[],
  seen: readonly PodAddress[],
  at: string,
): { close: T[]; opened: AddressInterval[] } {
  const seenKeys = new Set(seen.map(holderKey));
  const openKeys = new Set(open.map(holderKey));
  const opened = new Map<string, AddressInterval>();
  for (const address of seen) {
    const key = holderKey(address);
    if (!openKeys.has(key) && !opened.has(key)) opened.set(key, { ...address, from: at, to: null });
  }
  return {
    close: open.filter((interval) => !seenKeys.has(holderKey(interval))),
    opened: [...opened.values()],
  };
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
