/**
 * Callers without a token are counted by client address in windows of their own: a flood from
 * many addresses cannot make the service forget a token's window and so lift its limit.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { RATE_LIMIT_ADDRESSES, registerRateLimit } from '../../src/http/rate-limit.js';
import { anonymous } from '../../src/service/token-service.js';

/** Client addresses sending one request each: more than the service remembers. */
const FLOOD = 10_050;

/** The rate limit alone, behind a stand-in for the auth hook: a token header names a token. */
async function limited(perMinute: number): Promise<FastifyInstance> {
  const app = Fastify();
  app.decorateRequest('principal', null);
  app.addHook('onRequest', (request, _reply, done) => {
    const token = request.headers['x-token'];
    request.principal =
      typeof token === 'string'
        ? { kind: 'token', id: token, name: token, scope: 'read', labels: {} }
        : anonymous('read');
    done();
  });
  registerRateLimit(app, perMinute);
  app.get('/v1/plans', () => ({ items: [] }));
  await app.ready();
  return app;
}

describe('rate limit windows of callers without a token', () => {
  it("never push out a token's window, however many addresses send", async () => {
    const app = await limited(2);
    try {
      const asToken = () => app.inject({ url: '/v1/plans', headers: { 'x-token': 'pipeline' } });
      expect((await asToken()).headers['x-ratelimit-remaining']).toBe('1');
      const addresses = Array.from({ length: FLOOD }, (_, i) => `10.0.${i >> 8}.${i & 255}`);
      const answers = await Promise.all(
        addresses.map((remoteAddress) => app.inject({ url: '/v1/plans', remoteAddress })),
      );
      // Each address was counted as a caller of its own.
      expect(new Set(answers.map((a) => a.headers['x-ratelimit-remaining']))).toEqual(new Set(['1']));
      expect((await asToken()).headers['x-ratelimit-remaining']).toBe('0');
      expect((await asToken()).statusCode).toBe(429);
      expect(FLOOD).toBeGreaterThan(RATE_LIMIT_ADDRESSES);
    } finally {
      await app.close();
    }
  });
});
