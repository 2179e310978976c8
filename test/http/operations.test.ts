import { afterEach, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/http/version.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import { type TestApp, testApp, useTestApp } from './support/app.js';
import { expectProblem, problem } from './support/problems.js';

const ctx = useTestApp();

describe('GET /healthz', () => {
  it('answers 200 while the process is up', async () => {
    const res = await ctx.request.get('/healthz');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });
});

describe('GET /readyz', () => {
  let unready: TestApp | undefined;
  afterEach(async () => {
    await unready?.app.close();
    unready = undefined;
  });

  it('answers 200 ready when the database is reachable and migrated', async () => {
    const res = await ctx.request.get('/readyz');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready' });
  });

  it('answers 503 NOT_READY problem+json when the database is not usable', async () => {
    const store = openSqliteStore(':memory:');
    store.isReady = async () => false;
    unready = await testApp(store);

    const res = await unready.request.get('/readyz');

    expectProblem(
      res,
      problem(
        503,
        'NOT_READY',
        'the database cannot serve: unreachable, replaced or not migrated',
        '/readyz',
      ),
    );
  });
});

describe('GET /docs', () => {
  it('serves the Swagger UI page (directly or through a redirect)', async () => {
    let res = await ctx.request.get('/docs');
    if (res.status >= 300 && res.status < 400) {
      const location = res.headers.location as string;
      res = await ctx.request.get(new URL(location, 'http://localhost/docs').pathname);
    }

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('swagger-ui');
  });
});

describe('GET /openapi.json', () => {
  it('describes the API, /v1/plans included', async () => {
    const res = await ctx.request.get('/openapi.json');

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(res.body.info).toEqual(expect.objectContaining({ title: 'AKS IP planner', version: VERSION }));
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/plans',
        '/v1/plans/{id}',
        '/v1/plans/{id}/nodes',
        '/v1/plans/{id}/capacity',
        '/v1/calculations',
        '/v1/lookup',
        '/healthz',
        '/readyz',
      ]),
    );
    expect(Object.keys(res.body.paths['/v1/plans']).sort()).toEqual(['get', 'post']);
  });
});
