/**
 * Hostile input against every operation of the OpenAPI document: arbitrary JSON, valid bodies
 * with one part replaced by something hostile, and hostile path, query and header values. Every
 * answer must be below 500, and every error a problem+json body with a code. Each operation has
 * a time budget, so the whole file runs in about 30 seconds.
 */

import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import type { Store } from '../../src/store/store.js';
import * as az from '../domain/imports/az-fixtures.js';
import { openStoreAt } from '../replicas/support.js';
import { freshDatabase } from '../support/postgres.js';
import { TEST_ADMIN_TOKEN, TEST_EDGE } from './support/app.js';
import { exampleDesign } from './support/designs.js';

const HOSTILE_STRINGS = [
  '',
  ' ',
  '__proto__',
  'constructor',
  'prototype',
  '\u0000',
  '\uFFFF',
  '\uD800',
  '😀',
  'ü'.repeat(300),
  'a'.repeat(5000),
  '9'.repeat(400),
  '1e400',
  '-0',
  'NaN',
  'Infinity',
  '10.0.0.0/33',
  '10.0.0.256',
  '10.0.0.1/24',
  '::ffff:10.0.0.1',
  'fe80::1%eth0',
  '0.0.0.0/0',
  '::/0',
  '255.255.255.255/32',
  '10.0.0.0/-1',
  '010.000.000.000/8',
  '%ZZ',
  '../../etc/passwd',
  '"; DROP TABLE plans; --',
  '<script>alert(1)</script>',
  '00000000-0000-0000-0000-000000000000',
  'corp',
  'prod-weu-1',
];

const HOSTILE_NUMBERS = [
  0,
  -1,
  1.5,
  2 ** 31,
  2 ** 53,
  Number.MAX_SAFE_INTEGER + 2,
  -Number.MAX_VALUE,
  Number.MAX_VALUE,
  1e-300,
];

function nested(depth: number): unknown {
  let value: unknown = { name: 'system' };
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? { nodePools: value } : [value];
  return value;
}

const hostileString = fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ maxLength: 40 }));
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileString, weight: 2 },
  { arbitrary: fc.constantFrom(...HOSTILE_NUMBERS), weight: 2 },
  // The wrong kind of value where an object, a list or a string belongs.
  {
    // JSON.parse keeps "__proto__" as an own key, so it reaches the wire.
    arbitrary: fc.constantFrom(
      null,
      true,
      false,
      [],
      {},
      [null],
      JSON.parse('{"__proto__":{"polluted":true}}'),
    ),
    weight: 4,
  },
  // Nesting far deeper than any design: whatever walks it must not run out of stack.
  { arbitrary: fc.constantFrom(nested(40), nested(2000)), weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
);

/** Valid bodies of each operation, to be broken one part at a time. */
const VALID_BODIES: Record<string, unknown[]> = {
  'POST /v1/plans': [exampleDesign()],
  'PUT /v1/plans/{id}': [exampleDesign()],
  'POST /v1/calculations': [exampleDesign()],
  'POST /v1/calculations/exports/{format}': [exampleDesign()],
  'POST /v1/calculations/map.svg': [exampleDesign()],
  'POST /v1/plan-imports': [
    {
      cluster: az.podSubnetStatic,
      subnets: ['aks-nodes', 'aks-pods', 'batch-nodes', 'batch-pods'].map((s, i) =>
        az.subnet(s, `10.${10 + i}.0.0/22`),
      ),
    },
    { cluster: az.overlayCilium, subnets: [az.subnet('aks-nodes', '10.240.0.0/22')], vnet: az.vnet },
  ],
  'POST /v1/comparisons': [{ base: exampleDesign(), variants: [{ name: 'a', changes: { nodePools: [] } }] }],
  'POST /v1/lookup': [{ ips: ['10.240.0.4', '10.0.0.10'] }],
  'POST /v1/spaces': [{ name: 'fuzz', cidrs: ['10.0.0.0/8'] }],
  'POST /v1/spaces/{id}/allocations': [{ prefixLength: 24, purpose: 'fuzz' }],
  'PUT /v1/plans/{id}/nodes/{name}': [{ pool: 'system', nodeIp: '10.240.0.4' }],
  'POST /v1/plans/{id}/node-imports': [
    {
      items: [
        {
          metadata: { name: 'n', labels: { agentpool: 'system' } },
          status: { addresses: [{ type: 'InternalIP', address: '10.240.0.4' }] },
        },
      ],
    },
  ],
};

/** Every path to a value inside `value`, as key lists. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, child]) => pathsOf(child, [...prefix, key]))];
}

/** `value` with the part at `path` replaced (or, with `drop`, removed). */
function replaced(value: unknown, path: (string | number)[], next: unknown, drop: boolean): unknown {
  if (path.length === 0) return next;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<
    string | number,
    unknown
  >;
  if (drop && rest.length === 0) delete copy[head];
  else copy[head] = replaced(copy[head], rest, next, drop);
  return copy;
}

/** A valid body with one to three parts replaced by hostile values, or removed. */
function brokenBody(valid: unknown): fc.Arbitrary<unknown> {
  const paths = pathsOf(valid);
  const change = fc.tuple(fc.constantFrom(...paths), hostileValue, fc.boolean());
  return fc
    .array(change, { minLength: 1, maxLength: 3 })
    .map((changes) => changes.reduce((body, [path, next, drop]) => replaced(body, path, next, drop), valid));
}

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly query: string[];
  readonly headers: string[];
  readonly body: boolean;
}

function operationsOf(document: { paths: Record<string, Record<string, OpenApiOperation>> }): Operation[] {
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      headers: (op.parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name),
      body: op.requestBody !== undefined,
    })),
  );
}

/** Percent-encodes a path segment; a lone surrogate becomes the invalid UTF-8 it would be. */
function encodeSegment(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return '%ED%A0%80';
  }
}

interface OpenApiOperation {
  parameters?: { in: string; name: string }[];
  requestBody?: unknown;
}

/** Hostile input reaches the handlers: the fuzzer sends the admin token (auth has its own tests). */
const ADMIN = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

/** Each backend: PostgreSQL refuses text SQLite keeps (NUL), and its errors differ. */
const BACKENDS: [string, () => Promise<{ store: Store; drop?: () => Promise<void> }>][] = [
  ['SQLite', async () => ({ store: openSqliteStore(':memory:') })],
  [
    'PostgreSQL',
    async () => {
      const db = await freshDatabase();
      return { store: await openStoreAt(db.url), drop: db.drop };
    },
  ],
];

describe.each(BACKENDS)('hostile input against every operation (%s)', (_backend, open) => {
  let app: FastifyInstance;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const opened = await open();
    drop = opened.drop;
    app = await buildApp({
      store: opened.store,
      adminToken: TEST_ADMIN_TOKEN,
      edge: TEST_EDGE,
    });
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
    await drop?.();
  });

  /**
   * A fresh plan, space and allocation for each operation (an earlier DELETE may have removed
   * the last ones): the path parameter values that reach real resources, by parameter.
   */
  async function seed(n: number, collection: 'plans' | 'spaces'): Promise<Record<string, string[]>> {
    const post = (url: string, payload: object) =>
      app.inject({ method: 'POST', url, payload, headers: ADMIN });
    const plan = await post('/v1/plans', { ...exampleDesign(), name: `seed-${n}` });
    const space = await post('/v1/spaces', { name: `space-${n}`, cidrs: [`10.${n}.0.0/16`] });
    const allocation = await post(`/v1/spaces/${space.json().id}/allocations`, {
      prefixLength: 24,
      purpose: 'seed',
    });
    return {
      id: collection === 'plans' ? [plan.json().id] : [space.json().id, `space-${n}`],
      name: ['aks-system-0'],
      allocationId: [allocation.json().id],
    };
  }

  it('answers every request below 500, and every error as problem+json with a code', async () => {
    const operations = operationsOf(app.swagger() as never);
    expect(operations.length).toBeGreaterThan(20);
    for (const [n, op] of operations.entries()) {
      const known = await seed(n, op.path.startsWith('/v1/spaces') ? 'spaces' : 'plans');
      const parameters = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '');
      const segment = (parameter: string) =>
        fc.oneof(
          { arbitrary: fc.constantFrom(...(known[parameter] ?? ['x'])), weight: 4 },
          { arbitrary: hostileString, weight: 1 },
        );
      const valid = VALID_BODIES[`${op.method} ${op.path}`] ?? [];
      const body = fc.oneof(
        { arbitrary: fc.jsonValue({ maxDepth: 4 }), weight: 1 },
        ...valid.map((v) => ({ arbitrary: brokenBody(v), weight: 6 })),
        ...valid.map((v) => ({ arbitrary: fc.constant(v), weight: 1 })),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.tuple(...parameters.map(segment)),
          fc.dictionary(fc.constantFrom(...op.query, 'extra'), hostileString, { maxKeys: 3 }),
          fc.dictionary(
            fc.constantFrom(...op.headers, 'if-none-match'),
            fc.constantFrom('"1"', '*', '', 'x'),
            {
              maxKeys: 2,
            },
          ),
          body,
          async (segments, query, headers, payload) => {
            let i = 0;
            const url = op.path.replace(/\{[^}]+\}/g, () => encodeSegment(segments[i++] ?? ''));
            const search = new URLSearchParams(query).toString();
            const json = op.body ? { 'content-type': 'application/json' } : {};
            const res = await app.inject({
              method: op.method as 'GET',
              url: search === '' ? url : `${url}?${search}`,
              headers: { ...headers, ...json, ...ADMIN },
              ...(op.body ? { payload: JSON.stringify(payload) } : {}),
            });
            const context = `${op.method} ${url} -> ${res.statusCode} ${res.body.slice(0, 300)}`;
            expect(res.statusCode, context).toBeLessThan(500);
            if (res.statusCode >= 400) {
              expect(res.headers['content-type'], context).toMatch(/^application\/problem\+json/);
              expect(res.json().code, context).toMatch(/^[A-Z][A-Z0-9_]+$/);
            }
          },
        ),
        { numRuns: 2000, interruptAfterTimeLimit: 1100, markInterruptAsFailure: false },
      );
    }
  }, 120_000);
});
