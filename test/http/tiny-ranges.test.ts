/**
 * Every plugin with its ranges at every small size, down to Azure's /29: each design is answered
 * (200 with its verdict, or 422 naming why), never a 500, and every figure is one JSON can carry.
 */
import { describe, expect, it } from 'vitest';
import { useTestApp } from './support/app.js';

const ctx = useTestApp();

const pool = { name: 'system', nodeCount: 3, maxPods: 30 };
const SMALL = [29, 28, 27, 26, 25, 24];

/** One design per plugin and size of the range that plugin's pods or nodes live in. */
const designs = SMALL.flatMap((p) => [
  { plugin: 'azure-cni-node-subnet', nodeSubnet: `10.240.0.0/${p}` },
  { plugin: 'azure-cni-pod-subnet', nodeSubnet: '10.240.0.0/24', podSubnet: `10.241.0.0/${p}` },
  {
    plugin: 'azure-cni-pod-subnet',
    podIpAllocation: 'static-block',
    nodeSubnet: '10.240.0.0/24',
    podSubnet: `10.241.0.0/${p}`,
  },
  { plugin: 'kubenet', nodeSubnet: `10.240.0.0/${p}` },
  { plugin: 'azure-cni-overlay', nodeSubnet: `10.240.0.0/${p}` },
  {
    plugin: 'azure-cni-overlay',
    nodeSubnet: '10.240.0.0/24',
    serviceCidr: `10.0.0.0/${p}`,
    dnsServiceIp: '10.0.0.2',
  },
  {
    plugin: 'azure-cni-overlay',
    ipFamilies: ['ipv4', 'ipv6'],
    serviceCidrs: ['10.0.0.0/16', `fd00::/${p + 99}`],
  },
]);

describe('ranges at every small size', () => {
  it.each(designs)('answers %o with a verdict and a map, or a 422, never a 500', async (network) => {
    const design = { name: 'tiny', network, nodePools: [pool] };
    const res = await ctx.request.post('/v1/calculations').send(design);
    const map = await ctx.request.post('/v1/calculations/map.svg').send(design);

    expect([200, 422]).toContain(res.status);
    expect(map.status).toBe(res.status);
    if (res.status === 422) return expect(res.body.code).toEqual(expect.any(String));
    // A range without a usable address holds nothing (an IPv6 service /128 not one service),
    // whatever is planned in it; every other range's figure is a finite one.
    for (const range of res.body.capacity.ranges) {
      const empty = range.usable === 0;
      expect([empty, range.verdict === 'exhausted' || !empty]).toEqual([range.utilization === null, true]);
      if (!empty) expect(Number.isFinite(range.utilization)).toBe(true);
    }
  });

  it('stores a plan whose static-block pod subnet holds no block: exhausted, utilization null, and lists it', async () => {
    const network = {
      plugin: 'azure-cni-pod-subnet',
      podIpAllocation: 'static-block',
      nodeSubnet: '10.240.0.0/24',
      podSubnet: '10.241.0.0/27',
    };

    const created = await ctx.request
      .post('/v1/plans')
      .send({ name: 'no-blocks', network, nodePools: [pool] });

    expect(created.status).toBe(201);
    const podSubnet = created.body.capacity.ranges.find((r: { kind: string }) => r.kind === 'pod-subnet');
    expect(podSubnet).toMatchObject({ usable: 0, utilization: null, verdict: 'exhausted' });
    expect(created.body.capacity.verdict).toBe('exhausted');
    const listed = await ctx.request.get('/v1/plans');
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((p: { name: string }) => p.name)).toEqual(['no-blocks']);
  });
});
