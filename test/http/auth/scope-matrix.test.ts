/**
 * Every route of the API against every kind of caller, generated from the route table (the
 * published document's security requirements), so a new route is covered the day it is added.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteScope, Scope } from '../../../src/domain/auth/scopes.js';
import { openSqliteStore } from '../../../src/store/sqlite/open-sqlite.js';
import { TEST_ADMIN_TOKEN, testApp } from '../support/app.js';

type Operation = { operationId: string; security?: Record<string, string[]>[] };
type Paths = Record<string, Record<string, Operation>>;

interface Route {
  readonly method: string;
  readonly path: string;
  readonly scope: RouteScope;
}

/** What each scope may call, written out here rather than taken from the code under test. */
const MAY_CALL: Record<Scope, readonly RouteScope[]> = {
  read: ['public', 'read'],
  write: ['public', 'read', 'write'],
  admin: ['public', 'read', 'write', 'admin'],
};

let app: FastifyInstance;
const tokens: Partial<Record<Scope, string>> = { admin: TEST_ADMIN_TOKEN };

beforeAll(async () => {
  ({ app } = await testApp(openSqliteStore(':memory:')));
  for (const scope of ['read', 'write'] as const) {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/tokens',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      payload: { name: `${scope} caller`, scopes: [scope] },
    });
    tokens[scope] = res.json().token;
  }
});
afterAll(async () => app.close());

function routes(): Route[] {
  const paths = (app.swagger() as unknown as { paths: Paths }).paths;
  return Object.entries(paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => {
      const [requirement] = operation.security ?? [];
      const scope = (requirement === undefined ? 'public' : requirement.bearerAuth?.[0]) as RouteScope;
      return { method: method.toUpperCase(), path: path.replace(/\{[^}]+\}/g, 'x'), scope };
    }),
  );
}

async function send(route: Route, authorization?: string) {
  const res = await app.inject({
    method: route.method as 'GET',
    url: route.path,
    headers: {
      ...(authorization === undefined ? {} : { authorization }),
      ...(['POST', 'PUT'].includes(route.method) ? { 'content-type': 'application/json' } : {}),
    },
    ...(['POST', 'PUT'].includes(route.method) ? { payload: '{}' } : {}),
  });
  return res;
}

describe('the scope matrix: every route x every caller', () => {
  it('covers every operation, and every /v1 operation needs a scope', () => {
    const all = routes();
    expect(all.length).toBeGreaterThan(30);
    for (const route of all) {
      expect(route.scope, `${route.method} ${route.path}`).toMatch(/^(public|read|write|admin)$/);
      if (route.path.startsWith('/v1')) expect(route.scope, route.path).not.toBe('public');
    }
    expect(all.filter((r) => r.scope === 'admin').map((r) => r.path)).toEqual(
      expect.arrayContaining(['/v1/tokens', '/v1/tokens/x']),
    );
  });

  it('answers 401 without a token or with a bad one, on every scoped route', async () => {
    for (const route of routes().filter((r) => r.scope !== 'public')) {
      for (const authorization of [undefined, 'Bearer nope', 'Basic YWRtaW46YWRtaW4=', 'Bearer']) {
        const res = await send(route, authorization);
        const context = `${route.method} ${route.path} with ${authorization}`;
        expect(res.statusCode, context).toBe(401);
        expect(res.headers['content-type'], context).toMatch(/^application\/problem\+json/);
        expect(res.json().code, context).toBe('UNAUTHENTICATED');
        expect(res.headers['www-authenticate'], context).toMatch(/^Bearer realm="aks-ip-planner"/);
      }
    }
  });

  it('lets each scope through exactly where it is enough, and answers 403 elsewhere', async () => {
    for (const route of routes()) {
      for (const held of ['read', 'write', 'admin'] as const) {
        const res = await send(route, `Bearer ${tokens[held]}`);
        const context = `${route.method} ${route.path} as ${held} -> ${res.body.slice(0, 200)}`;
        if (MAY_CALL[held].includes(route.scope)) expect([401, 403], context).not.toContain(res.statusCode);
        else {
          expect(res.statusCode, context).toBe(403);
          expect(res.json().code, context).toBe('FORBIDDEN');
          expect(res.headers['www-authenticate'], context).toContain(`scope="${route.scope}"`);
        }
      }
    }
  });

  it('leaves public routes open', async () => {
    for (const route of routes().filter((r) => r.scope === 'public')) {
      expect([401, 403], route.path).not.toContain((await send(route)).statusCode);
    }
    for (const url of ['/docs', '/openapi.json', '/problems/unauthenticated', '/healthz']) {
      expect((await app.inject({ method: 'GET', url })).statusCode, url).toBeLessThan(400);
    }
  });
});
