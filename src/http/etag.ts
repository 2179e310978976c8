import { DomainError } from '../domain/errors.js';

/** A plan's ETag is its revision: strong, quoted. */
export function etagFor(revision: number): string {
  return `"${revision}"`;
}

/**
 * The revision an If-Match header asks to replace. "*" matches any current revision; a
 * list matches when one of its tags is current; anything else is stale.
 */
export function expectedRevision(ifMatch: string, currentRevision: number): number {
  const tags = ifMatch.split(',').map((t) => t.trim());
  if (tags.includes('*') || tags.includes(etagFor(currentRevision))) return currentRevision;
  throw new DomainError(
    'REVISION_MISMATCH',
    `If-Match ${ifMatch} does not match the current ETag ${etagFor(currentRevision)}; read the plan again and retry`,
  );
}
