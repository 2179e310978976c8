/**
 * Starting on PostgreSQL (DATABASE_URL): the bootstrap rule, a database that is not there yet,
 * an outage and the recovery from it, without a restart.
 */
import type { FastifyInstance } from 'fastify';
import supertest from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { start } from '../../src/start.js';
import { StartupError } from '../../src/startup-error.js';
import { freshDatabase } from '../support/postgres.js';
import { TcpProxy } from '../support/tcp-proxy.js';

const ADMIN = 'pg-start-admin-token-0123456789abcdef';
const quiet = { LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: '0' };
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function database(): Promise<string> {
  const db = await freshDatabase();
  cleanups.push(db.drop);
  return db.url;
}

async function started(env: NodeJS.ProcessEnv, onFatal?: (error: unknown) => void): Promise<FastifyInstance> {
  const { startService } = await import('../../src/start.js');
  const { app } = await startService({ ...quiet, ...env }, onFatal);
  cleanups.push(() => app.close());
  return app;
}

const api = (app: FastifyInstance) => supertest(app.server);

async function eventually(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the condition did not hold in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The service on a fresh database reached through a TCP proxy that a test can cut or freeze. */
async function behindProxy(env: NodeJS.ProcessEnv = {}): Promise<{ proxy: TcpProxy; app: FastifyInstance }> {
  const url = await database();
  const proxy = await TcpProxy.to(url);
  cleanups.push(() => proxy.down());
  await proxy.up();
  const app = await started({
    DATABASE_URL: proxy.url(url),
    ADMIN_TOKEN: ADMIN,
    DATABASE_CONNECT_TIMEOUT_MS: '500',
    ...env,
  });
  return { proxy, app };
}

describe('PostgreSQL start-up', () => {
  it('requires ADMIN_TOKEN while the database holds no admin token, and not once it does', async () => {
    const url = await database();
    await expect(start({ ...quiet, DATABASE_URL: url })).rejects.toThrow(
      new StartupError(
        'ADMIN_TOKEN is not set and the database of DATABASE_URL holds no usable admin token: set ADMIN_TOKEN (e.g. from `openssl rand -hex 32`) on at least one replica',
      ),
    );
    const first = await started({ DATABASE_URL: url, ADMIN_TOKEN: ADMIN });
    const issued = await api(first)
      .post('/v1/tokens')
      .set('authorization', `Bearer ${ADMIN}`)
      .send({ name: 'platform admins', scopes: ['admin'] });
    expect(issued.status).toBe(201);
    const second = await started({ DATABASE_URL: url });
    const tokens = await api(second).get('/v1/tokens').set('authorization', `Bearer ${issued.body.token}`);
    expect(tokens.status).toBe(200);
  });

  it('refuses a DATABASE_URL that is not a PostgreSQL URL, without echoing it', async () => {
    await expect(start({ ...quiet, DATABASE_URL: 'mysql://u:secret@h/db' })).rejects.toThrow(
      /^DATABASE_URL \(a secret of 21 characters\) is not valid: set DATABASE_URL to a PostgreSQL connection URL/,
    );
  });

  it('starts before its database, answers 503 meanwhile, and serves once it comes', async () => {
    const url = await database();
    const proxy = await TcpProxy.to(url);
    cleanups.push(() => proxy.down());
    const app = await started({
      DATABASE_URL: proxy.url(url),
      ADMIN_TOKEN: ADMIN,
      DATABASE_CONNECT_TIMEOUT_MS: '500',
    });
    expect((await api(app).get('/readyz')).status).toBe(503);
    const refused = await api(app).get('/v1/plans').set('authorization', `Bearer ${ADMIN}`);
    expect(refused.status).toBe(503);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.body.code).toBe('DATABASE_UNAVAILABLE');
    await proxy.up();
    await eventually(async () => (await api(app).get('/readyz')).status === 200);
    expect((await api(app).get('/v1/plans').set('authorization', `Bearer ${ADMIN}`)).status).toBe(200);
  });

  it('without ADMIN_TOKEN, checks for an admin token once the late database comes, and refuses then', async () => {
    const url = await database();
    const proxy = await TcpProxy.to(url);
    cleanups.push(() => proxy.down());
    let fatal: unknown;
    await started({ DATABASE_URL: proxy.url(url), DATABASE_CONNECT_TIMEOUT_MS: '500' }, (error) => {
      fatal = error;
    });
    await proxy.up();
    await eventually(async () => fatal !== undefined);
    expect((fatal as Error).message).toMatch(/^ADMIN_TOKEN is not set and the database of DATABASE_URL/);
  });

  it('answers 503 through an outage, stays up, and recovers by itself', async () => {
    const { proxy, app } = await behindProxy();
    const plans = () => api(app).get('/v1/plans').set('authorization', `Bearer ${ADMIN}`);
    expect((await plans()).status).toBe(200);
    await proxy.down();
    const during = Date.now();
    await eventually(async () => (await api(app).get('/readyz')).status === 503, 5_000);
    expect(Date.now() - during).toBeLessThan(5_000);
    const refused = await plans();
    expect([refused.status, refused.body.code]).toEqual([503, 'DATABASE_UNAVAILABLE']);
    // Prometheus still scrapes the request and process metrics, and learns the headroom is not there.
    const scrape = () => api(app).get('/metrics').set('authorization', `Bearer ${ADMIN}`);
    const meanwhile = await scrape();
    expect(meanwhile.status).toBe(200);
    expect(meanwhile.text).toMatch(/^aksip_headroom_up 0$/m);
    expect(meanwhile.text).toMatch(/^aksip_database_errors_total [1-9]\d*$/m);
    await proxy.up();
    await eventually(async () => (await api(app).get('/readyz')).status === 200);
    expect((await plans()).status).toBe(200);
    expect((await scrape()).text).toMatch(/^aksip_headroom_up 1$/m);
  });

  it('answers /readyz 503 within the connect timeout when the database stops answering on an open connection', async () => {
    const { proxy, app } = await behindProxy();
    expect((await api(app).get('/readyz')).status).toBe(200);
    proxy.freeze();
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // past the cached answer
    const asked = Date.now();
    // Several probes at once share one query; none waits for a statement timeout that cannot fire.
    const answers = await Promise.all([1, 2, 3].map(() => api(app).get('/readyz').timeout(5_000)));
    expect(answers.map((a) => a.status)).toEqual([503, 503, 503]);
    expect(Date.now() - asked).toBeLessThan(3_000);
    proxy.thaw();
  });

  it('answers requests 503 when the database stops answering on an open connection, and serves again after', async () => {
    // The client gives a query the statement timeout and a connect timeout more: 1.5 s here.
    const { proxy, app } = await behindProxy({ DATABASE_STATEMENT_TIMEOUT_MS: '1000' });
    const plans = () => api(app).get('/v1/plans').set('authorization', `Bearer ${ADMIN}`).timeout(10_000);
    expect((await plans()).status).toBe(200);
    proxy.freeze();
    const asked = Date.now();
    const answers = await Promise.all([plans(), plans()]);
    const said = [
      503,
      'DATABASE_UNAVAILABLE',
      'the database did not answer in time, or all its connections stayed busy; retry after 5 seconds',
    ];
    expect(answers.map((a) => [a.status, a.body.code, a.body.detail])).toEqual([said, said]);
    expect(Date.now() - asked).toBeLessThan(5_000);
    proxy.thaw();
    // The connections that went unanswered were dropped: the pool opens new ones.
    expect((await plans()).status).toBe(200);
  });
});
