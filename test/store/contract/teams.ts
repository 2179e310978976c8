import { beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.js';
import { type CurrentStore, planWrite, size, spaceWrite } from './fixtures.js';

const PAYMENTS = { team: 'payments' };

/** What a team sees when the store lists or sweeps for it. */
export function teamContract(current: CurrentStore): void {
  describe('team views', () => {
    let store: Store;
    /** A space the fixtures created. */
    const spaceNamed = async (name: string) => {
      const space = await store.spaces.getSpace(name);
      if (space === undefined) throw new Error(`no space ${name}`);
      return space;
    };
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

    it('lists, to a token of several labels, the spaces carrying all of them or none of their keys', async () => {
      const prod = { ...PAYMENTS, env: 'prod' };
      const both = await store.spaces.createSpace({
        ...spaceWrite('own-prod', '10.253.0.0/16'),
        labels: prod,
      });
      const own = await spaceNamed('own');
      await store.spaces.allocate(own.id, size(28), { purpose: 'payments only' });
      await store.spaces.allocate(both.id, size(28), { purpose: 'prod' });
      const spaces = await store.spaces.listSpaces({ limit: 10, team: prod });
      expect(spaces.items.map((s) => s.name)).toEqual(['shared', 'own-prod']);
      const held = (await store.heldRanges(prod)).filter((h) => h.holder.type === 'allocation');
      expect(held.map((h) => h.holder.name).sort()).toEqual([
        'own-prod: prod',
        "shared: another team's block",
      ]);
    });

    it("names a block another team's plan holds in the team's own space as another team's", async () => {
      const own = await spaceNamed('own');
      const ask = {
        space: own.id,
        path: 'network.nodeSubnet',
        request: size(26),
        purpose: 'node-subnet of plan intruder',
      };
      await store.createPlanFromSpaces(
        [ask],
        (blocks) => ({
          write: { ...planWrite('intruder', String(blocks[0])), labels: { team: 'other' } },
          saw: [],
        }),
        'commit',
      );
      await store.spaces.allocate(own.id, size(28), { purpose: 'in our space' });
      const named = (await store.heldRanges(PAYMENTS))
        .map((h) => h.holder.name)
        .filter((name) => name.startsWith('own:'))
        .sort();
      expect(named).toEqual(["own: another team's block", 'own: in our space']);
      const everyone = (await store.heldRanges()).map((h) => h.holder.name);
      expect(everyone).toContain('own: node-subnet of plan intruder');
    });

    it('remembers which team took each block', async () => {
      const shared = await spaceNamed('shared');
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

    it("takes a plan's blocks for its team's, as the plan's labels are now", async () => {
      const shared = await spaceNamed('shared');
      const ask = {
        space: shared.id,
        path: 'network.nodeSubnet',
        request: size(26),
        purpose: 'node-subnet of plan moved',
      };
      const { allocations, plan } = await store.createPlanFromSpaces(
        [ask],
        (blocks) => ({ write: { ...planWrite('moved', String(blocks[0])), labels: PAYMENTS }, saw: [] }),
        'commit',
      );
      const id = allocations[0]?.id ?? '';
      expect((await store.spaces.allocationOwners([id])).get(id)).toEqual(PAYMENTS);
      const moved = { ...planWrite('moved', String(allocations[0]?.cidr)), labels: { team: 'other' } };
      await store.replacePlan(plan?.id ?? '', 1, moved);
      expect((await store.spaces.allocationOwners([id])).get(id)).toEqual({ team: 'other' });
    });

    it('sweeps only the team plans and the blocks of spaces it sees, naming only its own blocks', async () => {
      const shared = await spaceNamed('shared');
      const own = await spaceNamed('own');
      await store.spaces.allocate(shared.id, size(28), { purpose: 'ours', ownerLabels: PAYMENTS });
      await store.spaces.allocate(shared.id, size(28), { purpose: 'secret', ownerLabels: { team: 'other' } });
      await store.spaces.allocate(own.id, size(28), { purpose: 'in our space' });
      const held = await store.heldRanges(PAYMENTS);
      expect(held.map((h) => `${h.holder.type} ${h.holder.name}`).sort()).toEqual([
        'allocation own: in our space',
        "allocation shared: another team's block",
        "allocation shared: another team's block",
        'allocation shared: ours',
        'plan mine',
        'plan mine',
      ]);
      const everyone = (await store.heldRanges()).filter((h) => h.holder.type === 'allocation');
      expect(everyone.map((h) => h.holder.name)).toContain('shared: secret');
      expect((await store.heldRanges()).filter((h) => h.holder.type === 'plan')).toHaveLength(6);
    });
  });
}
