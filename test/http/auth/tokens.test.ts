import { request } from 'node:http';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import supertest from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../../src/store/sqlite/open-sqlite.js';
import { useTempDirs } from '../../support/temp-dirs.js';
import { TEST_ADMIN_TOKEN, type TestApp, testApp, withToken } from '../support/app.js';

const TOKEN = /^aksip_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/;
const tempDir = useTempDirs('aksip-tokens-');
const apps: TestApp[] = [];
afterEach(async () => {
  for (const { app } of apps.splice(0)) await app.close();
});

async function started(...args: Parameters<typeof testApp>): Promise<TestApp> {
  const made = await testApp(...args);
  apps.push(made);
  return made;
}

async function issue(admin: TestApp, body: object) {
  const res = await admin.request.post('/v1/tokens').send(body);
  expect(res.status, res.text).toBe(201);
  return res.body as { id: string; token: string; scopes: string[]; expiresAt: string | null };
}

/** A GET with an Expect header Node answers itself (supertest cannot send one): its status and text. */
async function unmetExpectation(made: TestApp, path: string): Promise<{ status: number; text: string }> {
  await made.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = made.app.server.address() as { port: number };
  return new Promise((resolve, reject) => {
    const asked = request({ port, host: '127.0.0.1', path, headers: { expect: 'nothing' } }, (res) => {
      let text = '';
      res.on('data', (chunk) => {
        text += String(chunk);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    asked.on('error', reject);
    asked.end();
  });
}

/** An app logging at `level`, as start.ts configures it, and the lines it has written. */
async function logging(level: string): Promise<{ admin: TestApp; text: string[] }> {
  const text: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text.push(String(chunk));
      done();
    },
  });
  const admin = await started(openSqliteStore(':memory:'), {
    logger: { level, stream, redact: ['req.headers.authorization'] },
  });
  return { admin, text };
}

describe('API tokens', () => {
  it('shows the secret once, stores only its hash, lists tokens without secrets', async () => {
    const admin = await started();
    const created = await admin.request.post('/v1/tokens').send({ name: 'pipeline', scopes: ['write'] });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(TOKEN);
    expect(created.body.token).toContain(`aksip_${created.body.id}_`);
    expect(created.headers.location).toBe(`/v1/tokens/${created.body.id}`);
    expect(created.headers['cache-control']).toBe('no-store');

    const list = await admin.request.get('/v1/tokens');
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([
      {
        id: created.body.id,
        name: 'pipeline',
        scopes: ['write'],
        labels: {},
        createdAt: created.body.createdAt,
        expiresAt: null,
      },
    ]);
    expect(list.text).not.toContain(created.body.token.slice(19));
    // The Location answers the token, as listed, without its secret.
    const one = await admin.request.get(created.headers.location as string);
    expect([one.status, one.body]).toEqual([200, list.body.items[0]]);
  });

  it('authenticates with the token, and refuses it at once when revoked', async () => {
    const admin = await started();
    const { id, token } = await issue(admin, { name: 'reader', scopes: ['read'] });
    const reader = withToken(supertest(admin.app.server), token);
    expect((await reader.get('/v1/plans')).status).toBe(200);
    expect((await admin.request.delete(`/v1/tokens/${id}`)).status).toBe(204);
    const after = await reader.get('/v1/plans');
    expect(after.status).toBe(401);
    expect(after.headers['www-authenticate']).toContain('error="invalid_token"');
    expect((await admin.request.delete(`/v1/tokens/${id}`)).body.code).toBe('TOKEN_NOT_FOUND');
    expect((await admin.request.get('/v1/tokens')).body.items).toEqual([]);
    expect((await admin.request.get(`/v1/tokens/${id}`)).body.code).toBe('TOKEN_NOT_FOUND');
  });

  it('sees a revocation made by another process on the same database at once', async () => {
    const path = join(tempDir(), 'ipam.db');
    const one = await started(openSqliteStore(path));
    const two = await started(openSqliteStore(path));
    const { id, token } = await issue(one, { name: 'reader', scopes: ['read'] });
    const viaTwo = withToken(supertest(two.app.server), token);
    expect((await viaTwo.get('/v1/plans')).status).toBe(200); // now cached in the second app
    expect((await one.request.delete(`/v1/tokens/${id}`)).status).toBe(204);
    expect((await viaTwo.get('/v1/plans')).status).toBe(401);
  });

  it('stops working when it expires', async () => {
    let now = new Date('2026-05-31T23:00:00Z');
    const admin = await started(openSqliteStore(':memory:'), { now: () => now });
    const { token, expiresAt } = await issue(admin, {
      name: 'short',
      scopes: ['read'],
      expiresAt: '2026-06-01T01:00:00+01:00',
    });
    expect(expiresAt).toBe('2026-06-01T00:00:00.000Z');
    const reader = withToken(supertest(admin.app.server), token);
    now = new Date('2026-05-31T23:59:59.999Z');
    expect((await reader.get('/v1/plans')).status).toBe(200); // checked, and now cached
    now = new Date('2026-06-01T00:00:00Z');
    expect((await reader.get('/v1/plans')).status).toBe(401);
    // First shown at the instant it expires (nothing cached): refused too.
    const late = await issue(admin, { name: 'late', scopes: ['read'], expiresAt: '2026-06-01T00:00:01Z' });
    now = new Date('2026-06-01T00:00:01Z');
    expect((await withToken(supertest(admin.app.server), late.token).get('/v1/plans')).status).toBe(401);
  });

  it.each([
    [{ name: 'x', scopes: [] }, 'VALUE_OUT_OF_RANGE', 'scopes'],
    [{ name: 'x', scopes: ['root'] }, 'INVALID_VALUE', 'scopes[0]'],
    [{ name: '', scopes: ['read'] }, 'VALUE_OUT_OF_RANGE', 'name'],
    [{ name: 'x', scopes: ['read'], expiresAt: '2020-01-01T00:00:00Z' }, 'TOKEN_EXPIRY_INVALID', 'expiresAt'],
    [{ name: 'x', scopes: ['read'], expiresAt: 'tomorrow' }, 'INVALID_FORMAT', 'expiresAt'],
    [
      { name: 'x', scopes: ['read'], expiresAt: '9999-12-31T23:59:59-23:59' },
      'TOKEN_EXPIRY_INVALID',
      'expiresAt',
    ],
    [{ name: 'x', scopes: ['read'], token: 'mine' }, 'UNKNOWN_FIELD', 'token'],
  ])('refuses %j with %s at %s', async (body, code, path) => {
    const admin = await started();
    const res = await admin.request.post('/v1/tokens').send(body);
    expect(res.status).toBe(422);
    expect(res.body.errors?.[0] ?? res.body).toMatchObject({ code, path });
  });

  it('never writes a token to the log, even at trace level', async () => {
    const { admin, text } = await logging('trace');
    const { token } = await issue(admin, { name: 'reader', scopes: ['read'] });
    await withToken(supertest(admin.app.server), token).get('/v1/plans');
    await withToken(supertest(admin.app.server), `${token}x`).get('/v1/plans');
    const log = text.join('');
    expect(log).toContain('"url":"/v1/tokens"'); // the log is written
    expect(log).not.toContain(token.slice(19));
    expect(log).not.toContain(TEST_ADMIN_TOKEN);
  });

  it('keeps a secret sent where none belongs out of the log and out of the answers that echo it', async () => {
    const { admin, text } = await logging('info');
    const { id, token } = await issue(admin, { name: 'reader', scopes: ['read'] });
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl';
    const long = `${TEST_ADMIN_TOKEN}${'x'.repeat(60)}`; // a cursor is quoted cut to 64 characters
    const answers = [
      await admin.request.get(`/v1/plans?access_token=${token}`), // 400: an undeclared parameter
      await admin.request.get(`/v1/plans?limit=2&X-Api-Key=${TEST_ADMIN_TOKEN}`),
      await admin.request.delete(`/v1/tokens/${token}`), // the whole token where its id goes
      await admin.request.get(`/v1/lookup?ip=${TEST_ADMIN_TOKEN}`),
      await admin.request.get(`/v1/plans/${jwt}`),
      await admin.request.get(`/v1/conflicts?cursor=${long}`),
      await admin.request.get(`/v1/plans?${token}=1`), // a secret as a parameter's name
      await unmetExpectation(admin, `/v1/plans/${TEST_ADMIN_TOKEN}`), // answered before any route
    ];
    expect(answers.map((a) => a.status)).toEqual([400, 400, 404, 400, 404, 400, 400, 417]);
    const said = [text.join(''), ...answers.map((a) => a.text)];
    for (const secret of [token.slice(19), TEST_ADMIN_TOKEN, jwt.split('.')[1] as string]) {
      expect(said.filter((t) => t.includes(secret))).toEqual([]);
    }
    // What is not secret still says what was asked: the token's id, the other parameters.
    const body = (k: number) =>
      JSON.parse(answers[k]?.text ?? '{}') as { detail?: string; instance?: string };
    expect(body(2).detail).toBe(`no unrevoked token with id "aksip_${id}_[redacted]"`);
    expect(body(1).instance).toBe('/v1/plans?limit=2&X-Api-Key=[redacted]');
    expect(text.join('')).toContain('"url":"/v1/plans?access_token=[redacted]"');
  });
});

describe('authentication modes', () => {
  it('AUTH=none lets every caller do everything', async () => {
    const { app } = await started(openSqliteStore(':memory:'), {
      auth: { mode: 'none', anonymousRead: false },
    });
    const open = supertest(app.server);
    expect((await open.get('/v1/tokens')).status).toBe(200);
    expect((await open.post('/v1/spaces').send({ name: 's', cidrs: ['10.0.0.0/8'] })).status).toBe(201);
  });

  it('ANONYMOUS_READ lets callers without a token read, and only read', async () => {
    const { app } = await started(openSqliteStore(':memory:'), {
      auth: { mode: 'tokens', anonymousRead: true },
    });
    const open = supertest(app.server);
    expect((await open.get('/v1/plans')).status).toBe(200);
    expect((await open.get('/v1/lookup?ip=10.0.0.1')).status).toBe(200);
    expect((await open.post('/v1/spaces').send({ name: 's', cidrs: ['10.0.0.0/8'] })).status).toBe(401);
    expect((await open.get('/v1/tokens')).status).toBe(401);
    // A bad token is still refused: anonymous reading is for callers that send none.
    expect((await open.get('/v1/plans').set('authorization', 'Bearer nope')).status).toBe(401);
  });
});
