import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../domain/errors.js';

/** A resource's ETag is its revision: strong, quoted. */
export function etagFor(revision: number): string {
  return `"${revision}"`;
}

/** The entity tags of an If-Match or If-None-Match header; weak tags compare as their strong form. */
function tagsOf(header: string): string[] {
  return header.split(',').map((t) => t.trim().replace(/^W\//, ''));
}

/**
 * The revision an If-Match header asks to change. "*" matches any current revision; a list
 * matches when one of its tags is current; anything else is stale (412 REVISION_MISMATCH).
 * Without the header, the current revision: the change is unconditional.
 */
export function expectedRevision(ifMatch: string | undefined, currentRevision: number): number {
  if (ifMatch === undefined) return currentRevision;
  const tags = tagsOf(ifMatch);
  if (tags.includes('*') || tags.includes(etagFor(currentRevision))) return currentRevision;
  throw new DomainError(
    'REVISION_MISMATCH',
    `If-Match ${ifMatch} does not match the current ETag ${etagFor(currentRevision)}; read it again and retry`,
  );
}

/**
 * Sets the ETag of a read and answers true when the client's If-None-Match already names it:
 * the caller then sends 304 Not Modified with no body.
 */
export function isNotModified(request: FastifyRequest, reply: FastifyReply, revision: number): boolean {
  reply.header('etag', etagFor(revision));
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch === undefined) return false;
  const tags = tagsOf(ifNoneMatch);
  return tags.includes('*') || tags.includes(etagFor(revision));
}

/** 304 Not Modified: sent without a payload, so no serializer writes "null" and no length is given. */
export function sendNotModified(reply: FastifyReply): FastifyReply {
  return reply.code(304).send();
}
