import { describe, expect, it } from 'vitest';
import { useTestApp } from './support/app.js';
import { expectProblem, problem } from './support/problems.js';

const fromCorp = (name: string, nodeCount = 50) => ({
  name,
  network: { plugin: 'azure-cni-node-subnet', nodeSubnet: { fromSpace: 'corp' } },
  nodePools: [{ name: 'system', nodeCount, maxPods: 30, maxSurge: 1 }],
});

describe('plans that take their ranges from an address space', () => {
  const ctx = useTestApp();
  /** A calculation of a three-node design over `network`. */
  const calc = (network: object, extra: object = {}) =>
    ctx.request
      .post('/v1/calculations')
      .send({ network, nodePools: [{ name: 'system', nodeCount: 3 }], ...extra });

  async function space(name: string, cidrs: string[]) {
    const res = await ctx.request.post('/v1/spaces').send({ name, cidrs });
    expect(res.status).toBe(201);
    return res.body as { id: string };
  }

  const allocationsOf = async (name: string) =>
    (await ctx.request.get(`/v1/spaces/${name}/allocations`)).body.items as {
      cidr: string;
      planId: string | null;
    }[];

  it('sizes the node subnet for duringUpgrade plus 20% and stores plan and allocation together', async () => {
    const corp = await space('corp', ['10.240.0.0/16']);

    const res = await ctx.request.post('/v1/plans').send(fromCorp('prod'));

    // (50 + 1 surge) x 31 = 1,581; + 20% = 1,898 -> a /21 (2,043 usable).
    expect(res.status).toBe(201);
    expect(res.body.spec.network.nodeSubnet).toBe('10.240.0.0/21');
    expect(res.body.allocations).toEqual([
      {
        path: 'network.nodeSubnet',
        spaceId: corp.id,
        allocationId: expect.any(String),
        cidr: '10.240.0.0/21',
      },
    ]);
    expect(await allocationsOf('corp')).toEqual([
      {
        id: res.body.allocations[0].allocationId,
        spaceId: corp.id,
        cidr: '10.240.0.0/21',
        purpose: 'node-subnet of plan prod',
        planId: res.body.id,
        createdAt: expect.any(String),
      },
    ]);
  });

  it("names the VNet of a node subnet taken from a space that is AKS's default subnet: the client's own", async () => {
    await space('corp', ['10.224.0.0/16']);
    // (300 nodes) x 111 = 33,300 addresses: the whole /16, AKS's default subnet.
    const big = {
      name: 'big',
      network: { plugin: 'azure-cni-node-subnet', nodeSubnet: { fromSpace: 'corp', headroomPercent: 0 } },
      nodePools: [{ name: 'system', nodeCount: 300, maxPods: 110, maxSurge: 0 }],
    };
    const res = await ctx.request.post('/v1/plans').send(big);
    expect(res.status).toBe(201);
    expect(res.body.spec.network).toMatchObject({
      nodeSubnet: '10.224.0.0/16',
      vnetAddressSpace: ['10.224.0.0/16'],
    });
    expect(res.body.defaultsApplied).not.toContain('network.nodeSubnet');
    // A kubenet cluster in that VNet may not share the subnet, as with any subnet of one's own.
    const kubenet = {
      name: 'kube',
      network: { plugin: 'kubenet', vnetAddressSpace: ['10.224.0.0/16'], nodeSubnet: '10.224.0.0/24' },
      nodePools: [{ name: 'system', nodeCount: 3 }],
    };
    expect((await ctx.request.post('/v1/plans').send(kubenet)).body.code).toBe('KUBENET_SUBNET_SHARED');
  });

  it('keeps a pod CIDR from a space out of the VNet AKS creates, for a design in it', async () => {
    await space('corp', ['10.224.0.0/11']);
    const res = await ctx.request.post('/v1/plans').send({
      name: 'overlay',
      network: { plugin: 'azure-cni-overlay', podCidr: { fromSpace: 'corp' } },
      nodePools: [{ name: 'system', nodeCount: 3 }],
    });
    expect(res.status).toBe(201);
    // 10.224.0.0/12 is the VNet AKS creates: the first block clear of it is 10.240.0.0/21.
    expect(res.body.spec.network.podCidr).toBe('10.240.0.0/21');
  });

  it("places a block clear of the plan's own default service and pod CIDRs", async () => {
    // 10.0.0.0/8 holds AKS's default service CIDR (10.0.0.0/16) and pod CIDR (10.244.0.0/16):
    // the lowest free /21 would overlap the service CIDR, and AKS would refuse the design.
    await space('ten', ['10.0.0.0/8']);
    const res = await ctx.request.post('/v1/plans').send({
      ...fromCorp('wide'),
      network: { plugin: 'azure-cni-node-subnet', nodeSubnet: { fromSpace: 'ten' } },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.spec.network.nodeSubnet).toBe('10.1.0.0/21');
    // Overlay: a space inside the default pod CIDR's neighbourhood skips 10.244.0.0/16.
    await space('near', ['10.244.0.0/14']);
    const overlay = await ctx.request.post('/v1/plans').send({
      name: 'near-pods',
      network: { plugin: 'azure-cni-overlay', nodeSubnet: { fromSpace: 'near' } },
      nodePools: [{ name: 'system', nodeCount: 3 }],
    });
    expect(overlay.status, overlay.text).toBe(201);
    expect(overlay.body.spec.network.nodeSubnet).toBe('10.245.0.0/28');
    // A space holding nothing but the plan's own ranges still answers as AKS would: an overlap.
    await space('inside', ['10.0.0.0/20']);
    const inside = await ctx.request.post('/v1/plans').send({
      ...fromCorp('inside', 3),
      network: { plugin: 'azure-cni-node-subnet', nodeSubnet: { fromSpace: 'inside' } },
    });
    expect(inside.status).toBe(422);
    expect(inside.body.errors.map((e: { code: string }) => e.code)).toContain(
      'SERVICE_CIDR_OVERLAPS_NODE_SUBNET',
    );
  });

  it('keeps a pod CIDR out of the VNet, and each block clear of the others, whatever the spaces', async () => {
    await space('ten', ['10.0.0.0/8']);
    await space('also-ten', ['10.0.0.0/8']);
    // An overlay pod CIDR must lie outside the VNet; the node subnet inside it.
    const outside = await calc({
      plugin: 'azure-cni-overlay',
      vnetAddressSpace: ['10.1.0.0/16'],
      nodeSubnet: '10.1.0.0/24',
      podCidr: { fromSpace: 'ten' },
    });
    expect(outside.status, outside.text).toBe(200);
    expect(outside.body.spec.network.podCidr).toBe('10.2.0.0/21');
    // Two overlapping spaces: the pod CIDR's block steers clear of the node subnet's.
    const apart = await calc({
      plugin: 'azure-cni-overlay',
      nodeSubnet: { fromSpace: 'ten' },
      podCidr: { fromSpace: 'also-ten' },
    });
    expect(apart.status, apart.text).toBe(200);
    expect([apart.body.spec.network.nodeSubnet, apart.body.spec.network.podCidr]).toEqual([
      '10.1.0.0/28',
      '10.1.8.0/21',
    ]);
    // Platform subnets the planner places itself are no reason to skip addresses.
    await space('v50', ['10.50.0.0/16']);
    const placed = await calc(
      { plugin: 'azure-cni-overlay', vnetAddressSpace: ['10.50.0.0/16'], nodeSubnet: { fromSpace: 'v50' } },
      { platformSubnets: [{ role: 'application-gateway' }, { role: 'bastion' }] },
    );
    expect(placed.status, placed.text).toBe(200);
    expect(placed.body.spec.network.nodeSubnet).toBe('10.50.0.0/28');
  });

  it('places a subnet from a space inside the VNet the design names', async () => {
    await space('ten', ['10.0.0.0/8']);
    const inside = await calc({
      plugin: 'azure-cni-pod-subnet',
      vnetAddressSpace: ['10.5.0.0/16', '10.7.0.0/16'],
      nodeSubnet: { fromSpace: 'ten' },
      podSubnet: { fromSpace: 'ten' },
    });
    expect(inside.status, inside.text).toBe(200);
    expect([inside.body.spec.network.nodeSubnet, inside.body.spec.network.podSubnet]).toEqual([
      '10.5.0.0/28',
      '10.5.8.0/21',
    ]);
    // Inside one of its prefixes: two halves of a /24 cannot hold a /24 between them.
    const split = await calc(
      {
        plugin: 'azure-cni-overlay',
        vnetAddressSpace: ['10.73.0.0/25', '10.73.0.128/25', '10.73.4.0/24'],
        nodeSubnet: { fromSpace: 'ten' },
      },
      { nodePools: [{ name: 'system', nodeCount: 150 }] }, // a /24: 150 nodes, 15 surge, 5 reserved
    );
    expect(split.status, split.text).toBe(200);
    expect(split.body.spec.network.nodeSubnet).toBe('10.73.4.0/24');
    // A space with nothing inside the VNet gives what it has, and the design is refused for it.
    await space('elsewhere', ['192.168.0.0/16']);
    const outside = await calc({
      plugin: 'azure-cni-overlay',
      vnetAddressSpace: ['10.5.0.0/16'],
      nodeSubnet: { fromSpace: 'elsewhere' },
    });
    expect(outside.status).toBe(422);
    expect(outside.body.errors.map((e: { code: string }) => e.code)).toContain('SUBNET_OUTSIDE_VNET');
  });

  it('takes the next free block for the next plan, and a pod CIDR from another space', async () => {
    await space('corp', ['10.240.0.0/16']);
    await space('pods', ['100.64.0.0/10']);
    await ctx.request.post('/v1/plans').send(fromCorp('first'));

    const res = await ctx.request.post('/v1/plans').send({
      name: 'overlay',
      network: {
        plugin: 'azure-cni-overlay',
        nodeSubnet: { fromSpace: 'corp', headroomPercent: 0 },
        podCidr: { fromSpace: 'pods' },
      },
      nodePools: [{ name: 'system', nodeCount: 100, maxSurge: 1 }],
    });

    // Node subnet: 101 addresses + 5 -> /25, after the first plan's /21. Pod CIDR: 101 x 256 + 20% -> /17.
    expect(res.status).toBe(201);
    expect(res.body.spec.network).toMatchObject({ nodeSubnet: '10.240.8.0/25', podCidr: '100.64.0.0/17' });
  });

  it('writes neither allocation nor plan when the plan is refused', async () => {
    await space('corp', ['10.240.0.0/16']);
    await ctx.request.post('/v1/plans').send(fromCorp('prod'));

    const taken = await ctx.request.post('/v1/plans').send(fromCorp('prod'));
    expect(taken.status).toBe(409);
    const invalid = await ctx.request.post('/v1/plans').send({
      ...fromCorp('other'),
      network: {
        plugin: 'azure-cni-node-subnet',
        nodeSubnet: { fromSpace: 'corp' },
        serviceCidr: '10.240.0.0/12',
      },
    });
    expect(invalid.status).toBe(422);

    expect((await allocationsOf('corp')).map((a) => a.cidr)).toEqual(['10.240.0.0/21']);
    expect((await ctx.request.get('/v1/plans')).body.items).toHaveLength(1);
  });

  it('answers 409 SPACE_EXHAUSTED when the space has no room, storing nothing', async () => {
    await space('tiny', ['10.9.0.0/24']);
    const res = await ctx.request.post('/v1/plans').send({
      ...fromCorp('big'),
      network: { plugin: 'azure-cni-node-subnet', nodeSubnet: { fromSpace: 'tiny' } },
    });
    const detail = 'space tiny: no free /21 is left; the largest free block is 10.9.0.0/24';
    // The field that named the space is the one the refusal is about.
    const errors = [{ code: 'SPACE_EXHAUSTED', path: 'network.nodeSubnet', message: detail }];
    expectProblem(res, problem(409, 'SPACE_EXHAUSTED', detail, '/v1/plans', errors));
    expect((await ctx.request.get('/v1/plans')).body.items).toEqual([]);
  });

  it("says a space's refusal of the field that named it: a missing family, a missing space", async () => {
    await space('corp', ['10.240.0.0/16']);
    await space('v6', ['fd00::/48']);
    const design = {
      ...fromCorp('two'),
      network: {
        plugin: 'azure-cni-pod-subnet',
        nodeSubnet: { fromSpace: 'corp' },
        podSubnet: { fromSpace: 'v6' },
      },
    };
    const family = await ctx.request.post('/v1/plans').send(design);
    expect([family.status, family.body.code, family.body.errors]).toEqual([
      422,
      'SPACE_FAMILY_MISSING',
      [
        {
          code: 'SPACE_FAMILY_MISSING',
          path: 'network.podSubnet',
          message: 'space v6: the space has no IPv4 range',
        },
      ],
    ]);
    const missing = await ctx.request
      .post('/v1/plans')
      .send({ ...design, network: { ...design.network, podSubnet: { fromSpace: 'nowhere' } } });
    expect(missing.body.errors).toEqual([expect.objectContaining({ path: 'network.podSubnet' })]);
    expect((await allocationsOf('corp')).map((a) => a.cidr)).toEqual([]);
  });

  it('releases what a plan allocated when the plan is deleted, and only then', async () => {
    await space('corp', ['10.240.0.0/16']);
    const plan = await ctx.request.post('/v1/plans').send(fromCorp('prod'));
    const [{ allocationId }] = plan.body.allocations;

    // Released alone, the plan's subnet could be handed to the next caller while the plan uses it.
    const alone = await ctx.request.delete(`/v1/spaces/corp/allocations/${allocationId}`);
    expect([alone.status, alone.body.code]).toEqual([409, 'ALLOCATION_HELD_BY_PLAN']);
    expect((await allocationsOf('corp')).map((a) => a.planId)).toEqual([plan.body.id]);
    const next = await ctx.request
      .post('/v1/spaces/corp/allocations')
      .send({ prefixLength: 21, purpose: 'x' });
    expect(next.body.cidr).toBe('10.240.8.0/21');

    expect((await ctx.request.delete(`/v1/plans/${plan.body.id}`)).status).toBe(204);

    expect((await allocationsOf('corp')).map((a) => a.cidr)).toEqual(['10.240.8.0/21']);
  });

  it('shows in a calculation what would be allocated, and allocates nothing', async () => {
    const corp = await space('corp', ['10.240.0.0/16']);

    const res = await ctx.request.post('/v1/calculations').send(fromCorp('what-if'));

    expect(res.status).toBe(200);
    expect(res.body.allocations).toEqual([
      { path: 'network.nodeSubnet', spaceId: corp.id, allocationId: null, cidr: '10.240.0.0/21' },
    ]);
    expect(res.body.spec.network.nodeSubnet).toBe('10.240.0.0/21');
    expect(await allocationsOf('corp')).toEqual([]);
  });

  it.each([
    // 14 nodes + 1 surge, one /28 each: 240 addresses, 15 blocks + the first and last = 17 of a /23's 32.
    [14, 0, '10.1.0.0/23'],
    // 30 + 1 slots: 496 addresses, 2% more 506, 32 blocks + 2 = 34 of a /22's 64. A /23 (507
    // addresses as a plain subnet) holds 30 blocks.
    [30, 2, '10.1.0.0/22'],
  ])(
    'sizes a static-block pod subnet for its blocks: %i nodes, headroom %i -> %s',
    async (nodes, headroom, cidr) => {
      await space('pods', ['10.1.0.0/16']);
      const res = await ctx.request.post('/v1/calculations').send({
        network: {
          plugin: 'azure-cni-pod-subnet',
          podIpAllocation: 'static-block',
          nodeSubnet: '10.240.0.0/24',
          podSubnet: { fromSpace: 'pods', headroomPercent: headroom },
        },
        nodePools: [{ name: 'system', nodeCount: nodes, maxPods: 15, maxSurge: 1 }],
      });
      expect(res.status).toBe(200);
      expect(res.body.spec.network.podSubnet).toBe(cidr);
      const pods = res.body.capacity.ranges.find((r: { kind: string }) => r.kind === 'pod-subnet');
      expect(pods.verdict).not.toBe('exhausted');
    },
  );

  it('checks a design from spaces like any other: every problem at once, each at its real path', async () => {
    await space('corp', ['10.240.0.0/16']);
    const res = await ctx.request.post('/v1/plans').send({
      name: 'pods-missing',
      network: {
        plugin: 'azure-cni-pod-subnet',
        nodeSubnet: { fromSpace: 'corp' },
        serviceCidr: '10.0.0.1/16',
      },
      nodePools: [{ name: 'system', nodeCount: 3, maxPods: 5 }],
    });

    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { code: string; path: string }) => [e.code, e.path])).toEqual([
      ['MAX_PODS_OUT_OF_RANGE', 'nodePools[0].maxPods'],
      ['CIDR_HOST_BITS_SET', 'network.serviceCidr'],
      ['POD_SUBNET_REQUIRED', 'nodePools[0].podSubnet'],
    ]);
    expect(await allocationsOf('corp')).toEqual([]);
  });

  it('refuses a pod subnet design from a space without a pod subnet: 422 POD_SUBNET_REQUIRED', async () => {
    await space('corp', ['10.240.0.0/16']);
    const res = await ctx.request.post('/v1/calculations').send({
      network: { plugin: 'azure-cni-pod-subnet', nodeSubnet: { fromSpace: 'corp' } },
      nodePools: [{ name: 'system', nodeCount: 3 }],
    });

    expectProblem(
      res,
      problem(
        422,
        'POD_SUBNET_REQUIRED',
        'pool "system" needs a pod subnet: set network.podSubnet or the pool\'s podSubnet',
        '/v1/calculations',
        [
          {
            path: 'nodePools[0].podSubnet',
            code: 'POD_SUBNET_REQUIRED',
            message: 'pool "system" needs a pod subnet: set network.podSubnet or the pool\'s podSubnet',
          },
        ],
      ),
    );
  });

  it('reports what the allocated block breaks at the path that named the space', async () => {
    await space('outside', ['10.50.0.0/16']);
    const res = await ctx.request.post('/v1/plans').send({
      ...fromCorp('outside-vnet'),
      network: {
        plugin: 'azure-cni-node-subnet',
        vnetAddressSpace: ['10.240.0.0/16'],
        nodeSubnet: { fromSpace: 'outside' },
      },
    });

    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      {
        path: 'network.nodeSubnet',
        code: 'SUBNET_OUTSIDE_VNET',
        message: expect.stringContaining('10.50.0.0/21'),
      },
    ]);
    expect(await allocationsOf('outside')).toEqual([]);
  });

  it('refuses a space reference when replacing a plan, and an unknown space', async () => {
    await space('corp', ['10.240.0.0/16']);
    const plan = await ctx.request.post('/v1/plans').send(fromCorp('prod'));
    const replace = await ctx.request
      .put(`/v1/plans/${plan.body.id}`)
      .set('If-Match', '"1"')
      .send(fromCorp('prod'));
    expect(replace.status).toBe(422);
    expect(replace.body.code).toBe('SPACE_REF_NOT_ALLOWED');

    const unknown = await ctx.request.post('/v1/plans').send({
      ...fromCorp('nowhere'),
      network: { plugin: 'azure-cni-node-subnet', nodeSubnet: { fromSpace: 'missing' } },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('SPACE_NOT_FOUND');
  });

  it('keeps a range taken from a space inside its block when the plan is replaced', async () => {
    await space('corp', ['10.240.0.0/16']);
    await space('pods', ['100.64.0.0/10']);
    const created = await ctx.request.post('/v1/plans').send({
      name: 'grow',
      network: {
        plugin: 'azure-cni-overlay',
        nodeSubnet: '10.80.0.0/24',
        podCidr: { fromSpace: 'pods', headroomPercent: 0 },
      },
      nodePools: [{ name: 'system', nodeCount: 3 }],
    });
    expect(created.status, created.text).toBe(201);
    const { network } = created.body.spec;
    const replace = (podCidr: string) =>
      ctx.request
        .put(`/v1/plans/${created.body.id}`)
        .set('If-Match', '"1"')
        .send({ ...created.body.spec, network: { ...network, podCidr } });
    // AKS lets an overlay pod CIDR grow to a superset, but the rest of /16 is the space's to hand out.
    const grown = await replace('100.64.0.0/16');
    expect(grown.status).toBe(409);
    expect(grown.body.errors).toEqual([
      {
        code: 'RANGE_OUTSIDE_BLOCK',
        path: 'network.podCidr',
        message: `100.64.0.0/16 leaves ${network.podCidr}, the block the plan took from a space for it (allocation ${created.body.allocations[0].allocationId}): a range taken from a space stays inside its block`,
      },
    ]);
    expect((await replace(network.podCidr)).status).toBe(200);
  });
});
