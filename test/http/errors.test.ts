import { connect } from 'node:net';
import type { FastifyInstance } from 'fastify';
import supertest from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import { TEST_ADMIN_TOKEN, type TestApp, testApp, useTestApp } from './support/app.js';
import { exampleDesign, smallDesign } from './support/designs.js';
import { expectProblem, problem } from './support/problems.js';

const ctx = useTestApp();

/** The head and body of the answer to a raw request, sent on a socket of its own. */
async function rawAnswer(app: FastifyInstance, raw: string): Promise<{ head: string; body: string }> {
  if (!app.server.listening) await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('listening on a port');
  const answer = await new Promise<string>((resolve, reject) => {
    const socket = connect(address.port, '127.0.0.1', () => socket.write(raw));
    let data = '';
    socket.on('data', (chunk) => {
      data += chunk;
    });
    socket.on('close', () => resolve(data));
    socket.on('error', reject);
  });
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  return { head, body };
}

describe('unknown routes', () => {
  it('answers 404 ROUTE_NOT_FOUND as problem+json', async () => {
    const res = await ctx.request.get('/v1/nothing-here?x=1');

    expectProblem(
      res,
      problem(404, 'ROUTE_NOT_FOUND', 'no route GET /v1/nothing-here', '/v1/nothing-here?x=1'),
    );
  });

  it('answers 405 METHOD_NOT_ALLOWED, with Allow, for a method a known path does not take', async () => {
    const res = await ctx.request.patch('/v1/plans').send({});

    const detail = '/v1/plans does not take PATCH: it takes GET, HEAD, POST';
    expectProblem(res, problem(405, 'METHOD_NOT_ALLOWED', detail, '/v1/plans'));
    expect(res.headers.allow).toBe('GET, HEAD, POST');
    const onePlan = await ctx.request.post('/v1/plans/prod-weu-1').send({});
    expect([onePlan.status, onePlan.headers.allow]).toEqual([405, 'DELETE, GET, HEAD, PUT']);
    expect((await ctx.request.post('/healthz')).headers.allow).toBe('GET, HEAD');
    // A path no route has stays 404, whatever the method (CORS's OPTIONS on every path included).
    expect((await ctx.request.delete('/v1/nothing-here')).status).toBe(404);
    // A trailing slash makes another path, which no route has: 404, not a 405 naming the method used.
    for (const [method, path] of [
      ['get', '/v1/plans/prod-weu-1/'],
      ['post', '/v1/plans/'],
      ['get', '/healthz/'],
      ['get', '/v1/lookup/'],
      // Matched as an empty id by the router: still no such path, before a token is asked for.
      ['get', '/v1/plans/'],
      ['delete', '/v1/plans/'],
      ['get', '/v1/spaces/'],
      ['get', '/v1/plans//nodes'],
    ] as const) {
      const res = await ctx.request[method](path);
      expect([path, res.status, res.body.code]).toEqual([path, 404, 'ROUTE_NOT_FOUND']);
      const anonymous = await supertest(ctx.app.server)[method](path);
      expect([path, anonymous.status]).toEqual([path, 404]);
    }
    // Swagger UI's own files sit under a wildcard that may be empty.
    expect((await ctx.request.get('/docs/')).status).toBe(200);
  });

  it("answers a path out of Swagger UI's folder as no route, and a range past a file as 416", async () => {
    for (const path of ['/docs/static/../../v1/plans', '/docs/static/%2e%2e/package.json']) {
      const res = await ctx.request.get(path);
      expectProblem(res, problem(404, 'ROUTE_NOT_FOUND', `no route GET ${path}`, path));
    }
    const range = await ctx.request.get('/docs/static/swagger-ui.css').set('range', 'bytes=99999999-');
    expect([range.status, range.body.code, range.body.status]).toEqual([416, 'RANGE_NOT_SATISFIABLE', 416]);
    const whole = await ctx.request.get('/docs/static/swagger-ui.css');
    expect(range.headers['content-range']).toBe(`bytes */${whole.headers['content-length']}`);
  });
});

describe('whole numbers in queries and paths', () => {
  it.each([
    ['/v1/plans?limit=0x10', 'limit'],
    ['/v1/plans?limit=1e1', 'limit'],
    ['/v1/plans?limit=%205', 'limit'],
    ['/v1/plans?limit=', 'limit'],
    ['/v1/plans?limit=1&limit=2', 'limit'],
    ['/v1/lookup?ip=10.0.0.1&limitPerIp=0x2', 'limitPerIp'],
    ['/v1/plans/x/revisions/1e0', 'revision'],
  ])('refuses %s: 400 at %s, not what Number() reads into it', async (url, path) => {
    const res = await ctx.request.get(url);

    expect([res.status, res.body.errors]).toEqual([
      400,
      [{ path, code: 'INVALID_TYPE', message: 'expected a whole number in decimal digits' }],
    ]);
  });

  it.each([
    ['/v1/plans?limit=999', 'Too big: expected number to be <=200'],
    ['/v1/plans?limit=10000000000000000', expect.stringContaining('Too big')],
  ])('refuses %s as out of range, with the bound in the message', async (url, message) => {
    const res = await ctx.request.get(url);

    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toEqual({ path: 'limit', code: 'VALUE_OUT_OF_RANGE', message });
  });

  it('reads decimal digits as the number, and a missing one as its default', async () => {
    expect((await ctx.request.get('/v1/plans?limit=07')).status).toBe(200);
    expect((await ctx.request.get('/v1/plans')).status).toBe(200);
  });
});

describe('request bodies', () => {
  it('refuses malformed JSON: 400 MALFORMED_JSON, saying where it stops being JSON', async () => {
    for (const [body, reason] of [
      ['{"name": ', 'Unexpected end of JSON input'],
      ['{"name": "x",, "nodePools": []}', 'position 13'],
    ]) {
      const res = await ctx.request.post('/v1/plans').set('content-type', 'application/json').send(body);
      const detail = expect.stringMatching(new RegExp(`^the body is not valid JSON: .*${reason}`));
      expectProblem(
        res,
        problem(400, 'MALFORMED_JSON', detail, '/v1/plans', [
          { code: 'MALFORMED_JSON', path: '', message: detail },
        ]),
      );
    }
  });

  it.each([
    ['{"__proto__":{"polluted":true},"name":"x"}', '__proto__'],
    ['{"name":"x","nodePools":[{"constructor":{"prototype":{}}}]}', 'nodePools[0].constructor'],
    ['{"name":"x","\\u005f_proto__":{}}', '__proto__'],
  ])(
    'refuses valid JSON holding a prototype key %s: 400 KEY_FORBIDDEN at %s, nothing stored',
    async (body, path) => {
      const res = await ctx.request.post('/v1/plans').set('content-type', 'application/json').send(body);

      expect([res.status, res.body.code, res.body.errors]).toEqual([
        400,
        'KEY_FORBIDDEN',
        [{ path, code: 'KEY_FORBIDDEN', message: expect.stringContaining('is refused in every body') }],
      ]);
      expect((await ctx.request.get('/v1/plans')).body.items).toEqual([]);
    },
  );

  it('refuses a body that is not UTF-8: 400 MALFORMED_JSON at the first bad byte, nothing stored', async () => {
    // Latin-1 é, and a surrogate encoded as if it were a character: decoded, both became U+FFFD.
    for (const bad of [[0xe9], [0xed, 0xa0, 0x80]]) {
      const body = Buffer.concat([
        Buffer.from('{"name":"corp","cidrs":["10.0.0.0/8"],"description":"caf'),
        Buffer.from(bad),
        Buffer.from('"}'),
      ]);
      // As bytes: supertest would send a Buffer as JSON of its own.
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/v1/spaces',
        payload: body,
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      });
      const detail = 'the body is not valid JSON: it is not UTF-8 (RFC 8259), from the byte at offset 56';
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toEqual(
        problem(400, 'MALFORMED_JSON', detail, '/v1/spaces', [
          { code: 'MALFORMED_JSON', path: '', message: detail },
        ]),
      );
    }
    expect((await ctx.request.get('/v1/spaces')).body.items).toEqual([]);
  });

  it('refuses a query parameter a route does not declare: 400 UNKNOWN_FIELD naming it, nothing stored', async () => {
    // A misspelt preview (plan imports take dryRun; plans take none) must not store the plan.
    const created = await ctx.request.post('/v1/plans?dryrun=true').send(smallDesign('typo'));
    expect([created.status, created.body.code, created.body.errors]).toEqual([
      400,
      'UNKNOWN_FIELD',
      [expect.objectContaining({ path: 'dryrun', code: 'UNKNOWN_FIELD' })],
    ]);
    expect((await ctx.request.get('/v1/plans')).body.items).toEqual([]);
    await ctx.request.post('/v1/plans').send(smallDesign('kept')).expect(201);
    for (const url of [
      '/v1/plans/kept?x=1',
      '/v1/plans/kept/capacity?verbose',
      '/v1/plans/kept/map.svg?theme=dark',
    ]) {
      const res = await ctx.request.get(url);
      expect([res.status, res.body.code], url).toEqual([400, 'UNKNOWN_FIELD']);
    }
    expect((await ctx.request.get('/v1/plans/kept/capacity')).status).toBe(200);
    // Outside the API, a probe's or a cache-buster's query is taken and ignored.
    for (const url of ['/healthz?verbose=1', '/openapi.json?v=2'])
      expect((await ctx.request.get(url)).status, url).toBe(200);
  });

  it('refuses an empty JSON body: 400 MALFORMED_JSON', async () => {
    const res = await ctx.request.post('/v1/lookup').set('content-type', 'application/json').send('');

    const detail = 'the body is not valid JSON: it is empty';
    expectProblem(
      res,
      problem(400, 'MALFORMED_JSON', detail, '/v1/lookup', [
        { code: 'MALFORMED_JSON', path: '', message: detail },
      ]),
    );
  });

  it('answers a DELETE sent with a JSON content type and no body as one sent without', async () => {
    await ctx.request.post('/v1/plans').send(smallDesign('gone')).expect(201);
    const res = await ctx.request.delete('/v1/plans/gone').set('content-type', 'application/json').send('');
    expect(res.status, res.text).toBe(204);
    expect((await ctx.request.get('/v1/plans/gone')).status).toBe(404);
  });

  it('refuses a body over the route limit: 413 BODY_TOO_LARGE, nothing stored', async () => {
    const huge = JSON.stringify({ ...smallDesign('huge'), padding: 'x'.repeat(1024 * 1024) });

    const res = await ctx.request.post('/v1/plans').set('content-type', 'application/json').send(huge);

    expectProblem(res, problem(413, 'BODY_TOO_LARGE', expect.any(String), '/v1/plans'));
    expect((await ctx.request.get('/v1/plans')).body).toEqual({ items: [], nextCursor: null });
  });

  it.each([
    ['/v1/plans', 'post', 256 * 1024],
    ['/v1/calculations', 'post', 256 * 1024],
    ['/v1/spaces', 'post', 64 * 1024],
    ['/v1/spaces/any/allocations', 'post', 16 * 1024],
    ['/v1/plans/any/nodes/n1', 'put', 16 * 1024],
    ['/v1/lookup', 'post', 1024 * 1024],
  ] as const)('%s takes at most its own limit (%s, %i bytes)', async (path, method, limit) => {
    const body = (size: number) => `{"padding":"${'x'.repeat(size - 14)}"}`;
    expect(body(limit)).toHaveLength(limit);
    const over = await ctx.request[method](path)
      .set('content-type', 'application/json')
      .send(body(limit + 1));
    expect(over.status).toBe(413);
    const at = await ctx.request[method](path).set('content-type', 'application/json').send(body(limit));
    expect(at.status).not.toBe(413);
  });

  it('refuses a body that is not JSON (application/xml): 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const res = await ctx.request.post('/v1/plans').set('content-type', 'application/xml').send('<plan/>');

    const detail = 'Content-Type "application/xml" is not accepted here: send application/json';
    expectProblem(
      res,
      problem(415, 'UNSUPPORTED_MEDIA_TYPE', detail, '/v1/plans', [
        { code: 'UNSUPPORTED_MEDIA_TYPE', path: 'content-type', message: detail },
      ]),
    );
  });

  it('refuses a body that is not JSON (text/plain): 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const res = await ctx.request
      .post('/v1/plans')
      .set('content-type', 'text/plain')
      .send(JSON.stringify(exampleDesign()));

    expect([res.status, res.body.errors[0].path]).toEqual([415, 'content-type']);
    expect((await ctx.request.get('/v1/plans')).body).toEqual({ items: [], nextCursor: null });
  });

  it.each(['latin1', 'UTF-16', '"iso-8859-1"'])(
    'refuses JSON sent as charset=%s: 415 naming the charset, storing nothing',
    async (charset) => {
      const res = await ctx.request
        .post('/v1/plans')
        .set('content-type', `application/json; charset=${charset}`)
        .send(JSON.stringify(exampleDesign()));

      expect([res.status, res.body.code, res.body.errors[0].path]).toEqual([
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'content-type',
      ]);
      expect(res.body.detail).toContain(charset.replaceAll('"', '').toLowerCase());
      expect((await ctx.request.get('/v1/plans')).body.items).toEqual([]);
    },
  );

  it.each(['utf-8', 'UTF-8', 'utf8', '"utf-8"', 'us-ascii', 'US-ASCII'])(
    'takes JSON sent as charset=%s',
    async (charset) => {
      const res = await ctx.request
        .post('/v1/plans')
        .set('content-type', `application/json; charset=${charset}`)
        .send(JSON.stringify(exampleDesign()));
      expect(res.status).toBe(201);
    },
  );

  it.each([
    'application/x-ndjson; charset=latin1',
    'text/plain; charset=utf-16',
    'text/csv; charset="iso-8859-1"',
  ])(
    'refuses a streamed lookup sent as %s: 415, as a JSON body is, where it would be read as UTF-8',
    async (type) => {
      const res = await ctx.request.post('/v1/lookup').set('content-type', type).send('10.0.0.1\n');
      expect([res.status, res.body.code, res.body.errors[0].path]).toEqual([
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'content-type',
      ]);
      expect(res.body.detail).toBe(
        `a streamed lookup body is UTF-8, not charset=${type.split('=')[1]?.replaceAll('"', '')}: send it as UTF-8`,
      );
      const utf8 = await ctx.request
        .post('/v1/lookup')
        .set('content-type', type.replace(/charset=.*/, 'charset=utf-8'))
        .send('ip\n10.0.0.1\n');
      expect(utf8.status).toBe(200);
    },
  );

  it('refuses a compressed body: 415 UNSUPPORTED_MEDIA_TYPE, not a parse error', async () => {
    const res = await ctx.request
      .post('/v1/plans')
      .set('content-type', 'application/json')
      .set('content-encoding', 'gzip')
      .send(JSON.stringify(exampleDesign()));

    expectProblem(
      res,
      problem(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'Content-Encoding "gzip" is not accepted: send the body uncompressed',
        '/v1/plans',
      ),
    );
    const identity = await ctx.request
      .post('/v1/plans')
      .set('content-encoding', 'identity')
      .send(exampleDesign());
    expect(identity.status).toBe(201);
    // A request without a body has nothing encoded.
    expect((await ctx.request.get('/v1/plans').set('content-encoding', 'gzip')).status).toBe(200);
  });
});

describe('every error is application/problem+json with type, title, status, detail and code', () => {
  const cases: [string, (t: TestApp) => Promise<import('supertest').Response>][] = [
    ['unknown route', (t) => t.request.get('/nope')],
    ['malformed JSON', (t) => t.request.post('/v1/plans').set('content-type', 'application/json').send('{')],
    [
      'unsupported media type',
      (t) => t.request.post('/v1/plans').set('content-type', 'application/xml').send('<a/>'),
    ],
    [
      'body too large',
      (t) =>
        t.request
          .post('/v1/lookup')
          .set('content-type', 'application/json')
          .send(`"${'x'.repeat(1_100_000)}"`),
    ],
    ['invalid body', (t) => t.request.post('/v1/plans').send({ name: 1 })],
    ['invalid design', (t) => t.request.post('/v1/plans').send(smallDesign('bad', '10.240.0.1/24'))],
    ['invalid query', (t) => t.request.get('/v1/plans?limit=abc')],
    ['invalid cursor', (t) => t.request.get('/v1/plans?cursor=abc')],
    ['plan not found', (t) => t.request.get('/v1/plans/unknown')],
    ['if-match required', (t) => t.request.put('/v1/plans/unknown').send(smallDesign('x'))],
    ['invalid ip', (t) => t.request.get('/v1/lookup?ip=nope')],
  ];

  for (const [name, send] of cases) {
    it(name, async () => {
      const res = await send(ctx);

      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({
        type: expect.stringMatching(/^\/problems\/[a-z]+(-[a-z]+)*$/),
        title: expect.any(String),
        status: res.status,
        detail: expect.any(String),
        code: expect.stringMatching(/^[A-Z]+(_[A-Z]+)*$/),
      });
    });
  }
});

describe('internal errors', () => {
  let broken: TestApp | undefined;
  afterEach(async () => {
    await broken?.app.close();
    broken = undefined;
  });

  it('answers 500 INTERNAL_ERROR without revealing the cause', async () => {
    const store = openSqliteStore(':memory:');
    store.getPlan = async () => {
      throw new Error('SQLITE_CORRUPT: database disk image is malformed at /var/lib/secret/plans.db');
    };
    broken = await testApp(store);

    const res = await broken.request.get('/v1/plans/any-id');

    expectProblem(
      res,
      problem(500, 'INTERNAL_ERROR', 'an unexpected error occurred; it has been logged', '/v1/plans/any-id'),
    );
    expect(res.text).not.toMatch(/SQLITE|secret|stack|at /i);
  });
});

describe('errors the router and the HTTP parser raise', () => {
  it('answers a path that is not valid percent-encoding with 400 URL_INVALID', async () => {
    const res = await ctx.request.get('/v1/plans/%ZZ');

    expectProblem(
      res,
      problem(400, 'URL_INVALID', 'the path is not valid percent-encoded text', '/v1/plans/%ZZ', [
        { code: 'URL_INVALID', path: 'path', message: 'the path is not valid percent-encoded text' },
      ]),
    );
  });

  it('answers a path parameter over 2,048 characters with 414 URI_TOO_LONG', async () => {
    const long = `/v1/plans/${'a'.repeat(2100)}`;

    const res = await ctx.request.get(long);

    expectProblem(
      res,
      problem(414, 'URI_TOO_LONG', 'a path parameter is longer than 2,048 characters', long, [
        { code: 'URI_TOO_LONG', path: 'path', message: 'a path parameter is longer than 2,048 characters' },
      ]),
    );
  });

  it.each([
    [
      'a header section over the limit',
      `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
      'HEADERS_TOO_LARGE',
    ],
    ['a request that is not HTTP', 'NOT HTTP AT ALL\r\n\r\n', 400, 'BAD_REQUEST'],
    [
      'an expectation it cannot meet',
      'GET /healthz HTTP/1.1\r\nHost: x\r\nExpect: foo\r\nConnection: close\r\n\r\n',
      417,
      'EXPECTATION_FAILED',
    ],
  ])('answers %s with problem+json on the socket', async (_what, raw, status, code) => {
    const { head, body } = await rawAnswer(ctx.app, raw);
    expect(head).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
    expect(head).toContain('Content-Type: application/problem+json');
    // Every answer carries a request id and the security headers, these too.
    expect(head).toMatch(/\r\nX-Request-Id: [0-9a-f-]{36}\r\n/i);
    expect(head).toMatch(/\r\nX-Frame-Options: DENY\r\n/i);
    expect(head).toMatch(/\r\nContent-Security-Policy: default-src 'none';frame-ancestors 'none'\r\n/i);
    expect(JSON.parse(body)).toMatchObject({
      status,
      code,
      type: `/problems/${code.toLowerCase().replaceAll('_', '-')}`,
    });
  });
});

describe('ambiguous requests', () => {
  const ctx = useTestApp();

  it('answers an HTTP/1.1 request without Host with a problem, not an empty 400', async () => {
    const { head, body } = await rawAnswer(ctx.app, 'GET /v1/plans HTTP/1.1\r\nConnection: close\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1.1 400 /);
    expect(head.toLowerCase()).toContain('content-type: application/problem+json');
    expect(JSON.parse(body)).toMatchObject({ code: 'BAD_REQUEST', detail: expect.stringContaining('Host') });
  });

  it('takes two Authorization headers for no token: a proxy reading the other would see another caller', async () => {
    const { token } = (await ctx.request.post('/v1/tokens').send({ name: 'r', scopes: ['read'] })).body;
    const twice = `GET /v1/plans HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nAuthorization: Bearer other\r\nConnection: close\r\n\r\n`;
    expect((await rawAnswer(ctx.app, twice)).head).toMatch(/^HTTP\/1.1 401 /);
    const once = `GET /v1/plans HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`;
    expect((await rawAnswer(ctx.app, once)).head).toMatch(/^HTTP\/1.1 200 /);
  });
});

describe('deeply nested bodies', () => {
  it('refuses a body nested deeper than 32 levels with 422 NESTING_TOO_DEEP, naming where', async () => {
    const changes = `${'{"nodePools":'.repeat(5000)}{}${'}'.repeat(5000)}`;
    const body = `{"base":${JSON.stringify(smallDesign('deep'))},"variants":[{"name":"deep","changes":${changes}}]}`;
    const res = await ctx.request.post('/v1/comparisons').set('content-type', 'application/json').send(body);

    const path = `variants[0].changes${'.nodePools'.repeat(29)}`;
    expectProblem(
      res,
      problem(422, 'NESTING_TOO_DEEP', `the body nests deeper than 32 levels at ${path}`, '/v1/comparisons', [
        { path, code: 'NESTING_TOO_DEEP', message: `the body nests deeper than 32 levels at ${path}` },
      ]),
    );
  });

  it('accepts a kubectl document as deep as real ones', async () => {
    const plan = await ctx.request.post('/v1/plans').send(smallDesign('kube'));
    const managedFields = { a: { b: { c: { d: { e: { f: { g: { h: 'x' } } } } } } } };
    const item = {
      metadata: { name: 'n', labels: { agentpool: 'system' }, managedFields: [managedFields] },
      status: { addresses: [{ type: 'InternalIP', address: '10.240.0.4' }] },
    };
    const res = await ctx.request.post(`/v1/plans/${plan.body.id}/node-imports`).send({ items: [item] });
    expect(res.status).toBe(200);
  });
});

describe('schema errors and design problems in one answer', () => {
  it('lists the design rules broken by the rest of a body the schema refused', async () => {
    const res = await ctx.request.post('/v1/calculations').send({
      network: { serviceCidr: '172.30.0.0/16', dnsServiceIp: '172.30.0.10' },
      nodePools: [
        { name: 'system', nodeCount: 3, maxpods: 30 },
        { name: 'Bad_Name', nodeCount: 1 },
      ],
    });

    expect(res.status).toBe(422);
    expect(res.body.code).toBe('UNKNOWN_FIELD');
    expect(res.body.errors.map((e: { code: string; path: string }) => [e.code, e.path])).toEqual([
      ['UNKNOWN_FIELD', 'nodePools[0].maxpods'],
      ['POOL_NAME_INVALID', 'nodePools[1].name'],
      ['RANGE_FORBIDDEN', 'network.serviceCidr'],
    ]);
  });

  it("lists the design's problems beside a missing plan name, which no other rule reads", async () => {
    const res = await ctx.request.post('/v1/plans').send({
      network: {
        plugin: 'azure-cni-node-subnet',
        nodeSubnet: '10.240.0.1/24',
        serviceCidr: '169.254.0.0/16',
      },
      nodePools: [{ name: 'Bad_Name', nodeCount: 3, maxPods: 5000 }],
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('FIELD_REQUIRED');
    expect(res.body.errors.map((e: { code: string; path: string }) => [e.code, e.path])).toEqual([
      ['FIELD_REQUIRED', 'name'],
      ['POOL_NAME_INVALID', 'nodePools[0].name'],
      ['MAX_PODS_OUT_OF_RANGE', 'nodePools[0].maxPods'],
      ['CIDR_HOST_BITS_SET', 'network.nodeSubnet'],
      ['RANGE_FORBIDDEN', 'network.serviceCidr'],
    ]);
    expect((await ctx.request.get('/v1/plans')).body.items).toEqual([]);
  });

  it('plans nothing when a refused field chooses the rules for the others (the plugin)', async () => {
    const res = await ctx.request.post('/v1/calculations').send({
      network: { plugin: 'azure-cni-pod-subnett', nodeSubnet: '10.0.0.0/24', podSubnet: '10.1.0.0/16' },
      nodePools: [{ name: 'system', nodeCount: 3 }],
    });
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['network.plugin']);
  });

  it('leaves out what lies under a refused field, and plans nothing when a required one is refused', async () => {
    const optional = await ctx.request.post('/v1/plans').send({
      name: 'ok-name',
      network: { plugin: 'azure-cni-node-subnet', nodeSubnet: 'nope', serviceCidr: 7 },
      nodePools: [{ name: 'system', nodeCount: 3 }],
    });
    expect(optional.body.errors.map((e: { path: string }) => e.path)).toEqual([
      'network.serviceCidr',
      'network.nodeSubnet',
    ]);
    const required = await ctx.request.post('/v1/plans').send({
      name: 'BAD NAME',
      nodePools: [{ name: 'system', nodeCount: '3' }],
    });
    expect(required.body.errors.map((e: { code: string; path: string }) => [e.code, e.path])).toEqual([
      ['INVALID_TYPE', 'nodePools[0].nodeCount'],
    ]);
    expect((await ctx.request.get('/v1/plans')).body.items).toEqual([]);
  });
});

describe('fields that take two shapes', () => {
  it('say which types would do, and name the field inside the shape the value has', async () => {
    const plan = (maxSurge: unknown, nodeSubnet: unknown = '10.240.0.0/24') =>
      ctx.request.post('/v1/plans').send({
        name: 'two-shapes',
        network: { plugin: 'azure-cni-node-subnet', nodeSubnet },
        nodePools: [{ name: 'system', nodeCount: 3, maxSurge }],
      });
    for (const [surge, received] of [
      [true, 'boolean'],
      [[], 'array'],
      [null, 'null'],
    ] as const) {
      const res = await plan(surge);
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([
        {
          code: 'INVALID_TYPE',
          path: 'nodePools[0].maxSurge',
          message: `Invalid input: expected number or string, received ${received}`,
        },
      ]);
    }
    const space = await plan(1, { fromSpace: 'corp', headroomPercent: 1.5 });
    expect(space.status).toBe(422);
    expect(space.body.errors.map((e: { code: string; path: string }) => [e.code, e.path])).toEqual([
      ['INVALID_TYPE', 'network.nodeSubnet.headroomPercent'],
    ]);
  });
});

describe('a batch lookup with items of the wrong type', () => {
  it('names every bad address at its index, besides the items that are no strings', async () => {
    const res = await ctx.request.post('/v1/lookup').send({ ips: ['10.240.0.8', 'bad', '10.240.0.9', 5] });

    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { code: string; path: string }) => [e.code, e.path])).toEqual([
      ['INVALID_TYPE', 'ips[3]'],
      ['IP_INVALID', 'ips[1]'],
    ]);
  });
});
