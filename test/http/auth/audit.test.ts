import { join } from 'node:path';
import Database from 'better-sqlite3';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../../src/store/sqlite/open-sqlite.js';
import { useTempDirs } from '../../support/temp-dirs.js';
import { testApp, useTestApp, withToken } from '../support/app.js';
import { exampleDesign } from '../support/designs.js';

const kubectlNodes = {
  apiVersion: 'v1',
  kind: 'List',
  items: [
    {
      metadata: { name: 'aks-system-0', labels: { 'kubernetes.azure.com/agentpool': 'system' } },
      status: { addresses: [{ type: 'InternalIP', address: '10.240.0.4' }] },
    },
  ],
};

const fromCorp = (name: string, nodeCount = 50) => ({
  name,
  network: { plugin: 'azure-cni-node-subnet', nodeSubnet: { fromSpace: 'corp' } },
  nodePools: [{ name: 'system', nodeCount, maxPods: 30, maxSurge: 1 }],
});

describe('the audit trail', () => {
  const ctx = useTestApp();

  async function writer() {
    const res = await ctx.request.post('/v1/tokens').send({ name: 'pipeline', scopes: ['write'] });
    return { id: res.body.id as string, request: withToken(supertest(ctx.app.server), res.body.token) };
  }

  const entries = async (query = '') => {
    const res = await ctx.request.get(`/v1/audit${query}`);
    expect(res.status, res.text).toBe(200);
    return res.body.items as {
      action: string;
      actor: { id: string; kind: string };
      target: { type: string; id: string; name: string | null };
      revisionBefore: number | null;
      revisionAfter: number | null;
      requestId: string | null;
    }[];
  };

  it('records every committed write, by whom, with its request id, newest first', async () => {
    const { id, request } = await writer();
    let n = 0;
    const send = <T extends { set: (k: string, v: string) => T }>(req: T) =>
      req.set('x-request-id', `req-${++n}`);
    const space = (await send(request.post('/v1/spaces')).send({ name: 'corp', cidrs: ['10.240.0.0/16'] }))
      .body;
    await send(request.put('/v1/spaces/corp'))
      .set('if-match', '"1"')
      .send({ name: 'corp', cidrs: ['10.240.0.0/16', '10.241.0.0/16'] });
    const block = (
      await send(request.post('/v1/spaces/corp/allocations')).send({ prefixLength: 24, purpose: 'x' })
    ).body;
    await send(request.delete(`/v1/spaces/corp/allocations/${block.id}`));
    const plan = (await send(request.post('/v1/plans')).send(exampleDesign())).body;
    await send(request.put(`/v1/plans/${plan.id}`))
      .set('if-match', '"1"')
      .send({ ...exampleDesign(), nodePools: [{ ...exampleDesign().nodePools[0], maxCount: 6 }] });
    await send(request.put(`/v1/plans/${plan.id}/nodes/aks-system-0`)).send({
      pool: 'system',
      nodeIp: '10.240.0.4',
    });
    await send(request.post(`/v1/plans/${plan.id}/node-imports`)).send(kubectlNodes);
    const fromSpace = (await send(request.post('/v1/plans')).send(fromCorp('from-corp'))).body;
    await send(request.delete(`/v1/plans/${fromSpace.id}`));
    await send(request.delete('/v1/spaces/corp'));

    const trail = await entries(`?limit=200&actor=${id}`);
    expect(trail.map((e) => `${e.requestId} ${e.action} ${e.target.type}`).reverse()).toEqual([
      'req-1 space.create space',
      'req-2 space.replace space',
      'req-3 allocation.create allocation',
      'req-4 allocation.release allocation',
      'req-5 plan.create plan',
      'req-6 plan.replace plan',
      'req-7 nodes.record plan',
      'req-8 nodes.import plan',
      'req-9 plan.create plan',
      'req-9 allocation.create allocation',
      'req-10 allocation.release allocation',
      'req-10 plan.delete plan',
      'req-11 space.delete space',
    ]);
    for (const entry of trail) expect(entry.actor).toEqual({ kind: 'token', id, name: 'pipeline' });
    const replaced = trail.find((e) => e.action === 'plan.replace');
    expect(replaced).toMatchObject({
      target: { id: plan.id, name: 'prod-weu-1' },
      revisionBefore: 1,
      revisionAfter: 2,
    });
    expect(trail.find((e) => e.action === 'space.create')?.target).toEqual({
      type: 'space',
      id: space.id,
      name: 'corp',
    });
  });

  it('records token creation and revocation by the admin', async () => {
    const { id } = await writer();
    await ctx.request.delete(`/v1/tokens/${id}`);
    expect((await entries()).map((e) => `${e.action} ${e.target.id} ${e.actor.id}`)).toEqual([
      `token.revoke ${id} ADMIN_TOKEN`,
      `token.create ${id} ADMIN_TOKEN`,
    ]);
  });

  it('leaves no entry for what did not commit: refusals, a plan failing halfway, dry runs, replays', async () => {
    await ctx.request.post('/v1/spaces').send({ name: 'corp', cidrs: ['10.240.0.0/16'] });
    await ctx.request.post('/v1/spaces').send({ name: 'tiny', cidrs: ['100.64.0.0/28'] });
    await ctx.request.post('/v1/plans').send(exampleDesign());
    const before = (await entries()).length;

    expect((await ctx.request.post('/v1/plans').send(exampleDesign())).status).toBe(409);
    const stale = await ctx.request.put('/v1/plans/prod-weu-1').set('if-match', '"7"').send(exampleDesign());
    expect(stale.status).toBe(412);
    // The node subnet is allocated first, then the pod CIDR cannot be: the whole plan rolls back.
    const halfway = await ctx.request.post('/v1/plans').send({
      name: 'halfway',
      network: {
        plugin: 'azure-cni-overlay',
        nodeSubnet: { fromSpace: 'corp' },
        podCidr: { fromSpace: 'tiny' },
      },
      nodePools: [{ name: 'system', nodeCount: 3 }],
    });
    expect(halfway.body.code).toBe('SPACE_EXHAUSTED');
    expect((await ctx.request.get('/v1/spaces/corp/allocations')).body.items).toEqual([]);
    expect((await ctx.request.post('/v1/calculations').send(fromCorp('dry'))).status).toBe(200);
    const ask = { prefixLength: 24, purpose: 'x' };
    await ctx.request.post('/v1/spaces/corp/allocations').set('idempotency-key', 'k1').send(ask);
    const replay = await ctx.request
      .post('/v1/spaces/corp/allocations')
      .set('idempotency-key', 'k1')
      .send(ask);
    expect(replay.headers['idempotent-replayed']).toBe('true');

    const after = await entries();
    expect(after.length).toBe(before + 1); // the first allocation with the key, and nothing else
    expect(after[0]?.action).toBe('allocation.create');
  });

  it('filters by target, actor, action and time, and pages newest first', async () => {
    const { id, request } = await writer();
    const plan = (await request.post('/v1/plans').send(exampleDesign())).body;
    await ctx.request.post('/v1/spaces').send({ name: 'corp', cidrs: ['10.0.0.0/8'] });
    expect((await entries(`?target=${plan.id}`)).map((e) => e.action)).toEqual(['plan.create']);
    expect((await entries(`?actor=${id}`)).map((e) => e.action)).toEqual(['plan.create']);
    expect((await entries('?action=space.create')).map((e) => e.target.name)).toEqual(['corp']);
    expect(await entries('?until=2000-01-01T00:00:00Z')).toEqual([]);
    // Past the year 9999 once the offset is applied: still after every entry.
    expect(await entries(`?since=${encodeURIComponent('9999-12-31T23:59:59-23:59')}`)).toEqual([]);
    expect((await entries('?since=2000-01-01T00:00:00Z')).length).toBe(3);
    // Offsets are compared in UTC: half an hour ahead, written at +01:00, is half an hour ago.
    const ahead = new Date(Date.now() + 30 * 60_000).toISOString().replace('Z', '+01:00');
    expect((await entries(`?since=${encodeURIComponent(ahead)}`)).length).toBe(3);
    expect(await entries(`?until=${encodeURIComponent(ahead)}`)).toEqual([]);

    const first = await ctx.request.get('/v1/audit?limit=2');
    expect(first.body.items.map((e: { action: string }) => e.action)).toEqual([
      'space.create',
      'plan.create',
    ]);
    expect(first.headers.link).toContain('cursor=');
    const second = await ctx.request.get(`/v1/audit?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body).toEqual({
      items: [expect.objectContaining({ action: 'token.create' })],
      nextCursor: null,
    });
    expect((await ctx.request.get('/v1/audit?action=plan.explode')).status).toBe(400);
  });

  it('is for admins only', async () => {
    const { request } = await writer();
    expect((await request.get('/v1/audit')).status).toBe(403);
  });
});

describe('plan history', () => {
  const ctx = useTestApp();

  it('lists every revision with who made it and what changed, and returns each spec', async () => {
    const plan = (await ctx.request.post('/v1/plans').send(exampleDesign())).body;
    const grown = { ...exampleDesign(), nodePools: [{ ...exampleDesign().nodePools[0], maxCount: 6 }] };
    await ctx.request.put('/v1/plans/prod-weu-1').set('if-match', '"1"').send(grown);
    await ctx.request
      .put('/v1/plans/prod-weu-1')
      .set('if-match', '"2"')
      .send({ ...grown, name: 'prod-weu-2' });

    const list = await ctx.request.get('/v1/plans/prod-weu-2/revisions');
    expect(list.status).toBe(200);
    expect(
      list.body.items.map((r: { revision: number; name: string; changes: unknown[] }) => [
        r.revision,
        r.name,
        r.changes,
      ]),
    ).toEqual([
      [3, 'prod-weu-2', [{ path: 'name', from: 'prod-weu-1', to: 'prod-weu-2' }]],
      [
        2,
        'prod-weu-1',
        [{ path: 'nodePools[0].maxCount', from: exampleDesign().nodePools[0]?.maxCount ?? null, to: 6 }],
      ],
      [1, 'prod-weu-1', []],
    ]);
    expect(list.body.items[0].actor).toEqual({ kind: 'environment', id: 'ADMIN_TOKEN', name: 'ADMIN_TOKEN' });

    const page = await ctx.request.get('/v1/plans/prod-weu-2/revisions?limit=1');
    const next = await ctx.request.get(
      `/v1/plans/prod-weu-2/revisions?limit=1&cursor=${page.body.nextCursor}`,
    );
    expect(next.body.items[0].changes).toEqual(list.body.items[1].changes); // the diff reaches across pages

    const first = await ctx.request.get(`/v1/plans/${plan.id}/revisions/1`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ planId: plan.id, revision: 1, name: 'prod-weu-1', spec: plan.spec });
    expect((await ctx.request.get(`/v1/plans/${plan.id}/revisions/4`)).body.code).toBe('REVISION_NOT_FOUND');
  });

  it("keeps a deleted plan's history for admins; to others it is gone", async () => {
    const plan = (await ctx.request.post('/v1/plans').send(exampleDesign())).body;
    await ctx.request.delete(`/v1/plans/${plan.id}`);
    const admin = await ctx.request.get(`/v1/plans/${plan.id}/revisions`);
    expect(admin.status).toBe(200);
    expect(admin.body.items).toHaveLength(1);
    expect((await ctx.request.get(`/v1/plans/${plan.id}/revisions/1`)).body.spec).toEqual(plan.spec);

    const token = (await ctx.request.post('/v1/tokens').send({ name: 'reader', scopes: ['write'] })).body
      .token;
    const reader = withToken(supertest(ctx.app.server), token);
    expect((await reader.get(`/v1/plans/${plan.id}/revisions`)).body.code).toBe('PLAN_NOT_FOUND');
    expect((await ctx.request.get('/v1/plans/prod-weu-1/revisions')).body.code).toBe('PLAN_NOT_FOUND');
  });
});

describe('the history of a plan stored before history was kept', () => {
  const tempDir = useTempDirs('aksip-history-');

  it('stays readable to admins after the plan is deleted, though it has no revision 1', async () => {
    const path = join(tempDir(), 'ipam.db');
    const { app, request } = await testApp(openSqliteStore(path));
    try {
      const plan = (await request.post('/v1/plans').send(exampleDesign())).body;
      await request
        .put(`/v1/plans/${plan.id}`)
        .set('if-match', '"1"')
        .send({ ...exampleDesign(), name: 'renamed' });
      // What migration 012 leaves for a plan at revision 2: that revision only.
      const db = new Database(path);
      db.prepare('DELETE FROM plan_revisions WHERE revision = 1').run();
      db.close();
      await request.delete(`/v1/plans/${plan.id}`);
      const history = await request.get(`/v1/plans/${plan.id}/revisions`);
      expect(history.status).toBe(200);
      expect(history.body.items.map((r: { revision: number }) => r.revision)).toEqual([2]);
    } finally {
      await app.close();
    }
  });
});

describe('idempotency keys belong to their caller', () => {
  const ctx = useTestApp();

  it('lets two tokens use the same key for different requests', async () => {
    await ctx.request.post('/v1/spaces').send({ name: 'corp', cidrs: ['10.0.0.0/8'] });
    const token = (await ctx.request.post('/v1/tokens').send({ name: 'team b', scopes: ['write'] })).body
      .token;
    const other = withToken(supertest(ctx.app.server), token);
    const mine = await ctx.request
      .post('/v1/spaces/corp/allocations')
      .set('idempotency-key', 'deploy-1')
      .send({ prefixLength: 24, purpose: 'a' });
    const theirs = await other
      .post('/v1/spaces/corp/allocations')
      .set('idempotency-key', 'deploy-1')
      .send({ prefixLength: 20, purpose: 'b' });
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    const again = await other
      .post('/v1/spaces/corp/allocations')
      .set('idempotency-key', 'deploy-1')
      .send({ prefixLength: 20, purpose: 'b' });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(theirs.body.id);
  });
});
