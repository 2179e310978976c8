/**
 * TRUST_PROXY: which X-Forwarded-For entries name proxies, so that the client address rate
 * limits count by is the one the proxy saw, never one the client wrote.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { StartupError } from '../../src/startup-error.js';
import { TEST_EDGE, testApp } from './support/app.js';

const WANTED =
  "false (the default: X-Forwarded-For is ignored), true (one proxy, such as the ingress, in front), a whole number of proxies in front from 1 to 10, or a comma-separated list of the proxies' addresses or CIDRs";

describe('TRUST_PROXY', () => {
  it.each([
    [undefined, false],
    ['', false], // an empty variable is unset
    ['false', false],
    ['true', 1],
    ['3', 3],
    ['10.0.0.0/8, 192.168.1.5,fd00::/8', ['10.0.0.0/8', '192.168.1.5', 'fd00::/8']],
    // One host as a range, at each family's longest prefix.
    ['10.0.0.0/32,fd00::/128', ['10.0.0.0/32', 'fd00::/128']],
  ])('%s is %j', (value, trust) => {
    expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toEqual(trust);
  });

  it.each([
    'yes',
    '0',
    '11',
    '-1',
    '10.0.0.0/33',
    '10.0.0.256',
    'ingress.local',
    '10.0.0.0/8,',
    '10.0.0.0/8/1',
  ])('refuses %j at start-up, saying what a good value is', (value) => {
    expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(StartupError);
    expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(
      `TRUST_PROXY ${JSON.stringify(value)} is not valid: set TRUST_PROXY to ${WANTED}`,
    );
  });
});

describe('the client address behind proxies', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  /** Anonymous reads limited to one a minute per client address, behind TRUST_PROXY. */
  async function behind(trustProxy: string): Promise<FastifyInstance> {
    ({ app } = await testApp(undefined, {
      auth: { mode: 'tokens', anonymousRead: true },
      edge: { ...TEST_EDGE, rateLimitPerMinute: 1 },
      trustProxy: loadConfig({ TRUST_PROXY: trustProxy }).trustProxy,
    }));
    return app;
  }

  const read = (server: FastifyInstance, forwardedFor: string) =>
    server.inject({ method: 'GET', url: '/v1/plans', headers: { 'x-forwarded-for': forwardedFor } });

  it('with true, is the right-most entry, added by the proxy: a spoofed left-most one changes nothing', async () => {
    const server = await behind('true');
    expect((await read(server, '198.51.100.1, 203.0.113.7')).statusCode).toBe(200);
    const spoofed = await read(server, '198.51.100.2, 203.0.113.7');
    expect(spoofed.statusCode).toBe(429);
    expect(spoofed.json().detail).toContain('from address 203.0.113.7;');
    expect((await read(server, '198.51.100.2, 203.0.113.8')).statusCode).toBe(200);
  });

  it('with a number of proxies, is the entry the first of them added', async () => {
    const server = await behind('2');
    expect((await read(server, '198.51.100.1, 203.0.113.7, 10.0.0.5')).statusCode).toBe(200);
    const spoofed = await read(server, '198.51.100.2, 203.0.113.7, 10.0.0.6');
    expect(spoofed.json().detail).toContain('from address 203.0.113.7;');
  });

  it("with the proxies' addresses, is the right-most entry that is not one of them", async () => {
    // The test's requests come from 127.0.0.1: the proxy in front.
    const server = await behind('127.0.0.1, 10.0.0.0/8');
    expect((await read(server, '198.51.100.1, 203.0.113.7, 10.0.0.5')).statusCode).toBe(200);
    const spoofed = await read(server, '198.51.100.2, 203.0.113.7');
    expect(spoofed.json().detail).toContain('from address 203.0.113.7;');
  });

  it('with false, is the peer of the connection', async () => {
    const server = await behind('false');
    expect((await read(server, '203.0.113.7')).statusCode).toBe(200);
    expect((await read(server, '203.0.113.8')).json().detail).toContain('from address 127.0.0.1;');
  });
});
