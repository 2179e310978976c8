import { DomainError } from '../domain/errors.js';

/**
 * The lists a cursor pages through. A cursor names its list, so that one list's cursor sent to
 * another (plans and spaces share a shape) is refused rather than skipping pages silently.
 */
export type CursorList = 'plans' | 'spaces' | 'tokens' | 'addresses' | 'audit' | 'revisions' | 'allocations';

/** Cursors are opaque to clients: where the last page of `list` ended, as base64url JSON. */
export function encodeCursor(position: Record<string, string | number>, list: CursorList): string {
  return Buffer.from(JSON.stringify({ ...position, l: list })).toString('base64url');
}

/**
 * The position a cursor of `list` holds, when it has the shape `isPosition` expects. A cursor
 * without a list (issued before cursors named theirs) is read as any list's.
 */
export function decodeCursor<T>(
  cursor: string,
  isPosition: (value: unknown) => value is T,
  list: CursorList,
): T {
  let position: unknown;
  try {
    position = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    // refused below
  }
  const of = (position as { l?: unknown } | null | undefined)?.l;
  if (isPosition(position) && (of === undefined || of === list)) return position;
  const why =
    typeof of === 'string' && of !== list
      ? `is a cursor of the ${of.slice(0, 32)} list, not of ${list}`
      : 'is not a cursor this service issued';
  throw DomainError.invalid('CURSOR_INVALID', 'cursor', `"${cursor}" ${why}`);
}

/** A cursor after the creation sequence of the last item served (plans, spaces). */
export const afterSeq = (value: unknown): value is { after: number } =>
  typeof value === 'object' &&
  value !== null &&
  Number.isSafeInteger((value as { after?: unknown }).after) &&
  (value as { after: number }).after >= 0;

/**
 * The first `limit` rows of `found` (read with LIMIT limit + 1) and the cursor to the next page:
 * the position of the last row kept, or null when no row was left over.
 */
export function firstPage<R>(
  found: readonly R[],
  limit: number,
  positionOf: (last: R) => Record<string, string | number>,
  list: CursorList,
): { rows: R[]; nextCursor: string | null } {
  const rows = found.slice(0, limit);
  const last = rows.at(-1);
  return {
    rows,
    nextCursor: found.length > limit && last !== undefined ? encodeCursor(positionOf(last), list) : null,
  };
}

/** An allocation's first address as the stores key it (address-keys.ts): 32 lowercase hex digits. */
const ADDRESS_KEY = /^[0-9a-f]{32}$/;

/**
 * A cursor after the (family, first address) of the last allocation served. The key is compared
 * in SQL, so only a key of the stores' own shape is taken: another text compares differently in
 * each database's collation, and PostgreSQL refuses a NUL in it outright.
 */
export const isAllocationPosition = (value: unknown): value is { f: number; k: string } =>
  typeof value === 'object' &&
  value !== null &&
  [4, 6].includes((value as { f?: unknown }).f as number) &&
  typeof (value as { k?: unknown }).k === 'string' &&
  ADDRESS_KEY.test((value as { k: string }).k);
