import { describe, expect, it } from 'vitest';
import { IpAddress } from '../../src/domain/ip/index.js';
import { ObservedPods, type PodAddress } from '../../src/domain/pods/pod-address.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import type { PodHistory } from '../../src/store/sqlite/pod-history.js';
import { turnsDuring } from '../support/event-loop-turns.js';
import { planWrite } from './contract/fixtures.js';

const pod = (name: string, k: number): PodAddress => ({
  ip: IpAddress.parse(`10.240.${(k >> 8) & 255}.${k & 255}`),
  namespace: 'shop',
  pod: name,
  ownerKind: 'ReplicaSet',
  ownerName: 'web',
  node: 'aks-system-0',
  hostNetwork: false,
});
const T = (hour: number) => new Date(Date.UTC(2026, 10, 30, hour)).toISOString();
const pods = (count: number, generation: string) =>
  Array.from({ length: count }, (_, k) => pod(`web-${k}-${k % 10 === 0 ? generation : 'g0'}`, k));

async function storeWithPlan() {
  const store = openSqliteStore(':memory:');
  const { id } = await store.createPlan(planWrite('alpha', '10.240.0.0/16'));
  return { store, planId: id };
}

describe('a pod import into SQLite', () => {
  it('compares with the open intervals before its transaction, letting the event loop in', async () => {
    const { store, planId } = await storeWithPlan();
    await store.recordPods(planId, pods(12_000, 'g1'), T(10));
    let result: unknown;
    const turns = await turnsDuring(async () => {
      result = await store.recordPods(planId, pods(12_000, 'g2'), T(11));
    });
    expect(result).toEqual({ observedAt: T(11), seen: 12_000, opened: 1_200, closed: 1_200 });
    // Reads of 1,000 open intervals, each compared as it is read, and 24,000 items compared
    // 2,000 a step, then the write.
    expect(turns).toBeGreaterThanOrEqual(10);
    await store.close();
  });

  it('compares again in its transaction when another import came between', async () => {
    const { store, planId } = await storeWithPlan();
    await store.recordPods(planId, pods(100, 'g1'), T(10));
    const history = (store as unknown as { podHistory: PodHistory }).podHistory;
    const openPage = history.openPage.bind(history);
    let overtaken = false;
    history.openPage = (...args) => {
      const page = openPage(...args);
      if (!overtaken) {
        overtaken = true; // another import commits once this one has read the open intervals
        history.apply(planId, ObservedPods.of([]), T(11));
      }
      return page;
    };
    const result = await store.recordPods(planId, pods(100, 'g2'), T(12));
    // Everything was closed at 11:00: the import opens all 100 again, and closes nothing.
    expect(result).toEqual({ observedAt: T(12), seen: 100, opened: 100, closed: 0 });
    const open = await store.podsAt(planId, [pod('x', 0).ip]);
    expect(open.map((i) => [i.pod, i.from])).toEqual([['web-0-g2', T(12)]]);
    await store.close();
  });
});
