import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { inALaterTurn } from '../event-loop.js';
import { RequestError, sendProblem } from './problem.js';

/**
 * How deep a request body may nest. Designs are 4 levels deep and a kubectl document about 10;
 * the bound keeps free-form objects (merge patches, documents) from exhausting the stack of
 * whatever walks them later.
 */
export const MAX_BODY_DEPTH = 32;

/**
 * An object or array being walked: its children are read by index, so that a body of millions
 * of numbers is walked without an allocation per element (only containers get a frame).
 */
interface Frame {
  readonly value: object;
  /** An object's keys; undefined for an array. */
  readonly keys: readonly string[] | undefined;
  next: number;
  readonly depth: number;
  readonly parent: Frame | undefined;
  readonly key: string | number | undefined;
}

/** What the walk asks of each value: itself, its key in its container, and how deep it lies. */
type Stop = (value: unknown, key: string | number | undefined, depth: number) => boolean;

/** JSON bodies as Fastify parses them (prototype poisoning refused), then bounded in depth. */
export function registerJsonBody(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const charset = otherCharset(request.headers['content-type']);
    if (charset !== undefined) {
      const message = `a JSON body is UTF-8 (RFC 8259), not charset=${charset.slice(0, 32)}: send it as UTF-8`;
      return done(
        new RequestError('UNSUPPORTED_MEDIA_TYPE', message, [
          { code: 'UNSUPPORTED_MEDIA_TYPE', path: 'content-type', message },
        ]),
        undefined,
      );
    }
    const text = body as string;
    parse(request, text, (error, value) => {
      if (error) return done(forbiddenKey(text) ?? error, undefined);
      checkParsedBody(text, value, done);
    });
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
    if (problem !== undefined) return done(problem, undefined);
    next(() => {
      const refused = refusedTextProblem(text, value);
      if (refused !== undefined) done(refused, undefined);
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

function tooDeepProblem(value: unknown): RequestError | undefined {
  const tooDeep = firstTooDeep(value);
  if (tooDeep === undefined) return undefined;
  const message = `the body nests deeper than ${MAX_BODY_DEPTH} levels at ${tooDeep}`;
  return new RequestError('NESTING_TOO_DEEP', message, [
    { code: 'NESTING_TOO_DEEP', path: tooDeep, message },
  ]);
}

function refusedTextProblem(body: string, value: unknown): RequestError | undefined {
  const refused = firstRefusedText(body, value);
  if (refused === undefined) return undefined;
  const message = `${refused.path || 'the body'}: text may not contain ${refused.what}`;
  return new RequestError('INVALID_VALUE', message, [{ code: 'INVALID_VALUE', path: refused.path, message }]);
}

/**
 * The charset a Content-Type names when it is not UTF-8: the body would be read as UTF-8 all the
 * same, and text in Latin-1 or UTF-16 would be stored as other characters than were sent.
 */
function otherCharset(contentType: string | undefined): string | undefined {
  const named = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(contentType ?? '')?.[1]?.toLowerCase();
  return named === undefined || named === 'utf-8' || named === 'utf8' ? undefined : named;
}

/**
 * Why valid JSON was refused, when it was: the parser refuses prototype poisoning ("__proto__",
 * or "constructor" holding "prototype") as if the text were malformed. Read again on that rare
 * path only, to name the key and where it is.
 */
function forbiddenKey(body: string): RequestError | undefined {
  // Most refused bodies are malformed: they are not parsed again (escaped keys hold "\u00").
  if (!/proto|constructor|\\u00/.test(body)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined; // malformed indeed
  }
  const path = firstVisit(
    value,
    (child, key) =>
      key === '__proto__' ||
      (key === 'constructor' && isContainer(child) && Object.hasOwn(child, 'prototype')),
  );
  if (path === undefined) return undefined;
  const message = `${path}: a "__proto__" key, or a "constructor" holding "prototype", is refused in every body`;
  return new RequestError('KEY_FORBIDDEN', message, [{ code: 'KEY_FORBIDDEN', path, message }]);
}

/** The path of the first value nested deeper than the bound, walked without recursion. */
function firstTooDeep(root: unknown): string | undefined {
  return firstVisit(root, (value, _key, depth) => depth >= MAX_BODY_DEPTH && isContainer(value));
}

/**
 * Text no field may hold. NUL: PostgreSQL stores no such text, and no field of the API has a use
 * for one. A lone UTF-16 surrogate: JSON can escape one, UTF-8 cannot store it (it would be
 * stored as another character). Each can only be in a body that escapes it (`escaped`), so the
 * walk is skipped for every other body.
 */
const REFUSED_TEXT = [
  { what: 'the NUL character (\\u0000)', escaped: /u0000/i, found: /\0/ },
  {
    what: 'a lone surrogate (\\uD800-\\uDFFF without its pair): it is no character, and would be stored as another',
    escaped: /\\u[dD][89a-fA-F]/,
    found: /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/,
  },
] as const;

/** The first string (or key) holding refused text, its path and what it holds. */
function firstRefusedText(body: string, root: unknown): { path: string; what: string } | undefined {
  for (const { what, escaped, found } of REFUSED_TEXT) {
    if (!escaped.test(body)) continue;
    const path = firstVisit(
      root,
      (value, key) =>
        (typeof value === 'string' && found.test(value)) || (typeof key === 'string' && found.test(key)),
    );
    if (path !== undefined) return { path, what };
  }
  return undefined;
}

const isContainer = (value: unknown): value is object => typeof value === 'object' && value !== null;

function frameOf(value: object, depth: number, parent?: Frame, key?: string | number): Frame {
  const keys = Array.isArray(value) ? undefined : Object.keys(value);
  return { value, keys, next: 0, depth, parent, key };
}

/** The path of the first value, in document order, that `stop` holds for; walked without recursion. */
function firstVisit(root: unknown, stop: Stop): string | undefined {
  if (stop(root, undefined, 0)) return '';
  if (!isContainer(root)) return undefined;
  let frame: Frame | undefined = frameOf(root, 0);
  while (frame !== undefined) {
    const { value, keys } = frame;
    const length = keys === undefined ? (value as unknown[]).length : keys.length;
    if (frame.next >= length) {
      frame = frame.parent;
      continue;
    }
    const i = frame.next++;
    const key = keys === undefined ? i : (keys[i] as string);
    const child = keys === undefined ? (value as unknown[])[i] : (value as Record<string, unknown>)[key];
    if (stop(child, key, frame.depth + 1)) return pathOf(frame, key);
    if (isContainer(child)) frame = frameOf(child, frame.depth + 1, frame, key);
  }
  return undefined;
}

/** "variants[0].changes.a.b", with long keys cut short: the key in `frame`, and those above it. */
function pathOf(frame: Frame, key: string | number): string {
  const keys: (string | number)[] = [key];
  for (let f: Frame | undefined = frame; f?.key !== undefined; f = f.parent) keys.unshift(f.key);
  return keys.reduce<string>((path, k) => {
    if (typeof k === 'number') return `${path}[${k}]`;
    const name = k.length > 32 ? `${k.slice(0, 29)}...` : k;
    return path === '' ? name : `${path}.${name}`;
  }, '');
}

/**
 * What no route can read is refused before any route runs, in one hook (it runs on every
 * request): a path or query holding %00 (see firstWithNul), an HTTP/1.1 request without Host,
 * and a compressed body, which would reach the parsers as bytes of gzip.
 */
export function refuseUnreadableRequests(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    if (request.url.includes('%00')) {
      sendProblem(reply, 'URL_INVALID', 'the URL may not contain the NUL character (%00)');
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
function hasBody(headers: IncomingHttpHeaders): boolean {
  return headers['transfer-encoding'] !== undefined || (headers['content-length'] ?? '0') !== '0';
}
