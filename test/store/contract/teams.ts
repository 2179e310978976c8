import { beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.js';
import { type CurrentStore, planWrite, size, spaceWrite } from './fixtures.js';

const PAYMENTS = { team: 'payments' };

/** What a team sees when the store lists or sweeps for it. */
export function teamContract(current: CurrentStore): void {
  describe('team views', () => {
    let store: Store;
    beforeEach(async () => {
      store = current();
      await store.createPlan({ ...planWrite('mine', '10.240.0.0/24'), labels: { ...PAYMENTS, env: 'prod' } });
      await store.createPlan({ ...planWrite('theirs', '10.240.0.0/24'), labels: { team: 'other' } });
      await store.createPlan(planWrite('nobodys', '10.241.0.0/24'));
      const shared = await store.spaces.createSpace(spaceWrite('shared', '10.250.0.0/16'));
      await store.spaces.createSpace({ ...spaceWrite('own', '10.251.0.0/16'), labels: PAYMENTS });
      await store.spaces.createSpace({
        ...spaceWrite('foreign', '10.252.0.0/16'),
        labels: { team: 'other' },
      });
      await store.spaces.allocate(shared.id, size(24), { purpose: 'x' });
    });

    it('lists only the plans carrying the team labels', async () => {
      const plans = await store.listPlans({ limit: 10, team: PAYMENTS });
      expect(plans.items.map((p) => p.name)).toEqual(['mine']);
      expect((await store.listPlans({ limit: 10, team: {} })).items).toHaveLength(3);
    });

    it("lists the team spaces and the shared ones, not another team's", async () => {
      const spaces = await store.spaces.listSpaces({ limit: 10, team: PAYMENTS });
      expect(spaces.items.map((s) => s.name)).toEqual(['shared', 'own']);
    });

    it('remembers which team took each block', async () => {
      const shared = await store.spaces.getSpace('shared');
      if (shared === undefined) throw new Error('the shared space');
      const { allocation } = await store.spaces.allocate(shared.id, size(28), {
        purpose: 'y',
        ownerLabels: PAYMENTS,
      });
      const everyone = (await store.spaces.allocations(shared.id, { limit: 10 })).items.find(
        (a) => a.purpose === 'x',
      );
      const owners = await store.spaces.allocationOwners([allocation.id, everyone?.id ?? '']);
      expect([...owners.values()]).toEqual([PAYMENTS, {}]);
    });

    it('sweeps only the team plans and the blocks of spaces it sees', async () => {
      const held = await store.heldRanges(PAYMENTS);
      expect(held.map((h) => `${h.holder.type} ${h.holder.name}`).sort()).toEqual([
        'allocation shared: x',
        'plan mine',
        'plan mine',
      ]);
      expect((await store.heldRanges()).filter((h) => h.holder.type === 'plan')).toHaveLength(6);
    });
  });
}
