import { DomainError } from '../../domain/errors.js';

/** Cursors are opaque to clients: the creation sequence of the last plan served. */
export function encodeCursor(seq: number): string {
  return Buffer.from(JSON.stringify({ after: seq })).toString('base64url');
}

export function decodeCursor(cursor: string): number {
  try {
    const { after } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Number.isSafeInteger(after) && after >= 0) return after;
  } catch {
    // fall through to the error below
  }
  throw DomainError.invalid('CURSOR_INVALID', 'cursor', `"${cursor}" is not a cursor this service issued`);
}
