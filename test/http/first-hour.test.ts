import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../src/http/error-catalogue.js';
import { VERSION } from '../../src/http/version.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import { testApp, useTestApp } from './support/app.js';
import { answerWhileClosing } from './support/closing.js';

const ctx = useTestApp();

describe('GET /', () => {
  it('sends a browser to the Swagger UI', async () => {
    const res = await ctx.request.get('/').set('accept', 'text/html,application/xhtml+xml,*/*;q=0.8');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/docs');
  });

  it('gives an API client an index with links', async () => {
    const res = await ctx.request.get('/').set('accept', 'application/json');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      name: 'aks-ip-planner',
      version: VERSION,
      links: expect.objectContaining({
        docs: '/docs',
        openapiJson: '/openapi.json',
        openapiYaml: '/openapi.yaml',
        health: '/healthz',
      }),
    });
    for (const link of Object.values(res.body.links as Record<string, string>)) {
      expect((await ctx.request.get(link)).status, link).toBeLessThan(400);
    }
  });
});

describe('GET /problems/{code}', () => {
  it('explains every type a problem body points at, for API clients and for browsers', async () => {
    const res = await ctx.request
      .post('/v1/calculations')
      .send({ network: { nodeSubnet: '10.0.0.1/24' }, nodePools: [{ name: 'system', nodeCount: 1 }] });
    expect(res.body.type).toBe('/problems/cidr-host-bits-set');

    const json = await ctx.request.get(res.body.type);
    expect(json.body).toEqual({
      type: '/problems/cidr-host-bits-set',
      code: 'CIDR_HOST_BITS_SET',
      status: 422,
      title: 'CIDR with host bits set',
      fix: 'Use the network address the message suggests (10.240.0.5/24 is 10.240.0.0/24).',
    });
    const html = await ctx.request.get('/problems/CIDR_HOST_BITS_SET').set('accept', 'text/html');
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.text).toContain('<h1>CIDR with host bits set</h1>');
    expect(html.text).toContain('HTTP 422');
  });

  it('lists every code, and answers 404 problem+json for one it does not know', async () => {
    const list = await ctx.request.get('/problems');
    expect(list.body).toHaveLength(CATALOGUE.length);
    const unknown = await ctx.request.get('/problems/no-such-thing');
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

describe('the API document', () => {
  it('is served as JSON and as YAML, the same document', async () => {
    const json = await ctx.request.get('/openapi.json');
    const yaml = await ctx.request.get('/openapi.yaml');
    expect(yaml.headers['content-type']).toMatch(/^application\/yaml/);
    expect(yaml.text).toContain(`version: ${VERSION}`);
    expect(json.body.info.version).toBe(VERSION);
    expect(json.body.paths['/v1/plans'].post.requestBody.content['application/json'].examples).toBeDefined();
  });
});

describe('request ids and logs', () => {
  async function appWithLog() {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const { app, request } = await testApp(openSqliteStore(':memory:'), {
      logger: { level: 'debug', stream },
    });
    return { app, request, lines };
  }

  it('echoes a client X-Request-Id, or makes one, on every answer and in the log line', async () => {
    const { app, request, lines } = await appWithLog();
    try {
      const given = await request.get('/v1/plans').set('x-request-id', 'trace-42');
      expect(given.headers['x-request-id']).toBe('trace-42');
      const made = await request.get('/v1/nothing');
      expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      const hostile = await request.get('/v1/plans').set('x-request-id', 'a b<script>');
      expect(hostile.headers['x-request-id']).not.toBe('a b<script>');

      const line = lines.find((l) => l.reqId === 'trace-42' && l.msg === 'request');
      expect(line).toMatchObject({ level: 30, method: 'GET', url: '/v1/plans', status: 200 });
      const notFound = lines.find((l) => l.reqId === made.headers['x-request-id'] && l.msg === 'request');
      expect(notFound).toMatchObject({ status: 404, problem: 'ROUTE_NOT_FOUND' });
    } finally {
      await app.close();
    }
  });

  it('echoes X-Request-Id on refusals from every layer: router, hooks, body, schema, handler', async () => {
    const { app, request } = await appWithLog();
    try {
      const refusals = [
        request.get('/v1/plans/%E0%A4%A'), // the router: a URL that does not decode
        request.get('/v1/plans?name=%00'), // a hook: NUL in the URL
        request.get('/v1/plans').set('authorization', 'Bearer nope'), // the auth hook
        request.post('/v1/plans').set('content-type', 'text/plain').send('x'), // the body parser
        request.post('/v1/plans').set('content-encoding', 'gzip').send({}), // a hook on the body
        request.post('/v1/plans').send({}), // the schema
        request.get('/v1/plans/nothing-here'), // the handler
        request.patch('/v1/plans'), // a known path, another method
      ];
      for (const [i, refused] of (
        await Promise.all(refusals.map((r, k) => r.set('x-request-id', `r-${k}`)))
      ).entries()) {
        expect(refused.status, `refusal ${i}`).toBeGreaterThanOrEqual(400);
        expect(refused.headers['x-request-id'], `refusal ${i} (${refused.status})`).toBe(`r-${i}`);
      }
    } finally {
      await app.close();
    }
  });

  it('logs the 503 of a replica shutting down at info: it is planned, not a failure', async () => {
    const { app, lines } = await appWithLog();
    expect(await answerWhileClosing(app)).toMatch(/^http\/1.1 503 /);
    const line = lines.find((l) => l.msg === 'request' && l.problem === 'SHUTTING_DOWN');
    expect(line).toMatchObject({ level: 30, status: 503 });
  });

  it('logs probes and the Swagger UI files at debug, other requests at info', async () => {
    const { app, request, lines } = await appWithLog();
    try {
      await request.get('/healthz').set('x-request-id', 'probe-1');
      await request.get('/v1/plans').set('x-request-id', 'api-1');
      const level = (id: string) => lines.find((l) => l.reqId === id && l.msg === 'request')?.level;
      expect(level('probe-1')).toBe(20);
      expect(level('api-1')).toBe(30);
    } finally {
      await app.close();
    }
  });
});
