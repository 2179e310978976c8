import type { FastifyInstance } from 'fastify';
import { RequestError } from './problem.js';

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
      if (tooDeep === undefined) return done(null, value);
      const message = `the body nests deeper than ${MAX_BODY_DEPTH} levels at ${tooDeep}`;
      done(
        new RequestError('NESTING_TOO_DEEP', message, [{ code: 'NESTING_TOO_DEEP', path: tooDeep, message }]),
        undefined,
      );
    });
  });
}

/** The path of the first value nested deeper than the bound, walked without recursion. */
function firstTooDeep(root: unknown): string | undefined {
  const stack: Visit[] = [{ value: root, depth: 0, parent: undefined, key: undefined }];
  for (let visit = stack.pop(); visit !== undefined; visit = stack.pop()) {
    const { value, depth } = visit;
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_BODY_DEPTH) return pathOf(visit);
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
