import { describe, expect, it } from 'vitest';
import { IpAddress } from '../../src/domain/ip/index.js';
import type { PodAddress } from '../../src/domain/pods/pod-address.js';
import { forgetPodHistory } from '../../src/service/pod-service.js';
import { createServices } from '../../src/service/services.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';

const pod = (name: string): PodAddress => ({
  ip: IpAddress.parse('10.240.0.57'),
  namespace: 'shop',
  pod: name,
  ownerKind: null,
  ownerName: null,
  node: 'aks-system-0',
  hostNetwork: false,
});
const day = (d: number) => new Date(Date.UTC(2026, 0, 1) + d * 86_400_000).toISOString();

describe('pod history retention', () => {
  it('forgets intervals closed more than the retention ago, and keeps the rest and the open ones', async () => {
    const store = openSqliteStore(':memory:');
    const { plans } = createServices(store);
    const { plan } = await plans.create({
      name: 'dyn',
      network: { plugin: 'azure-cni-node-subnet', nodeSubnet: '10.240.0.0/24' },
      nodePools: [{ name: 'system', nodeCount: 3 }],
    });
    await store.recordPods(plan.id, [pod('a')], day(0));
    await store.recordPods(plan.id, [pod('b')], day(5)); // a closed on day 5
    await store.recordPods(plan.id, [pod('c')], day(95)); // b closed on day 95
    const removed = await forgetPodHistory(store, 90, new Date(day(100)));
    expect(removed).toBe(1);
    const left = await store.addressHistory(plan.id, IpAddress.parse('10.240.0.57'), { limit: 10 });
    expect(left.items.map((i) => i.pod)).toEqual(['c', 'b']);
    await store.close();
  });
});
