/**
 * JWTs from a portal's identity provider, verified against a local issuer whose keys the test
 * generates: discovery, key set, roles, and every way a token can be wrong.
 */
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, type JWK, SignJWT, UnsecuredJWT } from 'jose';

type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../../src/store/sqlite/open-sqlite.js';
import { TEST_EDGE, type TestApp, testApp, withToken } from '../support/app.js';

const AUDIENCE = 'api://aks-ip-planner';
let issuer: string;
let server: Server;
let signingKey: SigningKey;
let strangerKey: SigningKey;
let app: TestApp;
let discoveries = 0;
/** Discoveries of the issuer at /down, which answer 500 after a moment. */
let failedDiscoveries = 0;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  signingKey = pair.privateKey;
  strangerKey = (await generateKeyPair('RS256')).privateKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openid-configuration') {
      discoveries++;
      res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/keys` }));
    } else if (req.url === '/down/.well-known/openid-configuration') {
      failedDiscoveries++;
      setTimeout(() => res.writeHead(500).end('{}'), 200);
    } else if (req.url === '/impostor/.well-known/openid-configuration') {
      // Served under /impostor, but naming the root issuer (and its keys).
      res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/keys` }));
    } else if (req.url === '/keys') res.end(JSON.stringify({ keys: [jwk] }));
    else if (req.url === '/broken-keys') res.writeHead(502).end('{}');
    else res.writeHead(404).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  app = await testApp(openSqliteStore(':memory:'), {
    oidc: { issuer, audience: AUDIENCE, rolesClaim: 'roles' },
  });
});

afterAll(async () => {
  await app.app.close();
  await new Promise((resolve) => server.close(resolve));
});

interface Claims {
  roles?: unknown;
  sub?: string;
  iss?: string;
  aud?: string;
  exp?: number;
  nbf?: number;
  key?: SigningKey;
}

async function jwt(claims: Claims = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const token = new SignJWT({ roles: claims.roles ?? ['ipam.write'], name: 'Ada Portal' })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setSubject(claims.sub ?? 'user-1')
    .setIssuer(claims.iss ?? issuer)
    .setAudience(claims.aud ?? AUDIENCE)
    .setIssuedAt(now - 60)
    .setExpirationTime(claims.exp ?? now + 600);
  if (claims.nbf !== undefined) token.setNotBefore(claims.nbf);
  return token.sign(claims.key ?? signingKey);
}

const as = (token: string) => withToken(supertest(app.app.server), token);

describe('OIDC bearer tokens', () => {
  it('accepts a token of the issuer with a role, found by discovery, and names its subject', async () => {
    const res = await as(await jwt())
      .post('/v1/spaces')
      .send({ name: 'portal', cidrs: ['10.0.0.0/16'] });
    expect(res.status).toBe(201);
    const [entry] = (await app.request.get('/v1/audit?action=space.create')).body.items;
    expect(entry.actor).toEqual({ kind: 'oidc', id: 'user-1', name: 'Ada Portal' });
    await as(await jwt()).get('/v1/plans');
    expect(discoveries).toBe(1); // discovery once; jose keeps the keys
  });

  it('maps roles to scopes: read may read, not write; admin may manage tokens', async () => {
    const reader = as(await jwt({ roles: 'ipam.read' }));
    expect((await reader.get('/v1/plans')).status).toBe(200);
    const refused = await reader.post('/v1/spaces').send({ name: 'x', cidrs: ['10.1.0.0/16'] });
    // Named as what it is: an identity of the provider's, not one of the service's tokens.
    expect([refused.status, refused.body.detail]).toEqual([
      403,
      'identity user-1 has the read scope; this route needs write',
    ]);
    expect((await as(await jwt({ roles: ['other', 'ipam.admin'] })).get('/v1/tokens')).status).toBe(200);
    // Roles in one string, as some providers write them: the widest counts.
    const writer = as(await jwt({ roles: 'ipam.read ipam.write' }));
    expect((await writer.post('/v1/spaces').send({ name: 'x', cidrs: ['10.1.0.0/16'] })).status).toBe(201);
  });

  it('refuses an identity holding none of the roles with 403', async () => {
    const res = await as(await jwt({ roles: ['something.else'] })).get('/v1/plans');
    expect(res.status).toBe(403);
    expect(res.body.detail).toContain('holds none of the roles');
  });

  it.each([
    ['expired', async () => jwt({ exp: Math.floor(Date.now() / 1000) - 120 })],
    ['for another audience', async () => jwt({ aud: 'api://someone-else' })],
    ['from another issuer', async () => jwt({ iss: 'https://evil.example' })],
    ['signed by another key', async () => jwt({ key: strangerKey })],
    [
      'unsigned (alg none)',
      async () =>
        new UnsecuredJWT({ roles: ['ipam.admin'] })
          .setSubject('x')
          .setIssuer(issuer)
          .setAudience(AUDIENCE)
          .setExpirationTime('10m')
          .encode(),
    ],
  ])('refuses a token %s with 401', async (_what, make) => {
    const res = await as(await make()).get('/v1/plans');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it('allows a minute of clock skew: just expired, or valid from a few seconds on', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await as(await jwt({ exp: now - 30 })).get('/v1/plans')).status).toBe(200);
    expect((await as(await jwt({ nbf: now + 30 })).get('/v1/plans')).status).toBe(200);
    expect((await as(await jwt({ nbf: now + 120 })).get('/v1/plans')).status).toBe(401);
  });

  it('refuses a token without an expiry, which would never expire', async () => {
    const forever = await new SignJWT({ roles: ['ipam.admin'] })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setSubject('user-3')
      .setIssuer(issuer)
      .setAudience(AUDIENCE)
      .sign(signingKey);
    expect((await as(forever).get('/v1/plans')).status).toBe(401);
  });

  it('still takes API tokens and the ADMIN_TOKEN', async () => {
    expect((await app.request.get('/v1/tokens')).status).toBe(200);
  });

  it("never takes another caller's idempotency key for a subject equal to its id", async () => {
    // A subject is any text the provider chose: here ADMIN_TOKEN's id, and a token's 12 hex digits.
    const writer = await app.request.post('/v1/tokens').send({ name: 'pipeline', scopes: ['write'] });
    const space = await app.request.post('/v1/spaces').send({ name: 'keys', cidrs: ['10.60.0.0/16'] });
    expect([writer.status, space.status]).toEqual([201, 201]);
    const ask = { prefixLength: 24, purpose: 'build 1' };
    const allocate = (request: ReturnType<typeof as>) =>
      request.post('/v1/spaces/keys/allocations').set('idempotency-key', 'build-1').send(ask);
    const owners = [app.request, as(writer.body.token)];
    const first = await Promise.all(owners.map(allocate));
    expect(first.map((r) => r.status)).toEqual([201, 201]);
    for (const sub of ['ADMIN_TOKEN', writer.body.id]) {
      const impostor = await allocate(as(await jwt({ sub })));
      expect(impostor.status, impostor.text).toBe(201);
      expect(impostor.headers['idempotent-replayed']).toBeUndefined();
      expect(first.map((r) => r.body.id)).not.toContain(impostor.body.id);
    }
  });

  it("counts a subject equal to ADMIN_TOKEN's id in a rate-limit window of its own", async () => {
    const limited = await testApp(openSqliteStore(':memory:'), {
      oidc: { issuer, audience: AUDIENCE, rolesClaim: 'roles' },
      edge: { ...TEST_EDGE, rateLimitPerMinute: 2 },
    });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await limited.request.get('/v1/plans')).status);
      const subject = withToken(supertest(limited.app.server), await jwt({ sub: 'ADMIN_TOKEN' }));
      statuses.push((await subject.get('/v1/plans')).status);
      expect(statuses).toEqual([200, 200, 429, 200]);
      for (let i = 0; i < 2; i++) await subject.get('/v1/plans');
      expect((await subject.get('/v1/plans')).body.detail).toMatch(/ from identity ADMIN_TOKEN; retry in /);
    } finally {
      await limited.app.close();
    }
  });
});

describe('a configured key set', () => {
  it('is used without discovery', async () => {
    const before = discoveries;
    const direct = await testApp(openSqliteStore(':memory:'), {
      oidc: { issuer, audience: AUDIENCE, rolesClaim: 'roles', jwksUrl: `${issuer}/keys` },
    });
    try {
      expect((await withToken(supertest(direct.app.server), await jwt()).get('/v1/plans')).status).toBe(200);
      expect(discoveries).toBe(before);
    } finally {
      await direct.app.close();
    }
  });
});

describe('the team claim', () => {
  it("makes the claim the caller's team label: it sees and creates only its team's plans", async () => {
    const teams = await testApp(openSqliteStore(':memory:'), {
      oidc: { issuer, audience: AUDIENCE, rolesClaim: 'roles', teamClaim: 'team' },
    });
    try {
      const token = await new SignJWT({ roles: ['ipam.write'], team: 'payments' })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setSubject('user-2')
        .setIssuer(issuer)
        .setAudience(AUDIENCE)
        .setExpirationTime('10m')
        .sign(signingKey);
      const member = withToken(supertest(teams.app.server), token);
      // With a team claim configured, an identity must name one team, or it acts for no one.
      for (const team of [undefined, '', ['payments', 'b'], 7]) {
        const res = await withToken(supertest(teams.app.server), await teamJwt(team)).get('/v1/plans');
        expect(res.status, JSON.stringify(team)).toBe(403);
      }
      // An admin sees every team: it needs no team of its own.
      const admin = await teamJwt(undefined, ['ipam.admin']);
      expect((await withToken(supertest(teams.app.server), admin).get('/v1/tokens')).status).toBe(200);
      expect(
        (await withToken(supertest(teams.app.server), await teamJwt(['payments'])).get('/v1/plans')).status,
      ).toBe(200);
      const space = { name: 'pay', cidrs: ['10.0.0.0/16'] };
      expect((await member.post('/v1/spaces').send(space)).body.code).toBe('TEAM_LABELS_REQUIRED');
      expect((await member.post('/v1/spaces').send({ ...space, labels: { team: 'payments' } })).status).toBe(
        201,
      );
      await teams.request
        .post('/v1/spaces')
        .send({ name: 'theirs', cidrs: ['10.1.0.0/16'], labels: { team: 'b' } });
      expect((await member.get('/v1/spaces')).body.items.map((s: { name: string }) => s.name)).toEqual([
        'pay',
      ]);
    } finally {
      await teams.app.close();
    }
  });
});

async function teamJwt(team: unknown, roles = ['ipam.write']): Promise<string> {
  return new SignJWT({ roles, ...(team === undefined ? {} : { team }) })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setSubject('user-4')
    .setIssuer(issuer)
    .setAudience(AUDIENCE)
    .setExpirationTime('10m')
    .sign(signingKey);
}

describe('an identity provider that cannot be reached', () => {
  it.each([
    ['a key set on a dead host', 'http://127.0.0.1:9/keys'],
    ['a key set answering 502', 'broken'],
  ])('answers 503 for %s', async (_what, keys) => {
    const jwksUrl = keys === 'broken' ? `${issuer}/broken-keys` : keys;
    const down = await testApp(openSqliteStore(':memory:'), {
      oidc: { issuer, audience: AUDIENCE, rolesClaim: 'roles', jwksUrl },
    });
    try {
      const res = await withToken(supertest(down.app.server), await jwt()).get('/v1/plans');
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('IDENTITY_PROVIDER_UNAVAILABLE');
    } finally {
      await down.app.close();
    }
  });

  it('answers 503 IDENTITY_PROVIDER_UNAVAILABLE with Retry-After, not 401', async () => {
    const down = await testApp(openSqliteStore(':memory:'), {
      oidc: { issuer: 'http://127.0.0.1:9', audience: AUDIENCE, rolesClaim: 'roles' },
    });
    try {
      const res = await withToken(supertest(down.app.server), await jwt()).get('/v1/plans');
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('IDENTITY_PROVIDER_UNAVAILABLE');
      expect(res.headers['retry-after']).toBe('5');
    } finally {
      await down.app.close();
    }
  });
});

/** An app whose issuer's discovery answers 500 after a moment. */
async function providerDown(): Promise<TestApp> {
  return testApp(openSqliteStore(':memory:'), {
    oidc: { issuer: `${issuer}/down`, audience: AUDIENCE, rolesClaim: 'roles' },
  });
}

describe('an identity provider that is down', () => {
  it.each([
    [
      'unsigned (alg none)',
      async () =>
        new UnsecuredJWT({ roles: ['ipam.admin'] }).setSubject('x').setExpirationTime('10m').encode(),
    ],
    [
      'signed with a shared secret (HS256)',
      async () =>
        new SignJWT({ roles: ['ipam.admin'] })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('x')
          .setExpirationTime('10m')
          .sign(new TextEncoder().encode('a shared secret of thirty-two bytes!')),
    ],
    ['shaped like a JWT but garbage', async () => 'aaaa.bbbb.cccc'],
    ['with claims that are not JSON', async () => `${(await jwt()).split('.')[0]}.bm90IGpzb24.c2ln`],
  ])('still refuses a token %s with 401, without asking the provider', async (_what, make) => {
    const down = await providerDown();
    const before = failedDiscoveries;
    try {
      const res = await withToken(supertest(down.app.server), await make()).get('/v1/plans');
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
      expect(failedDiscoveries).toBe(before);
    } finally {
      await down.app.close();
    }
  });

  it('is asked once by concurrent requests, and its failure is remembered: later requests fail fast', async () => {
    const down = await providerDown();
    const before = failedDiscoveries;
    try {
      const token = await jwt();
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => withToken(supertest(down.app.server), token).get('/v1/plans')),
      );
      expect(answers.map((a) => a.status)).toEqual([503, 503, 503, 503, 503]);
      expect(failedDiscoveries - before).toBe(1);
      const again = await withToken(supertest(down.app.server), token).get('/v1/plans');
      expect(again.status).toBe(503);
      expect(again.headers['retry-after']).toBe('5');
      expect(failedDiscoveries - before).toBe(1); // answered without waiting on the provider again
    } finally {
      await down.app.close();
    }
  });
});

describe('a discovery document naming another issuer', () => {
  it('is refused: 503 IDENTITY_PROVIDER_UNAVAILABLE, even for a token its keys signed', async () => {
    const impostor = `${issuer}/impostor`;
    const misled = await testApp(openSqliteStore(':memory:'), {
      oidc: { issuer: impostor, audience: AUDIENCE, rolesClaim: 'roles' },
    });
    try {
      const res = await withToken(supertest(misled.app.server), await jwt({ iss: impostor })).get(
        '/v1/plans',
      );
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('IDENTITY_PROVIDER_UNAVAILABLE');
      expect(res.body.detail).toContain(`names the issuer "${issuer}", not OIDC_ISSUER "${impostor}"`);
    } finally {
      await misled.app.close();
    }
  });
});
