import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../domain/errors.js';

/** What an ETag names: one resource (its id, never reused) at one revision. */
export interface Versioned {
  readonly id: string;
  readonly revision: number;
}

/**
 * A resource's ETag, strong and quoted: its revision and its id ("2.<id>"). Paths take names, and
 * a plan deleted and created again under its name starts at revision 1 again: a tag of the
 * revision alone would let a client holding the first plan's "1" overwrite the second.
 */
export function etagFor(resource: Versioned): string {
  return `"${resource.revision}.${resource.id}"`;
}

/**
 * The tags a header may name the resource by: its ETag, and its revision alone ("2"), the tag of
 * earlier releases, which clients and caches may still hold (it cannot tell a plan from one
 * created again under its name; the full tag can).
 */
function currentTags(resource: Versioned): readonly string[] {
  return [etagFor(resource), `"${resource.revision}"`];
}

/** Whether an If-Match or If-None-Match header names the resource as it is now (or is "*"). */
function namesCurrent(header: string, resource: Versioned): boolean {
  const current = currentTags(resource);
  // Weak tags compare as their strong form (the README says why).
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || current.includes(tag));
}

/**
 * The revision an If-Match header asks to change. "*" matches any current revision; a list
 * matches when one of its tags is current; anything else is stale (412 REVISION_MISMATCH).
 * Without the header, the current revision: the change is unconditional.
 */
export function expectedRevision(ifMatch: string | undefined, current: Versioned): number {
  if (ifMatch === undefined || namesCurrent(ifMatch, current)) return current.revision;
  throw new DomainError(
    'REVISION_MISMATCH',
    `If-Match ${ifMatch} does not match the current ETag ${etagFor(current)}; read it again and retry`,
  );
}

/**
 * Sets the ETag of a read and answers true when the client's If-None-Match already names it:
 * the caller then sends 304 Not Modified with no body.
 */
export function isNotModified(request: FastifyRequest, reply: FastifyReply, resource: Versioned): boolean {
  reply.header('etag', etagFor(resource));
  const ifNoneMatch = request.headers['if-none-match'];
  return ifNoneMatch !== undefined && namesCurrent(ifNoneMatch, resource);
}

/** 304 Not Modified: sent without a payload, so no serializer writes "null" and no length is given. */
export function sendNotModified(reply: FastifyReply): FastifyReply {
  return reply.code(304).send();
}
