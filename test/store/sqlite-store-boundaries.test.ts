import { describe, expect, it } from 'vitest';
import { IpAddress } from '../../src/domain/ip/index.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import { planWrite, TestClock } from '../store/contract/fixtures.js';

const T = (hour: number) => new Date(Date.UTC(2026, 10, 30, hour)).toISOString();
const pod = (name: string, ip: string) => ({
  ip: IpAddress.parse(ip),
  namespace: 'shop',
  pod: name,
  ownerKind: 'ReplicaSet',
  ownerName: 'web-7d9f',
  node: 'aks-system-0',
  hostNetwork: false,
});

function open() {
  const clock = new TestClock();
  clock.reset();
  return openSqliteStore(':memory:', clock);
}

describe('SQLite store boundaries', () => {
  // Guards src/store/sqlite/pod-history.ts: prune `to_at < ?` -> `to_at <= ?`. Reads answer
  // an interval that ended exactly at retention's horizon (contract: podsAt(.., T(14)) answers
  // web-1, ended at 14:00); pruning at that same cutoff must then keep it.
  it('prunes only intervals closed before the cutoff, not one closed at it', async () => {
    const store = open();
    try {
      const planId = (await store.createPlan(planWrite('alpha'))).id;
      const ip = IpAddress.parse('10.240.0.57');
      await store.recordPods(planId, [pod('web-1', '10.240.0.57')], T(10));
      await store.recordPods(planId, [pod('web-2', '10.240.0.57')], T(14)); // web-1 ends at 14:00
      expect(await store.pruneAddressHistory(T(14), 100)).toBe(0);
      expect((await store.podsAt(planId, [ip], T(12), T(14))).map((i) => i.pod)).toEqual(['web-1']);
      expect(await store.pruneAddressHistory(T(15), 100)).toBe(1);
    } finally {
      await store.close();
    }
  });

  // Guards src/store/sqlite/sqlite-token-store.ts: `expires_at > ?` -> `expires_at >= ?`
  // in usableAdmin: an admin token expiring exactly now counts as usable.
  it('does not count an admin token that expires at this very instant as usable', async () => {
    const store = open();
    try {
      const now = new Date('2026-01-05T10:00:00.000Z');
      await store.tokens.create({
        id: 'a1',
        name: 'admin',
        scopes: ['admin'],
        labels: {},
        secretHash: 'x'.repeat(64),
        expiresAt: now.toISOString(),
      });
      expect(await store.tokens.hasUsableAdmin(now)).toBe(false);
      expect(await store.tokens.hasUsableAdmin(new Date(now.getTime() - 1))).toBe(true);
    } finally {
      await store.close();
    }
  });

  // Guards src/store/sqlite/sqlite-space-store.ts: allocations() without
  // `this.spaces.read(spaceId)`: a page of an unknown (or just deleted) space is an empty page
  // instead of SPACE_NOT_FOUND, unlike allocation() and allocatedCidrs().
  it('refuses the allocations of a space that does not exist', async () => {
    const store = open();
    try {
      const error = await store.spaces.allocations('missing', { limit: 10 }).then(
        () => undefined,
        (e: unknown) => e as { code?: string },
      );
      expect(error?.code).toBe('SPACE_NOT_FOUND');
    } finally {
      await store.close();
    }
  });
});
