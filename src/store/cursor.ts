import { DomainError } from '../domain/errors.js';

/** Cursors are opaque to clients: where the last page ended, as base64url JSON. */
export function encodeCursor(position: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** The position a cursor holds, when it has the shape `isPosition` expects. */
export function decodeCursor<T>(cursor: string, isPosition: (value: unknown) => value is T): T {
  try {
    const position: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (isPosition(position)) return position;
  } catch {
    // fall through to the error below
  }
  throw DomainError.invalid('CURSOR_INVALID', 'cursor', `"${cursor}" is not a cursor this service issued`);
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
): { rows: R[]; nextCursor: string | null } {
  const rows = found.slice(0, limit);
  const last = rows.at(-1);
  return {
    rows,
    nextCursor: found.length > limit && last !== undefined ? encodeCursor(positionOf(last)) : null,
  };
}

/** A cursor after the (family, first address) of the last allocation served. */
export const isAllocationPosition = (value: unknown): value is { f: number; k: string } =>
  typeof value === 'object' &&
  value !== null &&
  [4, 6].includes((value as { f?: unknown }).f as number) &&
  typeof (value as { k?: unknown }).k === 'string';
