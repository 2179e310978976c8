import { beforeEach, describe, expect, it } from 'vitest';
import type { TokenStore, TokenWrite } from '../../../src/store/token-store.js';
import type { CurrentStore } from './fixtures.js';

function tokenWrite(id: string, overrides: Partial<TokenWrite> = {}): TokenWrite {
  return {
    id,
    name: `token ${id}`,
    scopes: ['read'],
    labels: {},
    secretHash: id.padEnd(64, '0'),
    expiresAt: null,
    ...overrides,
  };
}

const NOW = new Date('2026-01-05T09:00:00.000Z');

/** API tokens: hashes only, revocation, the first admin created once, a version that moves. */
export function tokenContract(current: CurrentStore): void {
  describe('tokens', () => {
    let tokens: TokenStore;
    beforeEach(() => {
      tokens = current().tokens;
    });

    it('keeps the hash it is given and finds the token by id', async () => {
      const stored = await tokens.create(
        tokenWrite('aaaaaaaaaaaa', { scopes: ['write', 'read'], labels: { team: 'x' } }),
      );
      expect(stored).toEqual({
        id: 'aaaaaaaaaaaa',
        name: 'token aaaaaaaaaaaa',
        scopes: ['write', 'read'],
        labels: { team: 'x' },
        createdAt: NOW.toISOString(),
        expiresAt: null,
        revokedAt: null,
      });
      expect((await tokens.find('aaaaaaaaaaaa'))?.secretHash).toBe('aaaaaaaaaaaa'.padEnd(64, '0'));
      expect(await tokens.find('bbbbbbbbbbbb')).toBeUndefined();
    });

    it('revokes once, keeps the revoked token findable, and lists only unrevoked ones in pages', async () => {
      for (const id of ['000000000001', '000000000002', '000000000003']) await tokens.create(tokenWrite(id));
      expect(await tokens.revoke('000000000002', NOW)).toBe(true);
      expect(await tokens.revoke('000000000002', NOW)).toBe(false);
      expect(await tokens.revoke('000000000009', NOW)).toBe(false);
      expect((await tokens.find('000000000002'))?.revokedAt).toBe(NOW.toISOString());
      const first = await tokens.list({ limit: 1 });
      expect(first.items.map((t) => t.id)).toEqual(['000000000001']);
      const second = await tokens.list({ limit: 5, cursor: first.nextCursor ?? '' });
      expect(second).toEqual({ items: [expect.objectContaining({ id: '000000000003' })], nextCursor: null });
    });

    it('moves its change version with every create and revoke', async () => {
      const before = await tokens.changeVersion();
      await tokens.create(tokenWrite('aaaaaaaaaaaa'));
      const created = await tokens.changeVersion();
      expect(created).toBeGreaterThan(before);
      await tokens.revoke('aaaaaaaaaaaa', NOW);
      expect(await tokens.changeVersion()).toBeGreaterThan(created);
    });

    it('answers a version read no earlier than the time asked: a request after a revoke sees it', async () => {
      await tokens.create(tokenWrite('aaaaaaaaaaaa'));
      const read = await tokens.changeVersion(performance.now());
      await tokens.revoke('aaaaaaaaaaaa', NOW);
      expect(await tokens.changeVersion(performance.now())).toBeGreaterThan(read);
    });

    it('creates the first admin only while no usable admin token exists', async () => {
      const admin = (id: string, extra: Partial<TokenWrite> = {}) =>
        tokenWrite(id, { scopes: ['admin'], ...extra });
      await tokens.create(tokenWrite('00000000000a', { scopes: ['write'] }));
      await tokens.create(admin('00000000000b', { expiresAt: '2026-01-01T00:00:00.000Z' })); // expired
      expect(await tokens.hasUsableAdmin(NOW)).toBe(false);
      expect(await tokens.createFirstAdmin(admin('00000000000c'), NOW)).toMatchObject({ id: '00000000000c' });
      expect(await tokens.hasUsableAdmin(NOW)).toBe(true);
      expect(await tokens.createFirstAdmin(admin('00000000000d'), NOW)).toBeUndefined();
      await tokens.revoke('00000000000c', NOW);
      expect(await tokens.hasUsableAdmin(NOW)).toBe(false);
      expect(await tokens.createFirstAdmin(admin('00000000000e'), NOW)).toMatchObject({ id: '00000000000e' });
    });
  });
}
