import { describe, expect, it } from 'vitest';
import { SYSTEM_CHANGE } from '../../src/domain/auth/actor.js';
import { Team } from '../../src/domain/auth/team.js';
import { createServices } from '../../src/service/services.js';
import { SpaceService } from '../../src/service/space-service.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import { movedBeforeWrites } from './support/moved-before-writes.js';

const teamA = { change: SYSTEM_CHANGE, team: Team.of({ scope: 'write', labels: { team: 'a' } }) };

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
    const racing = new SpaceService(
      movedBeforeWrites(store.spaces, ['allocate', 'release', 'deleteSpace'], () => moveTo('b')),
    );
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

  it('deletes nothing when the space became shared just before: a team reads it, never deletes it', async () => {
    const store = openSqliteStore(':memory:');
    const admin = new SpaceService(store.spaces);
    const space = await admin.create({ name: 'hub', cidrs: ['10.0.0.0/16'], labels: { team: 'a' } });
    const racing = new SpaceService(
      movedBeforeWrites(store.spaces, ['deleteSpace'], async () => {
        await admin.replace(space.id, space.revision, { name: 'hub', cidrs: ['10.0.0.0/16'], labels: {} });
      }),
    );
    await expect(racing.delete('hub', undefined, teamA)).rejects.toMatchObject({
      code: 'SHARED_SPACE_READ_ONLY',
    });
    expect((await store.spaces.getSpace(space.id))?.name).toBe('hub');
    await store.close();
  });

  it('gives no block to a plan created from it: 404 at the field that named it', async () => {
    const store = openSqliteStore(':memory:');
    const admin = new SpaceService(store.spaces);
    const input = (team: string) => ({ name: 'hub', cidrs: ['10.240.0.0/16'], labels: { team } });
    const space = await admin.create(input('a'));
    const racing = movedBeforeWrites(store, ['createPlanFromSpaces'], async () => {
      await admin.replace(space.id, space.revision, input('b'));
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
