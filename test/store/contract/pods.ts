import { beforeEach, describe, expect, it } from 'vitest';
import { IpAddress } from '../../../src/domain/ip/index.js';
import type { PodAddress } from '../../../src/domain/pods/kubectl-pods.js';
import type { Store } from '../../../src/store/store.js';
import { type CurrentStore, planWrite, rejection } from './fixtures.js';

const pod = (name: string, ip: string, node = 'aks-system-0'): PodAddress => ({
  ip: IpAddress.parse(ip),
  namespace: 'shop',
  pod: name,
  ownerKind: 'ReplicaSet',
  ownerName: 'web-7d9f',
  node,
  hostNetwork: false,
});
const T = (hour: number) => new Date(Date.UTC(2026, 10, 30, hour)).toISOString();
const who = (intervals: readonly { pod: string; from: string; to: string | null }[]) =>
  intervals.map((i) => [i.pod, i.from, i.to]);

/** Pod address history: intervals opened and closed by imports, read at any time. */
export function podContract(current: CurrentStore): void {
  describe('pod address history', () => {
    let store: Store;
    let planId: string;
    const ip = IpAddress.parse('10.240.0.57');
    beforeEach(async () => {
      store = current();
      planId = (await store.createPlan(planWrite('alpha'))).id;
    });

    it('opens, keeps and closes intervals as imports see pods come, stay and go', async () => {
      expect(await store.recordPods(planId, [pod('web-1', '10.240.0.57')], T(10))).toEqual({
        observedAt: T(10),
        seen: 1,
        opened: 1,
        closed: 0,
      });
      expect((await store.recordPods(planId, [pod('web-1', '10.240.0.57')], T(11))).opened).toBe(0);
      const moved = await store.recordPods(planId, [pod('web-2', '10.240.0.57', 'aks-system-1')], T(14));
      expect([moved.opened, moved.closed]).toEqual([1, 1]);

      expect(who(await store.podsAt(planId, [ip], T(13)))).toEqual([['web-1', T(10), T(14)]]);
      expect(who(await store.podsAt(planId, [ip], T(14)))).toEqual([['web-2', T(14), null]]);
      expect(await store.podsAt(planId, [ip], T(9))).toEqual([]);
      expect(who(await store.podsAt(planId, [ip]))).toEqual([['web-2', T(14), null]]);

      const history = await store.addressHistory(planId, ip, { limit: 1 });
      expect(who(history.items)).toEqual([['web-2', T(14), null]]);
      const rest = await store.addressHistory(planId, ip, { limit: 5, cursor: history.nextCursor ?? '' });
      expect(who(rest.items)).toEqual([['web-1', T(10), T(14)]]);
      expect(rest.nextCursor).toBeNull();
    });

    it('refuses an import observed before the last one, and a plan that does not exist', async () => {
      await store.recordPods(planId, [pod('web-1', '10.240.0.57')], T(10));
      expect((await rejection(store.recordPods(planId, [], T(9)))).code).toBe('OBSERVED_AT_INVALID');
      expect((await rejection(store.recordPods('missing', [], T(9)))).code).toBe('PLAN_NOT_FOUND');
    });

    it('prunes closed intervals that ended before the cutoff, never open ones', async () => {
      await store.recordPods(planId, [pod('web-1', '10.240.0.57')], T(1));
      await store.recordPods(planId, [pod('web-2', '10.240.0.57')], T(2));
      await store.recordPods(planId, [pod('web-3', '10.240.0.57')], T(3));
      expect(await store.pruneAddressHistory(T(4), 1)).toBe(1);
      expect(await store.pruneAddressHistory(T(4), 100)).toBe(1);
      expect(await store.pruneAddressHistory(T(4), 100)).toBe(0);
      expect(who((await store.addressHistory(planId, ip, { limit: 10 })).items)).toEqual([
        ['web-3', T(3), null],
      ]);
    });

    it('marks the plan as having records for lookups', async () => {
      await store.recordPods(planId, [pod('web-1', '10.240.0.57')], T(10));
      const snapshot = await store.indexSnapshot();
      expect(snapshot.plans.find((p) => p.id === planId)?.hasNodes).toBe(true);
    });
  });
}
