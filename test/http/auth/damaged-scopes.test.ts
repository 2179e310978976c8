/**
 * A token whose stored scopes cannot be read grants nothing: it is refused like a revoked one,
 * never let through as a reader.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteDatabase } from '../../../src/store/sqlite/open-sqlite.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { SYSTEM_CLOCK } from '../../../src/store/system-clock.js';
import { type TestApp, testApp } from '../support/app.js';

const { db } = openSqliteDatabase(':memory:');
let service: TestApp;

beforeAll(async () => {
  service = await testApp(new SqliteStore(db, () => true, SYSTEM_CLOCK));
});

afterAll(async () => {
  await service.app.close();
});

/** A new read token, its scopes column then overwritten with `scopes` before its first use. */
async function tokenWithScopes(scopes: string): Promise<string> {
  const created = await service.request.post('/v1/tokens').send({ name: 'pipeline', scopes: ['read'] });
  expect(created.status).toBe(201);
  db.prepare('UPDATE tokens SET scopes = ? WHERE id = ?').run(scopes, created.body.id);
  return created.body.token;
}

const readPlans = (token: string) =>
  service.app.inject({ method: 'GET', url: '/v1/plans', headers: { authorization: `Bearer ${token}` } });

describe('a damaged scopes column', () => {
  it('leaves an intact token its scope', async () => {
    expect((await readPlans(await tokenWithScopes('["read"]'))).statusCode).toBe(200);
  });

  it.each([
    '[]',
    '"read"',
    '{"read":true}',
    'null',
    '7',
    '["root"]',
    '["read","root"]',
    '[null]',
    'not json',
  ])('%s grants nothing: 401 invalid_token', async (scopes) => {
    const res = await readPlans(await tokenWithScopes(scopes));
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('UNAUTHENTICATED');
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it.each(['[]', 'null', '{"team":7}', 'not json'])(
    'labels %s grant nothing: a team token never acts for everyone',
    async (labels) => {
      const created = await service.request
        .post('/v1/tokens')
        .send({ name: 'team', scopes: ['read'], labels: { team: 'payments' } });
      db.prepare('UPDATE tokens SET labels = ? WHERE id = ?').run(labels, created.body.id);
      expect((await readPlans(created.body.token)).statusCode).toBe(401);
    },
  );
});
