import { beforeEach, describe, expect, it } from 'vitest';
import type { ChangeContext } from '../../../src/domain/auth/actor.js';
import type { Store } from '../../../src/store/store.js';
import { type CurrentStore, planWrite, rejection, size, spaceWrite, type TestClock } from './fixtures.js';

const BY: ChangeContext = {
  actor: { kind: 'token', id: 'abc123abc123', name: 'pipeline' },
  requestId: 'req-1',
};

/** Every committed write leaves an entry in its own transaction; nothing else does. */
export function auditContract(current: CurrentStore, clock: TestClock): void {
  describe('audit trail and plan history', () => {
    let store: Store;
    beforeEach(() => {
      store = current();
    });
    const actions = async () =>
      (await store.audit.entries({ limit: 100 })).items.map((e) => e.action).reverse();

    it('records writes with their actor and request id, and keeps every plan revision', async () => {
      const plan = await store.createPlan(planWrite('alpha', '10.240.0.0/24'), BY);
      await store.replacePlan(plan.id, 1, planWrite('alpha', '10.240.0.0/23'), BY);
      const [entry] = (await store.audit.entries({ limit: 1 })).items;
      expect(entry).toMatchObject({
        actor: BY.actor,
        requestId: 'req-1',
        action: 'plan.replace',
        target: { type: 'plan', id: plan.id, name: 'alpha' },
        revisionBefore: 1,
        revisionAfter: 2,
      });
      await store.deletePlan(plan.id, undefined, BY);
      const revisions = await store.audit.planRevisions(plan.id, { limit: 10 });
      expect(revisions.items.map((r) => [r.revision, r.spec.network.nodeSubnet])).toEqual([
        [2, '10.240.0.0/23'],
        [1, '10.240.0.0/24'],
      ]);
      expect(await actions()).toEqual(['plan.create', 'plan.replace', 'plan.delete']);
    });

    it("pages a team's revisions only: those that carried every one of its labels", async () => {
      const labelled = (labels: Record<string, string>) => ({
        ...planWrite('mover', '10.240.0.0/24'),
        labels,
      });
      const plan = await store.createPlan(labelled({ team: 'a', env: 'prod' }), BY);
      await store.replacePlan(plan.id, 1, labelled({ team: 'b' }), BY);
      await store.replacePlan(plan.id, 2, labelled({ team: 'a', env: 'prod' }), BY);
      await store.replacePlan(plan.id, 3, labelled({ team: 'a', env: 'dev' }), BY);
      const team = { team: 'a', env: 'prod' };
      const first = await store.audit.planRevisions(plan.id, { limit: 1 }, team);
      expect(first.items.map((r) => r.revision)).toEqual([3]);
      const next = await store.audit.planRevisions(
        plan.id,
        { limit: 1, cursor: first.nextCursor ?? '' },
        team,
      );
      expect([next.items.map((r) => r.revision), next.nextCursor]).toEqual([[1], null]);
      const all = await store.audit.planRevisions(plan.id, { limit: 10 });
      expect(all.items.map((r) => r.revision)).toEqual([4, 3, 2, 1]);
    });

    it('records nothing for a write that fails or is a dry run', async () => {
      const plan = await store.createPlan(planWrite('alpha', '10.240.0.0/24'), BY);
      await rejection(store.replacePlan(plan.id, 5, planWrite('alpha', '10.240.0.0/23'), BY));
      await rejection(store.createPlan(planWrite('alpha', '10.241.0.0/24'), BY));
      const space = await store.spaces.createSpace(spaceWrite('corp', '10.250.0.0/24'), BY);
      const decide = () => ({ write: planWrite('beta', '10.250.0.0/25') });
      const ask = { space: space.id, path: 'network.nodeSubnet', request: size(25), purpose: 'nodes' };
      await store.createPlanFromSpaces([ask], decide, 'dry-run', BY);
      await rejection(store.createPlanFromSpaces([ask, { ...ask, request: size(8) }], decide, 'commit', BY));
      expect(await actions()).toEqual(['plan.create', 'space.create']);
      expect((await store.audit.planRevisions(plan.id, { limit: 10 })).items).toHaveLength(1);
    });

    it('forgets entries older than a cutoff, at most a given number at a time', async () => {
      for (const [k, name] of ['old-a', 'old-b', 'old-c'].entries())
        await store.spaces.createSpace(spaceWrite(name, `10.0.${k}.0/24`), BY);
      clock.advance(10 * 24 * 3600 * 1000);
      await store.spaces.createSpace(spaceWrite('new', '10.1.0.0/24'), BY);
      const cutoff = new Date(clock.now().getTime() - 24 * 3600 * 1000);
      expect(await store.audit.forgetBefore(cutoff, 2)).toBe(2);
      expect(await store.audit.forgetBefore(cutoff, 2)).toBe(1);
      expect(await store.audit.forgetBefore(cutoff, 2)).toBe(0);
      expect((await store.audit.entries({ limit: 10 })).items.map((e) => e.target.name)).toEqual(['new']);
    });
  });
}
