import { describe, expect, it } from 'vitest';
import { SYSTEM_CHANGE } from '../../src/domain/auth/actor.js';
import { Team } from '../../src/domain/auth/team.js';
import { createServices } from '../../src/service/services.js';
import { SpaceService } from '../../src/service/space-service.js';
import type { SpaceStore } from '../../src/store/space-store.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import type { Store } from '../../src/store/store.js';

const teamA = { change: SYSTEM_CHANGE, team: Team.of({ scope: 'write', labels: { team: 'a' } }) };
const WRITES: (string | symbol)[] = ['allocate', 'release', 'deleteSpace'];

/**
 * A space store whose allocations, releases and deletes let another writer move the space to
 * team b first: on PostgreSQL the service's read and its write are separate round trips.
 */
function movedBeforeEachWrite(spaces: SpaceStore, move: () => Promise<void>): SpaceStore {
  return new Proxy(spaces, {
    get(target, key, receiver) {
      if (!WRITES.includes(key)) return Reflect.get(target, key, receiver);
      const write = Reflect.get(target, key, receiver) as (...args: unknown[]) => Promise<unknown>;
      return async (...args: unknown[]) => {
        await move();
        return write.apply(target, args);
      };
    },
  });
}

describe("a write into a space that leaves the caller's team just before it", () => {
  it('allocates, releases and deletes nothing: 404, named as the caller named the space', async () => {
    const store = openSqliteStore(':memory:');
    const admin = new SpaceService(store.spaces);
    const input = (team: string) => ({ name: 'hub', cidrs: ['10.0.0.0/16'], labels: { team } });
    const space = await admin.create(input('a'));
    let revision = space.revision;
    const moveTo = async (team: string) => {
      revision = (await admin.replace(space.id, revision, input(team))).revision;
    };
    const racing = new SpaceService(movedBeforeEachWrite(store.spaces, () => moveTo('b')));
    const ask = { prefixLength: 24, purpose: 'aks' };
    await expect(racing.allocate('hub', ask, undefined, teamA)).rejects.toThrow(
      'no space with id or name "hub"',
    );
    await moveTo('a');
    expect((await store.spaces.allocations(space.id, { limit: 10 })).items).toEqual([]);

    const { allocation } = await admin.allocate('hub', ask, undefined, teamA);
    await expect(racing.release('hub', allocation.id, teamA)).rejects.toThrow(
      'no space with id or name "hub"',
    );
    await moveTo('a');
    expect((await store.spaces.allocations(space.id, { limit: 10 })).items).toHaveLength(1);

    await admin.release('hub', allocation.id, teamA);
    await expect(racing.delete('hub', undefined, teamA)).rejects.toThrow('no space with id or name "hub"');
    expect((await store.spaces.getSpace(space.id))?.name).toBe('hub');
    await store.close();
  });

  it('gives no block to a plan created from it: 404 at the field that named it', async () => {
    const store = openSqliteStore(':memory:');
    const admin = new SpaceService(store.spaces);
    const input = (team: string) => ({ name: 'hub', cidrs: ['10.240.0.0/16'], labels: { team } });
    const space = await admin.create(input('a'));
    const racing: Store = new Proxy(store, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if (key !== 'createPlanFromSpaces') return value;
        return async (...args: unknown[]) => {
          await admin.replace(space.id, space.revision, input('b'));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const { plans } = createServices(racing);
    const request = {
      name: 'dyn',
      network: { plugin: 'azure-cni-node-subnet' as const, nodeSubnet: { fromSpace: 'hub' } },
      nodePools: [{ name: 'system', nodeCount: 3 }],
    };
    const teamAWithLabels = { ...teamA, change: { ...SYSTEM_CHANGE, team: { team: 'a' } } };
    await expect(plans.create(request, { team: 'a' }, teamAWithLabels)).rejects.toMatchObject({
      code: 'SPACE_NOT_FOUND',
      problems: [expect.objectContaining({ path: 'network.nodeSubnet' })],
    });
    expect((await store.spaces.allocations(space.id, { limit: 10 })).items).toEqual([]);
    expect(await store.getPlan('dyn')).toBeUndefined();
    await store.close();
  });
});
