import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { ItemFields } from '../domain/kubectl-list.js';
import { inALaterTurn } from '../event-loop.js';
import { refusedTextProblem, tooDeepProblem, unparsedBodyProblem } from './json-checks.js';
import type { ListParser } from './list-parser.js';
import { RequestError, sendProblem } from './problem.js';
import { notUtf8Problem, otherCharsetRefusal } from './utf8.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * A route whose body is a large kubectl list: the fields of its items the route reads. Such
     * a body over PARSE_IN_WORKER_BYTES is parsed on a worker thread and cut to them.
     */
    listItemFields?: ItemFields;
  }
}

/**
 * Bodies of list routes longer than this are parsed off the event loop: a parse of 1 MiB takes
 * about 5 ms here, and handing it to the worker and back costs about as much.
 */
export const PARSE_IN_WORKER_BYTES = 1024 * 1024;

/** JSON bodies as Fastify parses them (prototype poisoning refused), then bounded in depth. */
export function registerJsonBody(app: FastifyInstance, lists: ListParser): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const charset = otherCharsetRefusal(request.headers['content-type'], 'a JSON body is UTF-8 (RFC 8259)');
    if (charset !== undefined) return done(charset, undefined);
    const bytes = body as Buffer;
    // Many clients send their JSON content type on every request: a route that takes no body
    // (a DELETE) answers an empty one as if none was sent, instead of 400 for empty JSON.
    if (bytes.length === 0 && request.routeOptions.schema?.body === undefined) return done(null, undefined);
    const parseHere = (here: Buffer) => {
      const notUtf8 = notUtf8Problem(here);
      if (notUtf8 !== undefined) return done(RequestError.of(notUtf8), undefined);
      // Decoded as Fastify decodes a body read as a string.
      const text = here.toString('utf8');
      parse(request, text, (error, value) => {
        if (error) return done(RequestError.of(unparsedBodyProblem(text)), undefined);
        checkParsedBody(text, value, done);
      });
    };
    const fields = request.routeOptions.config.listItemFields;
    if (fields === undefined || bytes.length <= PARSE_IN_WORKER_BYTES) return parseHere(bytes);
    lists.parse(bytes, fields).then(
      (value) => done(null, value),
      (error: Error) => done(error, undefined),
    );
  });
}

/** Bodies longer than this are walked after their parse, and between walks, in turns of their own. */
export const WALK_LATER_BYTES = 1024 * 1024;

/**
 * Refuses a parsed body nested too deep or holding refused text, else passes it on. A large
 * body (a 32 MiB node import parses for a few hundred ms) is walked in turns of its own.
 */
export function checkParsedBody(
  text: string,
  value: unknown,
  done: (error: Error | null, value: unknown) => void,
): void {
  const next = text.length > WALK_LATER_BYTES ? inTurnOfItsOwn(done) : (step: () => void) => step();
  next(() => {
    const problem = tooDeepProblem(value);
    if (problem !== undefined) return done(RequestError.of(problem), undefined);
    next(() => {
      const refused = refusedTextProblem(text, value);
      if (refused !== undefined) done(RequestError.of(refused), undefined);
      else done(null, value);
    });
  });
}

/** Runs a step in a later turn of the event loop; a step that throws fails the request, not the process. */
function inTurnOfItsOwn(done: (error: Error | null, value: unknown) => void) {
  return (step: () => void) =>
    inALaterTurn(() => {
      try {
        step();
      } catch (error) {
        done(error as Error, undefined);
      }
    });
}

/** Where a URL holds %00: the query parameter whose name or value holds it, else its path. */
function partWithNul(url: string): string {
  const at = url.indexOf('?');
  if (at < 0 || url.slice(0, at).includes('%00')) return 'path';
  const pair = url
    .slice(at + 1)
    .split('&')
    .find((p) => p.includes('%00'));
  const name = pair?.split('=')[0] ?? '';
  return name === '' || name.includes('%') ? 'query' : name;
}

/**
 * What no route can read is refused before any route runs, in one hook (it runs on every
 * request): a path or query holding %00 (see firstWithNul), an HTTP/1.1 request without Host,
 * and a compressed body, which would reach the parsers as bytes of gzip.
 */
export function refuseUnreadableRequests(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    if (request.url.includes('%00')) {
      const message = 'the URL may not contain the NUL character (%00)';
      sendProblem(reply, 'URL_INVALID', message, {
        errors: [{ code: 'URL_INVALID', path: partWithNul(request.url), message }],
      });
      return;
    }
    if (request.headers.host === undefined && request.raw.httpVersion === '1.1') {
      sendProblem(reply, 'BAD_REQUEST', 'an HTTP/1.1 request needs a Host header (RFC 9112)');
      return;
    }
    // Most requests carry no Content-Encoding: they pass at the first test.
    const coding = request.headers['content-encoding']?.trim().toLowerCase();
    if (!coding || coding === 'identity' || !hasBody(request.headers)) return done();
    sendProblem(
      reply,
      'UNSUPPORTED_MEDIA_TYPE',
      `Content-Encoding ${JSON.stringify(coding.slice(0, 32))} is not accepted: send the body uncompressed`,
    );
  });
}

/** Whether a request says it sends a body: a length above zero, or a chunked one. */
export function hasBody(headers: IncomingHttpHeaders): boolean {
  return headers['transfer-encoding'] !== undefined || (headers['content-length'] ?? '0') !== '0';
}
