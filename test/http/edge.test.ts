import { afterEach, describe, expect, it } from 'vitest';
import type { EdgeOptions } from '../../src/http/edge.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import { TEST_EDGE, type TestApp, testApp } from './support/app.js';
import { answerWhileClosing } from './support/closing.js';

const apps: TestApp[] = [];
afterEach(async () => {
  for (const { app } of apps.splice(0)) await app.close();
});

async function withEdge(edge: Partial<EdgeOptions>): Promise<TestApp> {
  const made = await testApp(openSqliteStore(':memory:'), { edge: { ...TEST_EDGE, ...edge } });
  apps.push(made);
  return made;
}

const PORTAL = 'https://portal.example';

describe('security headers', () => {
  it('are sent on API answers and errors: nothing may be loaded or framed', async () => {
    const { request } = await withEdge({});
    for (const path of ['/v1/plans', '/v1/nothing', '/healthz', '/problems/forbidden']) {
      const res = await request.get(path);
      expect(res.headers['x-content-type-options'], path).toBe('nosniff');
      expect(res.headers['content-security-policy'], path).toBe("default-src 'none';frame-ancestors 'none'");
      expect(res.headers['strict-transport-security'], path).toBeDefined();
      expect(res.headers['x-frame-options'], path).toBe('DENY');
      expect(res.headers['x-xss-protection'], path).toBeUndefined(); // for old browsers rendering documents
    }
  });

  it("are sent on refusals of the first checks too: the router's, a NUL, an empty path parameter, a gzip body", async () => {
    const { request } = await withEdge({ corsOrigins: [PORTAL] });
    const refusals = [
      request.get('/v1/plans%00'),
      request.get('/v1/plans/'),
      request.get('/v1/plans/%zz'), // the router's own refusals: no hook runs
      request.get(`/v1/plans/${'a'.repeat(3000)}`),
      request.post('/v1/calculations').set('content-encoding', 'gzip').send('{}'),
    ];
    for (const res of await Promise.all(refusals)) {
      expect(res.status, res.text).toBeGreaterThanOrEqual(400);
      expect(res.headers['content-security-policy'], res.text).toBe(
        "default-src 'none';frame-ancestors 'none'",
      );
      expect(res.headers['x-frame-options'], res.text).toBe('DENY');
    }
    // A portal can read why: the refusal carries CORS too, the router's as the plugin sets it.
    const cors = await request.get('/v1/plans%00').set('origin', PORTAL);
    expect(cors.headers['access-control-allow-origin']).toBe(PORTAL);
    const router = await request.get('/v1/plans/%zz').set('origin', PORTAL);
    for (const name of ['access-control-allow-origin', 'access-control-expose-headers', 'vary'])
      expect(router.headers[name], name).toBe(cors.headers[name]);
    const other = await request.get('/v1/plans/%zz').set('origin', 'https://elsewhere.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('are sent on the 503 of a replica shutting down', async () => {
    const { app } = await withEdge({});
    const answer = await answerWhileClosing(app);
    expect(answer).toMatch(/^http\/1.1 503 /);
    expect(answer).toContain('"code":"shutting_down"');
    expect(answer).toContain("\r\ncontent-security-policy: default-src 'none';frame-ancestors 'none'\r\n");
  });

  it('give Swagger UI the policy it renders under: scripts, styles and images from the service', async () => {
    const { request } = await withEdge({});
    for (const path of ['/docs/', '/docs/static/swagger-initializer.js']) {
      const res = await request.get(path);
      expect(res.headers['content-security-policy'], path).toContain("script-src 'self'");
      expect(res.headers['content-security-policy'], path).toContain("default-src 'self'");
      expect(res.headers['x-frame-options'], path).toBe('SAMEORIGIN');
    }
  });
});

describe('CORS', () => {
  it('answers a preflight from a configured origin, with the headers a portal sends', async () => {
    const { request } = await withEdge({ corsOrigins: [PORTAL] });
    const res = await request
      .options('/v1/plans')
      .set('origin', PORTAL)
      .set('access-control-request-method', 'POST')
      .set('access-control-request-headers', 'authorization, content-type');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(PORTAL);
    expect(res.headers['access-control-allow-headers']).toContain('authorization');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('lets the portal read ETag, Location, Link, Retry-After and its rate limit, also on a 401', async () => {
    const { request, app } = await withEdge({ corsOrigins: [PORTAL] });
    const res = await request
      .post('/v1/spaces')
      .set('origin', PORTAL)
      .send({ name: 'corp', cidrs: ['10.0.0.0/8'] });
    expect(res.status).toBe(201);
    expect(res.headers['access-control-allow-origin']).toBe(PORTAL);
    expect(res.headers['access-control-expose-headers']).toBe(
      'ETag, Location, Link, Retry-After, X-Request-Id, Idempotent-Replayed, Content-Disposition, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset',
    );
    const refused = await app.inject({ method: 'GET', url: '/v1/plans', headers: { origin: PORTAL } });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['access-control-allow-origin']).toBe(PORTAL);
  });

  it('answers an OPTIONS that is no complete preflight as without CORS: 405 problem+json, security headers', async () => {
    const { request } = await withEdge({ corsOrigins: [PORTAL] });
    for (const res of [
      await request.options('/v1/plans'),
      await request.options('/v1/plans').set('origin', PORTAL),
      await request.options('/v1/plans').set('access-control-request-method', 'POST'),
    ]) {
      expect([res.status, res.body.code, res.headers.allow]).toEqual([
        405,
        'METHOD_NOT_ALLOWED',
        'GET, HEAD, POST',
      ]);
      expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('gives other origins nothing, and no origin at all by default', async () => {
    const configured = await withEdge({ corsOrigins: [PORTAL] });
    const other = await configured.request
      .options('/v1/plans')
      .set('origin', 'https://evil.example')
      .set('access-control-request-method', 'DELETE');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();

    const closed = await withEdge({});
    const preflight = await closed.request
      .options('/v1/plans')
      .set('origin', PORTAL)
      .set('access-control-request-method', 'GET');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(
      (await closed.request.get('/v1/plans').set('origin', PORTAL)).headers['access-control-allow-origin'],
    ).toBeUndefined();
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After after a burst, per token, and never limits probes', async () => {
    const { request } = await withEdge({ rateLimitPerMinute: 3 });
    for (let i = 0; i < 3; i++) expect((await request.get('/v1/plans')).status).toBe(200);
    const limited = await request.get('/v1/plans');
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);

    for (let i = 0; i < 10; i++) expect((await request.get('/healthz')).status).toBe(200);
  });

  it('tells each counted caller where it stands, and counts neither probes nor unknown paths', async () => {
    const { request } = await withEdge({ rateLimitPerMinute: 5 });
    const first = await request.get('/v1/plans');
    expect(first.headers['x-ratelimit-limit']).toBe('5');
    expect(first.headers['x-ratelimit-remaining']).toBe('4');
    expect(Number(first.headers['x-ratelimit-reset'])).toBeGreaterThan(55);
    expect((await request.get('/healthz')).headers['x-ratelimit-limit']).toBeUndefined();
    expect((await request.get('/v1/nothing')).status).toBe(404);
    expect((await request.get('/v1/plans')).headers['x-ratelimit-remaining']).toBe('3');
  });

  it('does not count a request whose token is refused', async () => {
    const { request } = await withEdge({ rateLimitPerMinute: 2 });
    for (let i = 0; i < 3; i++) {
      expect((await request.get('/v1/plans').set('authorization', 'Bearer nope')).status).toBe(401);
    }
    expect((await request.get('/v1/plans')).status).toBe(200);
  });

  it('counts each token on its own', async () => {
    const { request } = await withEdge({ rateLimitPerMinute: 2 });
    const created = await request.post('/v1/tokens').send({ name: 'reader', scopes: ['read'] });
    expect(created.status).toBe(201);
    await request.get('/v1/plans');
    expect((await request.get('/v1/plans')).status).toBe(429);
    const reader = await request.get('/v1/plans').set('authorization', `Bearer ${created.body.token}`);
    expect(reader.status).toBe(200);
  });
});

describe('overload shedding', () => {
  it('answers 503 OVERLOADED with Retry-After over the threshold, and keeps probes answering', async () => {
    const { request } = await withEdge({ maxHeapUsedBytes: 1 });
    // The heap is sampled about once a second.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const shed = await request.get('/v1/plans');
    expect(shed.status).toBe(503);
    expect(shed.body.code).toBe('OVERLOADED');
    expect(shed.headers['retry-after']).toBe('5');
    expect((await request.get('/healthz')).status).toBe(200);
  });
});
