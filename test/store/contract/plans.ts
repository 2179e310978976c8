import { beforeEach, describe, expect, it } from 'vitest';
import type { PluginName } from '../../../src/domain/design/spec.js';
import { notFound } from '../../../src/domain/errors.js';
import { IpAddress } from '../../../src/domain/ip/index.js';
import { planDesign } from '../../../src/domain/plan/planner.js';
import { type CurrentStore, planWrite, rejection } from './fixtures.js';

/** Plans: create, read, list, replace, delete, and the lookup of plans by address. */
export function planContract(current: CurrentStore): void {
  describe('plans', () => {
    let store: ReturnType<CurrentStore>;
    beforeEach(() => {
      store = current();
    });

    it('creates a plan at revision 1 and reads it back whole', async () => {
      const created = await store.createPlan(planWrite('alpha'));
      expect(created).toMatchObject({ name: 'alpha', revision: 1 });
      expect(created.createdAt).toBe(created.updatedAt);
      expect(await store.getPlan(created.id)).toEqual(created);
      expect(created.spec).toEqual(planWrite('alpha').spec);
    });

    it('refuses a second plan with the same name', async () => {
      await store.createPlan(planWrite('alpha'));
      expect((await rejection(store.createPlan(planWrite('alpha')))).code).toBe('PLAN_NAME_TAKEN');
    });

    it('replaces at the expected revision only, and bumps it', async () => {
      const { id } = await store.createPlan(planWrite('alpha'));
      const replaced = await store.replacePlan(id, 1, planWrite('alpha', '10.241.0.0/24'));
      expect(replaced.revision).toBe(2);
      expect(replaced.spec.network.nodeSubnet).toBe('10.241.0.0/24');
      expect((await rejection(store.replacePlan(id, 1, planWrite('alpha')))).code).toBe('REVISION_MISMATCH');
      expect((await rejection(store.replacePlan('missing', 1, planWrite('alpha')))).code).toBe(
        'PLAN_NOT_FOUND',
      );
    });

    it('refuses to rename a plan onto another plan name', async () => {
      await store.createPlan(planWrite('alpha'));
      const { id } = await store.createPlan(planWrite('beta'));
      expect((await rejection(store.replacePlan(id, 1, planWrite('alpha')))).code).toBe('PLAN_NAME_TAKEN');
      expect((await store.getPlan(id))?.revision).toBe(1);
    });

    it('finds the plans whose ranges hold an address, and forgets them on replace and delete', async () => {
      const a = await store.createPlan(planWrite('alpha', '10.240.0.0/24'));
      const b = await store.createPlan(planWrite('beta', '10.241.0.0/16'));
      const at = (text: string) => IpAddress.parse(text);
      const ids = async (...texts: string[]) =>
        (await store.plansContaining(texts.map(at))).map((refs) => refs.map((r) => r.id));
      expect(await ids('10.240.0.8', '10.241.200.1', '10.242.0.1', '10.0.0.10')).toEqual([
        [a.id],
        [b.id],
        [],
        [a.id, b.id].sort(),
      ]);
      await store.replacePlan(a.id, 1, planWrite('alpha', '10.250.0.0/24'));
      expect(await store.plansContaining([at('10.250.0.8')])).toEqual([
        [{ id: a.id, name: 'alpha', revision: 2 }],
      ]);
      expect(await ids('10.240.0.8')).toEqual([[]]);
      expect(await store.deletePlan(b.id)).toBe(true);
      expect(await store.deletePlan(b.id)).toBe(false);
      expect(await ids('10.241.200.1')).toEqual([[]]);
    });

    it("runs the caller's check on the plan in the delete's transaction; a refusal deletes nothing", async () => {
      const { id } = await store.createPlan(planWrite('alpha'));
      const audited = (await store.audit.entries({ limit: 100 })).items.length;
      const seen: string[] = [];
      const refused = await rejection(
        store.deletePlan(id, undefined, undefined, (plan) => {
          seen.push(plan.id);
          throw notFound.plan('alpha');
        }),
      );
      expect(refused.code).toBe('PLAN_NOT_FOUND');
      expect(seen).toEqual([id]);
      expect((await store.getPlan(id))?.name).toBe('alpha');
      expect((await store.audit.entries({ limit: 100 })).items).toHaveLength(audited);
      expect(await store.deletePlan(id, undefined, undefined, () => {})).toBe(true);
    });

    it('matches range boundaries exactly and keeps families apart', async () => {
      const { id } = await store.createPlan(planWrite('alpha', '10.240.0.0/24'));
      const at = (text: string) => IpAddress.parse(text);
      const found = await store.plansContaining(
        ['10.239.255.255', '10.240.0.0', '10.240.0.255', '10.240.1.0', '::a:f000:8'].map(at),
      );
      expect(found.map((refs) => refs.map((r) => r.id))).toEqual([[], [id], [id], [], []]);
    });

    it('pages through plans in creation order with an opaque cursor', async () => {
      for (const name of ['a1', 'a2', 'a3']) await store.createPlan(planWrite(name));
      const first = await store.listPlans({ limit: 2 });
      expect(first.items.map((p) => p.name)).toEqual(['a1', 'a2']);
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = await store.listPlans({ limit: 2, cursor: first.nextCursor ?? '' });
      expect(second.items.map((p) => p.name)).toEqual(['a3']);
      expect(second.nextCursor).toBeNull();
      expect((await rejection(store.listPlans({ limit: 2, cursor: 'not-a-cursor' }))).code).toBe(
        'CURSOR_INVALID',
      );
    });

    it('keeps a kubenet node subnet to one plan, in both directions, and lets a plan replace itself', async () => {
      const kubenet = { network: { plugin: 'kubenet' as const, nodeSubnet: '10.240.0.0/24' } };
      const first = await store.createPlan(planWrite('kube1', '10.240.0.0/24', kubenet));
      const second = await rejection(store.createPlan(planWrite('kube2', '10.240.0.0/25', { ...kubenet })));
      expect(second.code).toBe('KUBENET_SUBNET_SHARED');
      expect(second.message).toContain(`plan "kube1" (id ${first.id})`);
      const cni = await rejection(store.createPlan(planWrite('cni', '10.240.0.0/16')));
      expect(cni.code).toBe('KUBENET_SUBNET_SHARED');
      expect(
        (await store.replacePlan(first.id, 1, planWrite('kube1', '10.240.0.0/24', kubenet))).revision,
      ).toBe(2);
      await store.createPlan(planWrite('cni-a', '10.250.0.0/24'));
      expect((await store.createPlan(planWrite('cni-b', '10.250.0.0/24'))).name).toBe('cni-b');
      expect((await store.listPlans({ limit: 10 })).items.map((p) => p.name)).toEqual([
        'kube1',
        'cni-a',
        'cni-b',
      ]);
    });

    it('names the plans a kubenet subnet clashes with in creation order, however their rows were written', async () => {
      // b1 is replaced after b2 was created, so its ranges are written again after b2's.
      const b1 = await store.createPlan(planWrite('b1', '10.241.0.0/24'));
      await store.createPlan(planWrite('b2', '10.241.0.0/24'));
      await store.replacePlan(
        b1.id,
        1,
        planWrite('b1', '10.241.0.0/24', { nodePools: [{ name: 'system', nodeCount: 2 }] }),
      );
      const kubenet = { network: { plugin: 'kubenet' as const, nodeSubnet: '10.241.0.0/24' } };
      const refused = await rejection(store.createPlan(planWrite('kube', '10.241.0.0/24', kubenet)));
      expect(refused.code).toBe('KUBENET_SUBNET_SHARED');
      expect(refused.message).toContain(`plan "b1" (id ${b1.id})`);
      expect(refused.problems.map((p) => p.message.match(/plan "(b\d)"/)?.[1])).toEqual(['b1', 'b2']);
    });

    it('lets clusters in the VNets AKS creates reuse its default subnet, kubenet too, and sweeps no conflict between them', async () => {
      const inAksVnet = (name: string, plugin: PluginName) => {
        const design = planDesign({
          name,
          network: { plugin },
          nodePools: [{ name: 'system', nodeCount: 3 }],
        });
        return {
          spec: design.spec,
          defaultsApplied: design.defaultsApplied,
          ranges: design.model.ranges(),
          labels: {},
        };
      };
      for (const name of ['kube1', 'kube2']) await store.createPlan(inAksVnet(name, 'kubenet'));
      await store.createPlan(inAksVnet('nodes1', 'azure-cni-node-subnet'));
      await store.createPlan(inAksVnet('overlay1', 'azure-cni-overlay'));
      // A VNet of one's own with the same addresses is another VNet again: kubenet keeps its subnet.
      const own = { network: { plugin: 'kubenet' as const, vnetAddressSpace: ['10.224.0.0/12'] } };
      await store.createPlan(planWrite('own1', '10.224.0.0/16', own));
      expect((await rejection(store.createPlan(planWrite('own2', '10.224.0.0/16', own)))).code).toBe(
        'KUBENET_SUBNET_SHARED',
      );
      const held = await store.heldRanges();
      expect(held.filter((r) => r.kind === 'node-subnet').map((r) => r.holder.name)).toEqual(['own1']);
      const [kube1] = await store.plansContaining([IpAddress.parse('10.224.0.4')]);
      expect(kube1?.map((p) => p.name).sort()).toEqual(['kube1', 'kube2', 'nodes1', 'overlay1', 'own1']);
    });

    it('reports readiness', async () => {
      expect(await store.isReady()).toBe(true);
    });
  });
}
