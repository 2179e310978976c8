/** The application over a fresh in-memory store, ready for supertest; closed after each test. */
import type { FastifyInstance } from 'fastify';
import supertest from 'supertest';
import { afterEach, beforeEach, expect } from 'vitest';
import { type AppDeps, buildApp } from '../../../src/http/app.js';
import { openSqliteStore } from '../../../src/store/sqlite/open-sqlite.js';
import type { Store } from '../../../src/store/store.js';

export type Request = ReturnType<typeof supertest>;

export interface TestApp {
  readonly app: FastifyInstance;
  /** Requests sent with the admin token. */
  readonly request: Request;
}

/** The admin token the test apps take from their "environment". */
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

/**
 * Tests send many requests with one token, on a machine busy with other test files: the rate
 * limit and overload shedding have their own tests, and are otherwise off (0 disables a check).
 */
export const TEST_EDGE = { rateLimitPerMinute: 1_000_000, maxEventLoopDelayMs: 0, maxHeapUsedBytes: 0 };

/** Builds an app over `store` (a fresh in-memory SQLite store by default) and waits until it is ready. */
export async function testApp(
  store: Store = openSqliteStore(':memory:'),
  deps: Partial<AppDeps> = {},
): Promise<TestApp> {
  const app = await buildApp({ store, adminToken: TEST_ADMIN_TOKEN, edge: TEST_EDGE, ...deps });
  await app.ready();
  return { app, request: withToken(supertest(app.server), TEST_ADMIN_TOKEN) };
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);

/** Requests that carry `Authorization: Bearer <token>` (a test may still set its own). */
export function withToken(request: Request, token: string): Request {
  return new Proxy(request, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || !METHODS.has(property) || typeof value !== 'function') return value;
      return (url: string) =>
        (value as (url: string) => supertest.Test).call(target, url).set('authorization', `Bearer ${token}`);
    },
  });
}

/**
 * A fresh app for every test of the calling file, closed in afterEach. Read `request` inside
 * a test: the getter answers the current test's app.
 */
export function useTestApp(): TestApp {
  let current: TestApp | undefined;
  beforeEach(async () => {
    current = await testApp();
  });
  afterEach(async () => {
    await current?.app.close();
    current = undefined;
  });
  const get = (): TestApp => {
    if (current === undefined) throw new Error('useTestApp: read the app inside a test');
    return current;
  };
  return {
    get app() {
      return get().app;
    },
    get request() {
      return get().request;
    },
  };
}

/** A created plan's body: its id, its timestamps and the rest of the plan resource. */
export interface CreatedPlan {
  readonly id: string;
  readonly createdAt: string;
  readonly [field: string]: unknown;
}

/** Creates a plan and returns its body; fails the test, showing the body, unless it is 201. */
export async function createPlan(request: Request, body: object): Promise<CreatedPlan> {
  const res = await request.post('/v1/plans').send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as CreatedPlan;
}
