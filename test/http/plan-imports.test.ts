import { describe, expect, it } from 'vitest';
import * as az from '../domain/imports/az-fixtures.js';
import { useTestApp, withToken } from './support/app.js';

const ctx = useTestApp();

const body = { cluster: az.kubenet, subnets: [az.subnet('legacy-nodes', '10.20.0.0/24')] };

async function token(scope: 'read' | 'write'): Promise<string> {
  return (await ctx.request.post('/v1/tokens').send({ name: scope, scopes: [scope] })).body.token;
}

describe('POST /v1/plan-imports', () => {
  it('stores the cluster as a plan, with what it could not carry', async () => {
    const res = await withToken(ctx.request, await token('write'))
      .post('/v1/plan-imports')
      .send(body);
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/v1/plans/${res.body.id}`);
    expect(res.body).toMatchObject({
      name: 'aks-legacy',
      revision: 1,
      spec: { network: { plugin: 'kubenet', nodeSubnet: '10.20.0.0/24', podCidr: '10.244.0.0/16' } },
      importWarnings: [
        {
          path: 'cluster.networkProfile.networkPolicy',
          message: 'network policy calico is not part of the address plan',
        },
      ],
    });
    expect((await ctx.request.get('/v1/plans/aks-legacy')).status).toBe(200);
  });

  it('answers a dry run as a calculation with a read token, and stores nothing', async () => {
    const reader = withToken(ctx.request, await token('read'));
    const res = await reader.post('/v1/plan-imports?dryRun=true').send(body);
    expect(res.status).toBe(200);
    expect(res.body.spec.name).toBe('aks-legacy');
    expect(res.body.capacity.verdict).toBe('ok');
    expect((await ctx.request.get('/v1/plans')).body.items).toEqual([]);
    const stored = await reader.post('/v1/plan-imports').send(body);
    expect([stored.status, stored.body.code]).toEqual([403, 'FORBIDDEN']);
    // The scope is decided with the token, before a reader's body is read at all.
    const unread = await reader
      .post('/v1/plan-imports')
      .set('content-type', 'application/json')
      .send('{no json');
    expect([unread.status, unread.body.code]).toEqual([403, 'FORBIDDEN']);
    expect((await ctx.request.get('/openapi.json')).body.paths['/v1/plan-imports'].post.security).toEqual([
      { bearerAuth: ['write'] },
    ]);
  });

  it('refuses a subnet id without its JSON with 422, naming it', async () => {
    const res = await ctx.request.post('/v1/plan-imports').send({ cluster: az.kubenet });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('AZ_SUBNET_MISSING');
    expect(res.body.errors[0].path).toBe('cluster.agentPoolProfiles[0].vnetSubnetId');
  });

  it.each([
    ['the cluster name', (c: Cluster) => ({ ...c, name: 'Bad Name' }), 'cluster.name'],
    ['a pool name', (c: Cluster) => withPool(c, { name: 'Sys-tem' }), 'cluster.agentPoolProfiles[0].name'],
    ['maxPods', (c: Cluster) => withPool(c, { maxPods: 1000 }), 'cluster.agentPoolProfiles[0].maxPods'],
    [
      'maxSurge',
      (c: Cluster) => withPool(c, { upgradeSettings: { maxSurge: 'abc' } }),
      'cluster.agentPoolProfiles[0].upgradeSettings.maxSurge',
    ],
    [
      'the pod CIDR',
      (c: Cluster) => ({ ...c, networkProfile: { ...c.networkProfile, podCidr: '10.244.0.1/16' } }),
      'cluster.networkProfile.podCidr',
    ],
  ])('names %s where the az JSON has it, not where the plan would', async (_what, change, path) => {
    const res = await ctx.request
      .post('/v1/plan-imports?dryRun=true')
      .send({ ...body, cluster: change(az.kubenet as Cluster) });
    expect(res.status, res.text).toBe(422);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    const stored = await ctx.request
      .post('/v1/plan-imports')
      .send({ ...body, cluster: change(az.kubenet as Cluster) });
    expect(stored.body.errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it('says what is missing when the body has no cluster', async () => {
    const res = await ctx.request.post('/v1/plan-imports?dryRun=true').send({});
    expect([res.status, res.body.errors]).toEqual([
      422,
      [{ path: 'cluster', code: 'FIELD_REQUIRED', message: 'required: the output of `az aks show -o json`' }],
    ]);
  });

  it('names the name given beside the cluster as name', async () => {
    const res = await ctx.request.post('/v1/plan-imports?dryRun=true').send({ ...body, name: 'Bad Name' });
    expect([res.status, res.body.errors[0].path]).toEqual([422, 'name']);
  });
});

type Cluster = { agentPoolProfiles: Record<string, unknown>[]; networkProfile: Record<string, unknown> };

function withPool(cluster: Cluster, fields: Record<string, unknown>): Cluster {
  const [first, ...rest] = cluster.agentPoolProfiles;
  return { ...cluster, agentPoolProfiles: [{ ...first, ...fields }, ...rest] };
}
