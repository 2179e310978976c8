/**
 * Times are stored as ISO 8601 UTC text, compared as text. That order is time order only for
 * four-digit years: an offset can carry a given time past 9999 (or before 0000).
 */
export const FIRST_STORED_INSTANT = Date.parse('0000-01-01T00:00:00.000Z');
export const LAST_STORED_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');

/** The time as stored, held at the ends of the storable range. */
export function storedTime(time: string): string {
  const at = Math.min(Math.max(Date.parse(time), FIRST_STORED_INSTANT), LAST_STORED_INSTANT);
  return new Date(at).toISOString();
}
