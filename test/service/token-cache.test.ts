import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TokenService } from '../../src/service/token-service.js';
import type { TokenStore } from '../../src/store/token-store.js';

const SECRET = `aksip_${'a'.repeat(12)}_${'B'.repeat(43)}`;

/** A token store whose token read can be held back, and whose token can be revoked meanwhile. */
function slowStore(versionAtOnce: boolean) {
  const state = {
    version: 1,
    revokedAt: null as string | null,
    hold: undefined as Promise<void> | undefined,
  };
  const store = {
    // SQLite answers the version at once, PostgreSQL with a promise: both paths are held.
    changeVersion: versionAtOnce ? () => state.version : async () => state.version,
    find: async () => {
      const read = {
        id: 'a'.repeat(12),
        name: 'pipeline',
        scopes: ['read'],
        labels: {},
        createdAt: '2026-01-01T00:00:00.000Z',
        expiresAt: null,
        revokedAt: state.revokedAt,
        secretHash: createHash('sha256').update(SECRET).digest('hex'),
      };
      await state.hold; // the read was taken; its answer arrives later
      return read;
    },
  } as unknown as TokenStore;
  return { store, state };
}

describe.each([
  ['read at once', true],
  ['read with a promise', false],
])('the cache of checked tokens, the version %s', (_, versionAtOnce) => {
  it('never keeps a token found valid before a revocation that a later request has seen', async () => {
    const { store, state } = slowStore(versionAtOnce);
    const tokens = new TokenService(store);
    let release: () => void = () => {};
    state.hold = new Promise((resolve) => {
      release = resolve;
    });
    const before = tokens.authenticate(SECRET); // arrived before the revocation; its read is slow
    await new Promise((resolve) => setTimeout(resolve, 5));
    state.hold = undefined;
    state.revokedAt = '2026-12-01T00:00:00.000Z';
    state.version = 2; // the revocation is acknowledged
    expect(await tokens.authenticate(SECRET)).toBeUndefined();
    release();
    expect((await before)?.id).toBe('a'.repeat(12)); // it asked before the revocation
    expect(await tokens.authenticate(SECRET)).toBeUndefined();
  });

  it('answers a cached token without a promise only when the version is read at once', async () => {
    const { store } = slowStore(versionAtOnce);
    const tokens = new TokenService(store);
    expect((await tokens.authenticate(SECRET))?.id).toBe('a'.repeat(12));
    const again = tokens.authenticate(SECRET);
    expect(again instanceof Promise).toBe(!versionAtOnce);
    expect((await again)?.id).toBe('a'.repeat(12));
  });
});
