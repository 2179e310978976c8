/** A pool's node public IPs over HTTP: stored and read back, counted, and fixed once the pool exists. */
import { describe, expect, it } from 'vitest';
import { createPlan, useTestApp } from './support/app.js';
import { smallDesign } from './support/designs.js';

const ctx = useTestApp();

const withPools = (pools: object[]) => ({ ...smallDesign('gaming'), nodePools: pools });
const system = { name: 'system', nodeCount: 2 };
const game = { name: 'game', nodeCount: 3, maxSurge: 1, nodePublicIp: true };

describe('node public IPs', () => {
  it('are stored, read back and counted: one per node at the maximum plus surge', async () => {
    const created = await createPlan(ctx.request, withPools([system, game]));
    const read = await ctx.request.get(`/v1/plans/${created.id}`);
    expect(read.body.spec.nodePools[1]).toMatchObject({ name: 'game', nodePublicIp: true });
    expect(read.body.spec.nodePools[0]).not.toHaveProperty('nodePublicIp');
    const capacity = await ctx.request.get(`/v1/plans/${created.id}/capacity`);
    expect(capacity.body.publicIps).toMatchObject({ nodePublicIps: 4, total: 5 });
  });

  it('cannot be turned off (or on) for an existing pool: 409; false where none were is no change', async () => {
    const created = await createPlan(ctx.request, withPools([system, game]));
    const put = (body: object, revision: string) =>
      ctx.request.put(`/v1/plans/${created.id}`).set('If-Match', `"${revision}"`).send(body);
    const off = await put(withPools([system, { ...game, nodePublicIp: false }]), '1');
    expect([off.status, off.body.code, off.body.errors?.[0]?.path]).toEqual([
      409,
      'NODE_PUBLIC_IP_CHANGE_REFUSED',
      'nodePools[1].nodePublicIp',
    ]);
    const same = await put(withPools([{ ...system, nodePublicIp: false }, game]), '1');
    expect([same.status, same.body.revision]).toEqual([200, 1]);
    // A client that does not send the field keeps what the pool has, as with maxPods.
    const { nodePublicIp: _, ...leftOut } = game;
    const scaled = await put(withPools([system, { ...leftOut, nodeCount: 5 }]), '1');
    expect([scaled.status, scaled.body.revision, scaled.body.spec.nodePools[1].nodePublicIp]).toEqual([
      200,
      2,
      true,
    ]);
  });
});
