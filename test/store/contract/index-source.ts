import { beforeEach, describe, expect, it } from 'vitest';
import { Cidr, IpAddress } from '../../../src/domain/ip/index.js';
import type { IndexedPlan } from '../../../src/store/plan-store.js';
import type { Store } from '../../../src/store/store.js';
import { type CurrentStore, planWrite, type TestClock } from './fixtures.js';

const summary = (p: IndexedPlan) => ({
  name: p.name,
  revision: p.revision,
  labels: p.labels,
  hasNodes: p.hasNodes,
  ranges: p.ranges.map((r) => `${r.kind} ${r.cidr}`),
});

/** What an in-memory lookup index reads: a snapshot, a cheap version, and the changes since one. */
export function indexSourceContract(current: CurrentStore, clock: TestClock): void {
  describe('lookup index source', () => {
    let store: Store;
    beforeEach(() => {
      store = current();
    });

    it('snapshots every plan with its address ranges (not its VNet), labels and whether nodes are recorded', async () => {
      const vnet = {
        network: { plugin: 'azure-cni-node-subnet' as const, vnetAddressSpace: ['10.240.0.0/12'] },
      };
      await store.createPlan({ ...planWrite('alpha', '10.240.0.0/24', vnet), labels: { env: 'prod' } });
      const { version, plans } = await store.indexSnapshot();
      expect(version).toBe(await store.changeVersion());
      expect(plans.map(summary)).toEqual([
        {
          name: 'alpha',
          revision: 1,
          labels: { env: 'prod' },
          hasNodes: false,
          ranges: ['node-subnet 10.240.0.0/24', 'service-cidr 10.0.0.0/16'],
        },
      ]);
    });

    it('snapshots plans by id, and a range many plans share as one CIDR value', async () => {
      // 100,000 plans on the default service CIDR hold one parsed 10.0.0.0/16, not 100,000.
      const created = [];
      for (const [i, n] of [300, 20, 1000, 5].entries()) {
        clock.nextIdIs(n);
        created.push((await store.createPlan(planWrite(`p${i}`, `10.24${i}.0.0/24`))).id);
      }
      const { plans } = await store.indexSnapshot();
      // The order the index files them in (the ids are random: creation order is another).
      expect(plans.map((p) => p.id)).toEqual([...created].sort());
      const services = plans.map((p) => p.ranges.find((r) => r.kind === 'service-cidr')?.cidr);
      expect(services[0]?.toString()).toBe('10.0.0.0/16');
      expect(services[1]).toBe(services[0]);
    });

    it('answers a version read no earlier than the time asked: a request after a write sees it', async () => {
      const arrived = performance.now();
      const first = await store.changeVersion(arrived);
      await store.createPlan(planWrite('alpha', '10.240.0.0/24'));
      // A read started before the write cannot serve a request that arrived after it.
      expect(await store.changeVersion(performance.now())).toBeGreaterThan(first);
      expect(await store.changeVersion(0)).toBeGreaterThan(first);
    });

    it('reports each create, replace, first recorded node and delete after a version, and nothing at the newest', async () => {
      const start = await store.changeVersion();
      expect(await store.indexChangesSince(start)).toEqual({ version: start, plans: [], removed: [] });
      const a = await store.createPlan(planWrite('alpha', '10.240.0.0/24'));
      const b = await store.createPlan(planWrite('beta', '10.241.0.0/24'));
      const afterCreates = await store.changeVersion();
      expect(afterCreates).toBeGreaterThan(start);
      const created = await store.indexChangesSince(start);
      expect(created?.plans.map((p) => p.name).sort()).toEqual(['alpha', 'beta']);
      expect(created?.version).toBe(afterCreates);

      await store.replacePlan(a.id, 1, planWrite('alpha', '10.250.0.0/24'));
      // Two nodes in one import: the plan's first nodes all the same.
      await store.recordNodes(b.id, [
        { name: 'n1', pool: 'system', nodeIp: IpAddress.parse('10.241.0.4'), podCidr: null },
        { name: 'n2', pool: 'system', nodeIp: IpAddress.parse('10.241.0.35'), podCidr: null },
      ]);
      const changed = await store.indexChangesSince(afterCreates);
      expect(changed?.plans.map(summary).map((p) => [p.name, p.revision, p.hasNodes, p.ranges[0]])).toEqual(
        expect.arrayContaining([
          ['alpha', 2, false, 'node-subnet 10.250.0.0/24'],
          ['beta', 1, true, 'node-subnet 10.241.0.0/24'],
        ]),
      );
      const afterChanges = await store.changeVersion();
      await store.deletePlan(a.id);
      expect(await store.indexChangesSince(afterChanges)).toEqual({
        version: await store.changeVersion(),
        plans: [],
        removed: [a.id],
      });
      expect((await store.indexSnapshot()).plans.map((p) => p.name)).toEqual(['beta']);
      expect(
        Cidr.parse('10.241.0.0/24').equals((await store.indexSnapshot()).plans[0]?.ranges[0]?.cidr as Cidr),
      ).toBe(true);
    });
  });
}
