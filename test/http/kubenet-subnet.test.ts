import { describe, expect, it } from 'vitest';
import { useTestApp } from './support/app.js';
import { expectProblem, problem } from './support/problems.js';

const kubenet = (name: string, nodeSubnet: string) => ({
  name,
  network: { plugin: 'kubenet', nodeSubnet },
  nodePools: [{ name: 'system', nodeCount: 3 }],
});

describe('POST /v1/plans: one kubenet cluster per subnet', () => {
  const ctx = useTestApp();

  it('refuses a second plan on an overlapping kubenet subnet with 409 naming the first', async () => {
    const first = await ctx.request.post('/v1/plans').send(kubenet('kube-a', '10.240.0.0/24'));
    expect(first.status).toBe(201);

    const res = await ctx.request.post('/v1/plans').send(kubenet('kube-b', '10.240.0.0/24'));

    const detail = `kubenet allows one cluster per subnet: 10.240.0.0/24 overlaps 10.240.0.0/24 of plan "kube-a" (id ${first.body.id})`;
    expectProblem(
      res,
      problem(409, 'KUBENET_SUBNET_SHARED', detail, '/v1/plans', [
        {
          path: 'network.nodeSubnet',
          code: 'KUBENET_SUBNET_SHARED',
          message: `10.240.0.0/24 is used by plan "kube-a" (id ${first.body.id})`,
        },
      ]),
    );
    expect((await ctx.request.get('/v1/plans')).body.items.map((p: { name: string }) => p.name)).toEqual([
      'kube-a',
    ]);
  });

  it("names the pool's own field when the clashing subnet came from a pool", async () => {
    const first = await ctx.request.post('/v1/plans').send(kubenet('kube-a', '10.240.1.0/24'));
    expect(first.status).toBe(201);

    const res = await ctx.request.post('/v1/plans').send({
      name: 'cni-b',
      network: { plugin: 'azure-cni-overlay', nodeSubnet: '10.240.0.0/24' },
      nodePools: [
        { name: 'system', nodeCount: 3 },
        { name: 'user', nodeCount: 3, nodeSubnet: '10.240.1.0/25' },
      ],
    });

    expect(res.status).toBe(409);
    expect(res.body.errors).toEqual([
      {
        path: 'nodePools[1].nodeSubnet',
        code: 'KUBENET_SUBNET_SHARED',
        message: `10.240.1.0/25 is used by plan "kube-a" (id ${first.body.id})`,
      },
    ]);
  });

  it('lets Azure CNI plans share a subnet with each other', async () => {
    const cni = (name: string) => ({
      name,
      network: { plugin: 'azure-cni-overlay', nodeSubnet: '10.240.0.0/24' },
      nodePools: [{ name: 'system', nodeCount: 3 }],
    });
    expect((await ctx.request.post('/v1/plans').send(cni('cni-a'))).status).toBe(201);
    expect((await ctx.request.post('/v1/plans').send(cni('cni-b'))).status).toBe(201);
  });

  it('lets kubenet clusters in the VNets AKS creates each take its default subnet, with no conflict', async () => {
    const inAksVnet = (name: string) => ({
      name,
      network: { plugin: 'kubenet' },
      nodePools: [{ name: 'system', nodeCount: 3 }],
    });
    for (const name of ['kube-a', 'kube-b'])
      expect((await ctx.request.post('/v1/plans').send(inAksVnet(name))).status).toBe(201);
    const overlay = { ...inAksVnet('overlay'), network: { plugin: 'azure-cni-overlay' } };
    expect((await ctx.request.post('/v1/plans').send(overlay)).status).toBe(201);
    // Sent back as answered, the default subnet still reads as AKS's VNet.
    const answered = (await ctx.request.get('/v1/plans/kube-a')).body.spec;
    expect((await ctx.request.post('/v1/plans').send({ ...answered, name: 'kube-c' })).status).toBe(201);
    expect((await ctx.request.get('/v1/conflicts')).body.items).toEqual([]);
  });

  it('lets the kubenet plan be replaced on its own subnet', async () => {
    const first = await ctx.request.post('/v1/plans').send(kubenet('kube-a', '10.240.0.0/24'));
    const res = await ctx.request
      .put(`/v1/plans/${first.body.id}`)
      .set('If-Match', '"1"')
      .send({ ...kubenet('kube-a', '10.240.0.0/24'), nodePools: [{ name: 'system', nodeCount: 5 }] });
    expect(res.status).toBe(200);
    expect(res.body.changes).toEqual([{ path: 'nodePools[0].nodeCount', from: 3, to: 5 }]);
  });
});
