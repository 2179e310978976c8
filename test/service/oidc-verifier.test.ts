/**
 * OpenID discovery while the identity provider is down: one fetch shared by the requests that
 * wait on it, and its failure remembered for a few seconds so that requests fail fast.
 */
import { generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DISCOVERY_RETRY_MS,
  IdentityProviderUnavailable,
  OidcVerifier,
} from '../../src/service/oidc-verifier.js';

const ISSUER = 'https://login.example.com/tenant/v2.0';
const OPTIONS = { issuer: ISSUER, audience: 'api://aks-ip-planner', rolesClaim: 'roles' };
let token: string;

beforeAll(async () => {
  const { privateKey } = await generateKeyPair('RS256');
  token = await new SignJWT({ roles: ['ipam.read'] })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setSubject('user-1')
    .setIssuer(ISSUER)
    .setAudience(OPTIONS.audience)
    .setExpirationTime('10m')
    .sign(privateKey);
});

/** A provider whose discovery fails when told to, counting the fetches, on a clock the test moves. */
function downProvider() {
  const waiting: ((error: Error) => void)[] = [];
  const state = {
    fetches: 0,
    now: 1_000_000,
    warnings: [] as string[],
    /** Every fetch in flight fails. */
    fail: () => {
      for (const reject of waiting.splice(0)) reject(new Error('connect ECONNREFUSED'));
    },
  };
  const verifier = new OidcVerifier(OPTIONS, {
    fetchJson: () => {
      state.fetches++;
      return new Promise((_, reject) => waiting.push(reject));
    },
    now: () => state.now,
    warn: (message) => state.warnings.push(message),
  });
  return { verifier, state };
}

describe('OpenID discovery', () => {
  it('is one fetch shared by every request waiting on it', async () => {
    const { verifier, state } = downProvider();
    const waiting = [verifier.verify(token), verifier.verify(token), verifier.verify(token)];
    await Promise.resolve();
    state.fail();
    for (const answer of await Promise.allSettled(waiting)) {
      expect(answer.status).toBe('rejected');
      expect((answer as PromiseRejectedResult).reason).toBeInstanceOf(IdentityProviderUnavailable);
    }
    expect(state.fetches).toBe(1);
  });

  it(`remembers a failure for ${DISCOVERY_RETRY_MS} ms, then asks again`, async () => {
    const { verifier, state } = downProvider();
    const first = verifier.verify(token);
    state.fail();
    await expect(first).rejects.toThrow('connect ECONNREFUSED');
    expect(state.warnings).toHaveLength(1);
    expect(state.warnings[0]).toContain('OpenID discovery failed');
    state.now += DISCOVERY_RETRY_MS - 1;
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(IdentityProviderUnavailable);
    expect(state.fetches).toBe(1);
    state.now += 1;
    const again = verifier.verify(token);
    await Promise.resolve();
    expect(state.fetches).toBe(2);
    state.fail();
    await expect(again).rejects.toBeInstanceOf(IdentityProviderUnavailable);
  });
});
