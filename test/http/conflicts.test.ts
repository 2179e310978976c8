import { describe, expect, it } from 'vitest';
import { compiledSerializer } from '../../src/http/compiled-serializer.js';
import { ConflictListSchema } from '../../src/http/schemas/conflict.js';
import { createPlan, useTestApp } from './support/app.js';

const plan = (name: string, network: object) => ({
  name,
  network,
  nodePools: [{ name: 'system', nodeCount: 3 }],
});
const cni = (name: string, nodeSubnet: string, extra: object = {}) =>
  plan(name, { plugin: 'azure-cni-node-subnet', nodeSubnet, ...extra });
const overlay = (name: string, nodeSubnet: string, podCidr = '10.244.0.0/16') =>
  plan(name, { plugin: 'azure-cni-overlay', nodeSubnet, podCidr });

describe('GET /v1/conflicts', () => {
  const ctx = useTestApp();

  const create = (body: object) => createPlan(ctx.request, body);

  const conflicts = async () =>
    (await ctx.request.get('/v1/conflicts')).body.items as {
      code: string;
      severity: string;
      message: string;
      sides: { kind: string; cidr: string; holderCount: number; holders: { name: string }[] }[];
    }[];

  it('is empty for plans that do not collide, and overlay pod CIDRs reused across clusters are fine', async () => {
    await create(overlay('a', '10.1.0.0/24'));
    await create(overlay('b', '10.2.0.0/24'));
    expect(await conflicts()).toEqual([]);
  });

  it('reports two different subnets that partly overlap as an error, naming both sides', async () => {
    const a = await create(cni('wide', '10.1.0.0/16'));
    const b = await create(cni('narrow', '10.1.4.0/24'));
    expect(await conflicts()).toEqual([
      {
        code: 'SUBNETS_OVERLAP',
        severity: 'error',
        message:
          'node-subnet 10.1.0.0/16 of plan "wide" overlaps node-subnet 10.1.4.0/24 of plan "narrow": two different Azure subnets cannot overlap',
        sides: [
          {
            kind: 'node-subnet',
            cidr: '10.1.0.0/16',
            holderCount: 1,
            holders: [{ type: 'plan', id: a.id, name: 'wide', kind: 'node-subnet', cidr: '10.1.0.0/16' }],
          },
          {
            kind: 'node-subnet',
            cidr: '10.1.4.0/24',
            holderCount: 1,
            holders: [{ type: 'plan', id: b.id, name: 'narrow', kind: 'node-subnet', cidr: '10.1.4.0/24' }],
          },
        ],
      },
    ]);
  });

  it('warns when Azure CNI clusters share a node subnet: their layouts collide', async () => {
    await create(cni('one', '10.1.0.0/24'));
    await create(cni('two', '10.1.0.0/24'));
    const [only] = await conflicts();
    expect(only).toMatchObject({ code: 'SHARED_SUBNET_LAYOUTS_COLLIDE', severity: 'warning' });
  });

  it('lets dynamic pod subnet clusters share a pod subnet, but not with a static block cluster', async () => {
    const podSubnet = (name: string, nodeSubnet: string, podIpAllocation: string) =>
      plan(name, { plugin: 'azure-cni-pod-subnet', nodeSubnet, podSubnet: '10.9.0.0/20', podIpAllocation });
    await create(podSubnet('d1', '10.1.0.0/24', 'dynamic'));
    await create(podSubnet('d2', '10.2.0.0/24', 'dynamic'));
    // configure-azure-cni-dynamic-ip-allocation: "A single pod subnet can be shared across
    // multiple node pools of a cluster or multiple AKS clusters".
    expect(await conflicts()).toEqual([]);
    await create(podSubnet('s', '10.3.0.0/24', 'static-block'));
    const found = await conflicts();
    expect(
      found.map((c) => [c.code, c.severity, ...c.sides.map((s) => s.holders.map((h) => h.name))]),
    ).toEqual([['POD_SUBNET_MODES_MIXED', 'error', ['s'], ['d1', 'd2']]]);
    expect(found[0]?.message).toBe(
      'pod-subnet 10.9.0.0/20 of plan "s" overlaps pod-subnet 10.9.0.0/20 of 2 plans: a pod subnet used with static block allocation cannot be used with dynamic IP allocation in another cluster, and the other way round',
    );
  });

  it("reports a pod CIDR over a peer's subnet and a service CIDR over a peer's subnet", async () => {
    await create(cni('peer', '10.244.8.0/24'));
    await create(overlay('pods', '10.1.0.0/24'));
    await create(cni('svc', '10.2.0.0/24', { serviceCidr: '10.244.8.0/22', dnsServiceIp: '10.244.8.10' }));
    const codes = (await conflicts()).map((c) => c.code).sort();
    expect(codes).toEqual(['POD_CIDR_OVERLAPS_SUBNET', 'SERVICE_CIDR_OVERLAPS_SUBNET']);
  });

  it("reports an overlay pod CIDR inside a peer's VNet", async () => {
    await create({
      ...cni('peer', '10.244.8.0/24'),
      network: {
        plugin: 'azure-cni-node-subnet',
        vnetAddressSpace: ['10.244.0.0/16'],
        nodeSubnet: '10.244.8.0/24',
      },
    });
    await create(overlay('pods', '10.1.0.0/24', '10.244.0.0/16'));
    const codes = (await conflicts()).map((c) => c.code).sort();
    expect(codes).toEqual(['POD_CIDR_OVERLAPS_SUBNET', 'POD_CIDR_OVERLAPS_VNET']);
  });

  it('warns when a plan uses addresses allocated to something else, not for its own allocations', async () => {
    await ctx.request.post('/v1/spaces').send({ name: 'corp', cidrs: ['10.50.0.0/16'] });
    await ctx.request.post('/v1/spaces/corp/allocations').send({ cidr: '10.50.0.0/24', purpose: 'firewall' });
    await create({
      ...cni('own', '10.0.0.0/8'),
      network: { plugin: 'azure-cni-node-subnet', nodeSubnet: { fromSpace: 'corp' } },
    });
    await create(cni('squatter', '10.50.0.0/25'));
    const found = await conflicts();
    expect(found.map((c) => [c.code, c.sides.flatMap((s) => s.holders.map((h) => h.name)).sort()])).toEqual([
      ['ALLOCATION_OVERLAPS_PLAN', ['corp: firewall', 'squatter']],
    ]);
  });

  it('groups the plans sharing one subnet into one item, listing at most 100 of them', async () => {
    const names = Array.from({ length: 101 }, (_, i) => `shared${String(i).padStart(3, '0')}`);
    for (const name of names) await create(cni(name, '10.1.0.0/24'));
    const res = await ctx.request.get('/v1/conflicts');
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.items).toHaveLength(1);
    const [only] = res.body.items as Awaited<ReturnType<typeof conflicts>>;
    expect(only).toMatchObject({
      code: 'SHARED_SUBNET_LAYOUTS_COLLIDE',
      severity: 'warning',
      message:
        'node-subnet 10.1.0.0/24 is shared by 101 plans: Azure CNI clusters may share a subnet, but their planned layouts hand out the same addresses',
    });
    expect(only?.sides).toHaveLength(1);
    expect(only?.sides[0]).toMatchObject({ kind: 'node-subnet', cidr: '10.1.0.0/24', holderCount: 101 });
    expect(only?.sides[0]?.holders.map((h) => h.name)).toEqual(names.slice(0, 100));
  });

  it('writes a page item by item as the list schema writes it whole, zod-valid, with its length', async () => {
    for (const n of [1, 2, 3])
      for (const who of ['a', 'b']) await create(cni(`${who}${n}`, `10.${n}.0.0/24`));
    expect((await ctx.request.post('/v1/spaces').send({ name: 'hub', cidrs: ['10.1.0.0/16'] })).status).toBe(
      201,
    );
    const block = { cidr: '10.1.0.0/26', purpose: 'edge "quoted"' };
    expect((await ctx.request.post('/v1/spaces/hub/allocations').send(block)).status).toBe(201);
    const res = await ctx.request.get('/v1/conflicts?limit=2');
    expect(res.body.items).toHaveLength(2);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(res.text)));
    expect(res.text).toBe(compiledSerializer({ schema: ConflictListSchema })(res.body));
    expect(ConflictListSchema.parse(res.body)).toEqual(res.body);
    expect(res.headers.link).toContain('rel="next"');
  });

  it('resumes a page after the last conflict served, whatever was written between pages', async () => {
    // Four shared subnets, one warning each, in address order.
    const ids: Record<string, string> = {};
    for (const n of [1, 2, 3, 4]) {
      ids[`a${n}`] = (await create(cni(`a${n}`, `10.${n}.0.0/24`))).id;
      await create(cni(`b${n}`, `10.${n}.0.0/24`));
    }
    const cidrs = (res: { body: { items: { sides: { cidr: string }[] }[] } }) =>
      res.body.items.map((c) => c.sides[0]?.cidr);
    const first = await ctx.request.get('/v1/conflicts?limit=2');
    expect(cidrs(first)).toEqual(['10.1.0.0/24', '10.2.0.0/24']);
    // The first warning goes away: an offset would now skip the third.
    await ctx.request.delete(`/v1/plans/${ids.a1}`);
    const next = await ctx.request.get(`/v1/conflicts?limit=2&cursor=${first.body.nextCursor}`);
    expect(cidrs(next)).toEqual(['10.3.0.0/24', '10.4.0.0/24']);
    expect(next.body.nextCursor).toBeNull();
    const forged = await ctx.request.get('/v1/conflicts?cursor=eyJvZmZzZXQiOjJ9');
    expect(forged.body.code).toBe('CURSOR_INVALID');
  });
});
