import type { FastifyInstance } from 'fastify';
import { RequestError, sendProblem } from './problem.js';

/**
 * How deep a request body may nest. Designs are 4 levels deep and a kubectl document about 10;
 * the bound keeps free-form objects (merge patches, documents) from exhausting the stack of
 * whatever walks them later.
 */
export const MAX_BODY_DEPTH = 32;

interface Visit {
  readonly value: unknown;
  readonly depth: number;
  readonly parent: Visit | undefined;
  readonly key: string | number | undefined;
}

/** JSON bodies as Fastify parses them (prototype poisoning refused), then bounded in depth. */
export function registerJsonBody(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    parse(request, body as string, (error, value) => {
      if (error) return done(error, undefined);
      const tooDeep = firstTooDeep(value);
      if (tooDeep !== undefined) {
        const message = `the body nests deeper than ${MAX_BODY_DEPTH} levels at ${tooDeep}`;
        return done(
          new RequestError('NESTING_TOO_DEEP', message, [
            { code: 'NESTING_TOO_DEEP', path: tooDeep, message },
          ]),
          undefined,
        );
      }
      // Only a body that spells \u0000 can hold one: the walk is skipped for every other body.
      const nul = /u0000/i.test(body as string) ? firstWithNul(value) : undefined;
      if (nul === undefined) return done(null, value);
      const message = `${nul || 'the body'}: text may not contain the NUL character (\\u0000)`;
      done(
        new RequestError('INVALID_VALUE', message, [{ code: 'INVALID_VALUE', path: nul, message }]),
        undefined,
      );
    });
  });
}

/** The path of the first value nested deeper than the bound, walked without recursion. */
function firstTooDeep(root: unknown): string | undefined {
  return firstVisit(
    root,
    ({ value, depth }) => depth >= MAX_BODY_DEPTH && typeof value === 'object' && value !== null,
  );
}

/**
 * The path of the first string (or key) holding a NUL character: PostgreSQL stores no such
 * text, and no field of the API has a use for one.
 */
function firstWithNul(root: unknown): string | undefined {
  return firstVisit(
    root,
    ({ value, key }) =>
      (typeof value === 'string' && value.includes('\0')) || (typeof key === 'string' && key.includes('\0')),
  );
}

/** The path of the first value `stop` holds for, walked without recursion, objects entered. */
function firstVisit(root: unknown, stop: (visit: Visit) => boolean): string | undefined {
  const stack: Visit[] = [{ value: root, depth: 0, parent: undefined, key: undefined }];
  for (let visit = stack.pop(); visit !== undefined; visit = stack.pop()) {
    const { value, depth } = visit;
    if (stop(visit)) return pathOf(visit);
    if (typeof value !== 'object' || value === null) continue;
    const entries: [string | number, unknown][] = Array.isArray(value)
      ? value.map((v, i) => [i, v])
      : Object.entries(value);
    for (const [key, child] of entries) stack.push({ value: child, depth: depth + 1, parent: visit, key });
  }
  return undefined;
}

/** "variants[0].changes.a.b", with long keys cut short. */
function pathOf(visit: Visit): string {
  const keys: (string | number)[] = [];
  for (let v: Visit | undefined = visit; v?.key !== undefined; v = v.parent) keys.unshift(v.key);
  return keys.reduce<string>((path, key) => {
    if (typeof key === 'number') return `${path}[${key}]`;
    const name = key.length > 32 ? `${key.slice(0, 29)}...` : key;
    return path === '' ? name : `${path}.${name}`;
  }, '');
}

/** A path or query holding %00 is refused before any route reads it (see firstWithNul). */
export function refuseNulInUrls(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    if (!request.url.includes('%00')) return done();
    sendProblem(reply, 'URL_INVALID', 'the URL may not contain the NUL character (%00)');
  });
}
