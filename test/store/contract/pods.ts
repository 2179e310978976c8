import { beforeEach, describe, expect, it } from 'vitest';
import { notFound } from '../../../src/domain/errors.js';
import { IpAddress } from '../../../src/domain/ip/index.js';
import type { PodAddress } from '../../../src/domain/pods/pod-address.js';
import type { StoredPlan } from '../../../src/store/plan-store.js';
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

    it('writes every pod of an import longer than one statement, each as it was seen', async () => {
      // 450 pods: two statements of 200 rows, then 50 one at a time (SQLite).
      const pods = Array.from({ length: 450 }, (_, k) =>
        pod(`web-${k}`, `10.240.${1 + (k >> 8)}.${k & 255}`, `aks-system-${k % 3}`),
      );
      expect((await store.recordPods(planId, pods, T(10))).opened).toBe(450);
      const held = await store.podsAt(
        planId,
        pods.map((p) => p.ip),
        T(10),
      );
      expect(held.map((i) => [i.ip.toString(), i.pod, i.node, i.from, i.to])).toEqual(
        pods.map((p) => [p.ip.toString(), p.pod, p.node, T(10), null]),
      );
    });

    it('writes a large import as a small one: its intervals, closes, change note and audit entry', async () => {
      // 2,500 pods: past the rows a SQLite file's store writes on its import writer's thread.
      const generation = (g: number) =>
        Array.from({ length: 2_500 }, (_, k) => pod(`web-${k}-g${g}`, `10.240.${1 + (k >> 8)}.${k & 255}`));
      const audited = (await store.audit.entries({ limit: 100 })).items.length;
      const before = await store.changeVersion();
      expect(await store.recordPods(planId, generation(1), T(10))).toEqual({
        observedAt: T(10),
        seen: 2_500,
        opened: 2_500,
        closed: 0,
      });
      expect((await store.indexChangesSince(before))?.plans.map((p) => p.id)).toEqual([planId]);
      const refuse = () => {
        throw notFound.plan('alpha');
      };
      expect((await rejection(store.recordPods(planId, generation(2), T(11), undefined, refuse))).code).toBe(
        'PLAN_NOT_FOUND',
      );
      expect((await rejection(store.recordPods(planId, generation(2), T(9)))).code).toBe(
        'OBSERVED_AT_INVALID',
      );
      expect((await store.recordPods(planId, generation(2), T(11))).closed).toBe(2_500);
      const last = pod('x', '10.240.10.195').ip;
      expect(who(await store.podsAt(planId, [last], T(10)))).toEqual([['web-2499-g1', T(10), T(11)]]);
      expect(who(await store.podsAt(planId, [last]))).toEqual([['web-2499-g2', T(11), null]]);
      const entries = (await store.audit.entries({ limit: 100 })).items.slice(0, -audited || undefined);
      expect(entries.map((e) => [e.action, e.target.id])).toEqual([
        ['pods.import', planId],
        ['pods.import', planId],
      ]);
    });

    it("answers no interval that ended before retention's horizon, pruned yet or not", async () => {
      await store.recordPods(planId, [pod('web-1', '10.240.0.57')], T(10));
      await store.recordPods(planId, [pod('web-2', '10.240.0.57')], T(14)); // web-1 ends at 14:00
      expect(who(await store.podsAt(planId, [ip], T(12), T(14)))).toEqual([['web-1', T(10), T(14)]]);
      expect(await store.podsAt(planId, [ip], T(12), T(15))).toEqual([]);
      expect(who(await store.podsAt(planId, [ip], T(15), T(16)))).toEqual([['web-2', T(14), null]]);
      const kept = await store.addressHistory(planId, ip, { limit: 10 }, T(15));
      expect(who(kept.items)).toEqual([['web-2', T(14), null]]);
      expect((await store.addressHistory(planId, ip, { limit: 10 }, T(14))).items).toHaveLength(2);
    });

    it("runs the caller's check on the plan in the import's transaction; a refusal writes nothing", async () => {
      const seen: string[] = [];
      const refuse = (plan: StoredPlan) => {
        seen.push(plan.id);
        throw notFound.plan('alpha');
      };
      const audited = (await store.audit.entries({ limit: 100 })).items.length;
      const refused = await rejection(
        store.recordPods(planId, [pod('web-1', '10.240.0.57')], T(10), undefined, refuse),
      );
      expect(refused.code).toBe('PLAN_NOT_FOUND');
      expect(seen).toEqual([planId]);
      expect(await store.podsAt(planId, [ip])).toEqual([]);
      expect((await store.audit.entries({ limit: 100 })).items).toHaveLength(audited);
      expect(
        (await store.recordPods(planId, [pod('web-1', '10.240.0.57')], T(10), undefined, () => {})).opened,
      ).toBe(1);
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
      // Each deletion counts against the plan, for readers holding its records to read it anew.
      expect((await store.podIntervalPage(planId, 0, 1)).pruned).toBe(2);
      expect(who((await store.addressHistory(planId, ip, { limit: 10 })).items)).toEqual([
        ['web-3', T(3), null],
      ]);
    });

    it('marks the plan as having records for lookups', async () => {
      await store.recordPods(planId, [pod('web-1', '10.240.0.57')], T(10));
      const snapshot = await store.indexSnapshot();
      expect(snapshot.plans.find((p) => p.id === planId)?.hasNodes).toBe(true);
    });

    it('logs every pod and node import as a change of the plan, for every process holding its records', async () => {
      await store.recordPods(planId, [pod('web-1', '10.240.0.57')], T(10));
      const before = await store.changeVersion();
      await store.recordPods(planId, [pod('web-1', '10.240.0.57')], T(11));
      const afterPods = await store.changeVersion();
      expect(afterPods).toBeGreaterThan(before);
      await store.recordNodes(planId, [
        { name: 'aks-system-0', pool: 'system', nodeIp: null, podCidr: null },
      ]);
      expect(await store.changeVersion()).toBeGreaterThan(afterPods);
      expect((await store.indexChangesSince(before))?.plans.map((p) => p.id)).toEqual([planId]);
    });

    it("reads a plan's intervals for memory: page by page, then only what changed since", async () => {
      const other = (await store.createPlan(planWrite('beta'))).id;
      const host = { ...pod('agent', '10.240.0.4'), hostNetwork: true };
      await store.recordPods(planId, [pod('web-1', '10.240.0.57'), pod('web-2', '10.240.0.58'), host], T(10));
      const first = await store.podIntervalPage(planId, 0, 1);
      expect(first.imports).toBe(1);
      const second = await store.podIntervalPage(planId, first.rows[0]?.seq ?? Number.NaN, 5);
      expect([...first.rows, ...second.rows].map((r) => [r.ip, r.pod, r.from, r.to])).toEqual([
        ['10.240.0.57', 'web-1', T(10), null],
        ['10.240.0.58', 'web-2', T(10), null],
      ]); // the host-network pod is left out: its address is its node's
      const lastSeq = second.rows[0]?.seq ?? Number.NaN;
      expect((await store.podIntervalPage(planId, lastSeq, 5)).rows).toEqual([]);
      expect((await store.podIntervalsClosedSince(planId, 1, undefined, 5)).rows).toEqual([]);

      // Another plan's churn is not this plan's; two imports at one time both count.
      await store.recordPods(other, [pod('web-9', '10.240.0.57')], T(11));
      await store.recordPods(planId, [pod('web-1', '10.240.0.57'), pod('web-3', '10.240.0.59')], T(12));
      await store.recordPods(planId, [pod('web-3', '10.240.0.59'), host], T(12));
      const added = await store.podIntervalPage(planId, lastSeq, 5);
      expect(added.imports).toBe(3);
      expect(added.rows.map((r) => [r.ip, r.pod, r.from, r.to])).toEqual([
        ['10.240.0.59', 'web-3', T(12), null],
      ]);
      const closed = await store.podIntervalsClosedSince(planId, 1, undefined, 1);
      expect(closed.rows.map((r) => [r.pod, r.to, r.closedBy])).toEqual([['web-2', T(12), 2]]);
      const rest = await store.podIntervalsClosedSince(
        planId,
        1,
        { closedBy: 2, seq: closed.rows[0]?.seq ?? 0 },
        5,
      );
      expect(rest.rows.map((r) => [r.pod, r.to, r.closedBy])).toEqual([['web-1', T(12), 3]]);
      expect((await store.podIntervalsClosedSince(planId, 3, undefined, 5)).rows).toEqual([]);
      expect(await store.podIntervalPage('missing', 0, 10)).toEqual({ imports: 0, pruned: 0, rows: [] });
    });
  });
}
