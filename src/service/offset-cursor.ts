import { DomainError } from '../domain/errors.js';

/** A cursor into a computed list: the offset of the next item, opaque to clients. */
export function encodeOffset(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

export function decodeOffset(cursor: string): number {
  try {
    const { offset } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Number.isSafeInteger(offset) && offset >= 0) return offset;
  } catch {
    // fall through to the error below
  }
  throw DomainError.invalid('CURSOR_INVALID', 'cursor', `"${cursor}" is not a cursor this service issued`);
}
