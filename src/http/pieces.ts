import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';

/**
 * Sends a body built as pieces (tens of MB for a large plan page or scrape) without joining
 * them into one string first, with its Content-Length as a single body would have it. Pieces
 * already encoded cost nothing to measure.
 */
export function sendPieces(
  reply: FastifyReply,
  contentType: string,
  pieces: readonly (string | Buffer)[],
): FastifyReply {
  const length = pieces.reduce((sum, piece) => sum + Buffer.byteLength(piece), 0);
  return reply.type(contentType).header('content-length', length).send(Readable.from(pieces));
}
