import { beforeEach, describe, expect, it } from 'vitest';
import type { Cidr } from '../../../src/domain/ip/index.js';
import type { SpaceAsk, Store } from '../../../src/store/store.js';
import { type CurrentStore, planWrite, rejection, size, spaceWrite } from './fixtures.js';

const ask = (space: string, prefixLength = 24): SpaceAsk => ({
  space,
  path: 'network.nodeSubnet',
  request: size(prefixLength),
  purpose: 'node-subnet of plan alpha',
});

/** A decision that puts the plan's node subnet on the first block, and says which blocks it saw. */
const onFirstBlock = (name: string) => (blocks: readonly Cidr[]) => ({
  write: planWrite(name, String(blocks[0])),
  saw: blocks.map(String),
});

/** Plans built on blocks allocated in the same unit of work, and what deleting them releases. */
export function planFromSpacesContract(current: CurrentStore): void {
  describe('plans from spaces', () => {
    let store: Store;
    let spaceId: string;
    beforeEach(async () => {
      store = current();
      spaceId = (await store.spaces.createSpace(spaceWrite('hub', '10.240.0.0/16'))).id;
    });
    const allocated = async () => (await store.spaces.allocatedCidrs(spaceId)).map(String);

    it('commits the allocations and the plan together, the allocations linked to the plan', async () => {
      const result = await store.createPlanFromSpaces(
        [ask('hub'), ask(spaceId, 26)],
        onFirstBlock('alpha'),
        'commit',
      );
      expect(result.decision.saw).toEqual(['10.240.0.0/24', '10.240.1.0/26']);
      expect(result.plan).toMatchObject({ name: 'alpha', revision: 1 });
      expect(result.allocations.map((a) => a.planId)).toEqual([result.plan?.id, result.plan?.id]);
      const own = await store.spaces.planAllocations(result.plan?.id ?? '');
      expect(own.map((a) => String(a.cidr))).toEqual(['10.240.0.0/24', '10.240.1.0/26']);
      expect(await store.spaces.planAllocations('no-such-plan')).toEqual([]);
      expect((await store.getPlan('alpha'))?.spec.network.nodeSubnet).toBe('10.240.0.0/24');
      expect(await allocated()).toEqual(['10.240.0.0/24', '10.240.1.0/26']);
    });

    it("takes each block clear of the plan's blocks before it, even from an overlapping space", async () => {
      await store.spaces.createSpace(spaceWrite('hub-again', '10.240.0.0/16'));
      const result = await store.createPlanFromSpaces(
        [ask('hub'), ask('hub-again', 23)],
        onFirstBlock('alpha'),
        'dry-run',
      );
      expect(result.decision.saw).toEqual(['10.240.0.0/24', '10.240.2.0/23']);
    });

    it('answers a dry run the same and writes nothing', async () => {
      const dry = await store.createPlanFromSpaces([ask('hub')], onFirstBlock('alpha'), 'dry-run');
      expect(dry.plan).toBeNull();
      expect(dry.decision.saw).toEqual(['10.240.0.0/24']);
      expect(dry.decision.write.spec.name).toBe('alpha');
      expect(await allocated()).toEqual([]);
      expect(await store.getPlan('alpha')).toBeUndefined();
      const committed = await store.createPlanFromSpaces([ask('hub')], onFirstBlock('alpha'), 'commit');
      expect(committed.decision.saw).toEqual(dry.decision.saw);
    });

    it('leaves nothing behind when the decision, an allocation or the plan write fails', async () => {
      const refuse = () => {
        throw new Error('the design does not fit');
      };
      await expect(store.createPlanFromSpaces([ask('hub')], refuse, 'commit')).rejects.toThrow(
        'does not fit',
      );
      expect(
        (await rejection(store.createPlanFromSpaces([ask('hub'), ask('nope')], onFirstBlock('a'), 'commit')))
          .code,
      ).toBe('SPACE_NOT_FOUND');
      await store.createPlan(planWrite('taken', '10.250.0.0/24'));
      const nameTaken = store.createPlanFromSpaces([ask('hub')], onFirstBlock('taken'), 'commit');
      expect((await rejection(nameTaken)).code).toBe('PLAN_NAME_TAKEN');
      expect(await allocated()).toEqual([]);
      expect((await store.listPlans({ limit: 10 })).items.map((p) => p.name)).toEqual(['taken']);
    });

    it('releases the blocks of a deleted plan, and keeps them when the delete is refused', async () => {
      const { plan } = await store.createPlanFromSpaces([ask('hub')], onFirstBlock('alpha'), 'commit');
      const id = plan?.id ?? '';
      expect((await rejection(store.deletePlan(id, 9))).code).toBe('REVISION_MISMATCH');
      expect(await allocated()).toEqual(['10.240.0.0/24']);
      expect(await store.deletePlan(id, 1)).toBe(true);
      expect(await allocated()).toEqual([]);
    });

    it('lists every held range: plan ranges with their exclusivity, allocations with their plan', async () => {
      const { plan } = await store.createPlanFromSpaces([ask('hub')], onFirstBlock('alpha'), 'commit');
      const kubenet = { network: { plugin: 'kubenet' as const } };
      const kube = await store.createPlan(planWrite('kube', '10.250.0.0/24', kubenet));
      const loose = await store.spaces.allocate(spaceId, size(28), { purpose: 'firewall' });
      const held = (await store.heldRanges()).map((r) => ({
        holder: r.holder.name,
        kind: r.kind,
        cidr: String(r.cidr),
        exclusive: r.exclusive ?? null,
        planId: r.planId ?? null,
      }));
      expect(held).toEqual(
        expect.arrayContaining([
          { holder: 'alpha', kind: 'node-subnet', cidr: '10.240.0.0/24', exclusive: false, planId: null },
          { holder: 'kube', kind: 'node-subnet', cidr: '10.250.0.0/24', exclusive: true, planId: null },
          {
            holder: 'hub: node-subnet of plan alpha',
            kind: 'allocation',
            cidr: '10.240.0.0/24',
            exclusive: null,
            planId: plan?.id,
          },
          {
            holder: 'hub: firewall',
            kind: 'allocation',
            cidr: String(loose.allocation.cidr),
            exclusive: null,
            planId: null,
          },
        ]),
      );
      expect(held.filter((r) => r.kind === 'allocation')).toHaveLength(2);
      expect(new Set(held.filter((r) => r.kind !== 'allocation').map((r) => r.holder))).toEqual(
        new Set(['alpha', kube.name]),
      );
    });
  });
}
