import { describe, expect, it } from 'vitest';
import { createPlan, useTestApp } from './support/app.js';
import {
  DEFAULT_PUBLIC_IPS,
  DEFAULT_SERVICE_CAPACITY,
  EXAMPLE_CAPACITY,
  exampleDesign,
  nodeSubnetReach,
  PLUGIN,
} from './support/designs.js';
import { expectProblem, problem } from './support/problems.js';

const ctx = useTestApp();

const create = async (body: object) =>
  (await createPlan(ctx.request, body)) as unknown as {
    id: string;
    capacity: unknown;
    spec: { outbound?: unknown };
  };

describe('GET /v1/plans/{id}/capacity', () => {
  it("equals the plan's capacity field (the api.md example)", async () => {
    const plan = await create(exampleDesign());

    const res = await ctx.request.get(`/v1/plans/${plan.id}/capacity`);

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual(EXAMPLE_CAPACITY);
    expect(res.body).toEqual(plan.capacity);
  });

  it('follows a replacement: the capacity of revision 2', async () => {
    const plan = await create(exampleDesign());
    // Scaled down to 4 at most (a node subnet in use keeps its CIDR).
    const smaller = exampleDesign();
    const [system] = smaller.nodePools;
    if (system !== undefined) system.maxCount = 4;

    const put = await ctx.request.put(`/v1/plans/${plan.id}`).set('If-Match', '"1"').send(smaller);
    expect(put.status).toBe(200);

    const res = await ctx.request.get(`/v1/plans/${plan.id}/capacity`);

    const expected = {
      verdict: 'ok',
      ranges: [
        {
          kind: 'node-subnet',
          cidr: '10.240.0.0/24',
          total: 256,
          azureReserved: 5,
          usable: 251,
          required: { current: 96, atMaxCount: 127, duringUpgrade: 158 },
          free: 93,
          utilization: 0.629,
          nodeSlots: 8,
          verdict: 'ok',
          explain:
            '(4 max + 1 surge) x (1 node + 30 pods) + 2 load balancers + 1 private endpoint = 158 of 251 usable',
          recommendedPrefixLength: 24,
        },
        DEFAULT_SERVICE_CAPACITY,
      ],
      publicIps: DEFAULT_PUBLIC_IPS,
      recommendation: { nodeSubnetPrefixLength: 24, podCidrPrefixLength: null },
      maxReach: [nodeSubnetReach('system', 4, 7)],
    };
    expect(res.status).toBe(200);
    expect(res.body).toEqual(expected);
    expect(put.body.capacity).toEqual(expected);
  });

  it('is at-risk from 80% utilization: 6 nodes + 1 surge x 31 = 217 of 251', async () => {
    const plan = await create({
      name: 'at-risk',
      network: { plugin: PLUGIN, nodeSubnet: '10.240.0.0/24' },
      nodePools: [{ name: 'system', nodeCount: 6, maxPods: 30 }],
    });

    const res = await ctx.request.get(`/v1/plans/${plan.id}/capacity`);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      verdict: 'at-risk',
      ranges: [
        {
          kind: 'node-subnet',
          cidr: '10.240.0.0/24',
          total: 256,
          azureReserved: 5,
          usable: 251,
          required: { current: 186, atMaxCount: 186, duringUpgrade: 217 },
          free: 34,
          utilization: 0.865,
          nodeSlots: 8,
          verdict: 'at-risk',
          explain: '(6 nodes + 1 surge) x (1 node + 30 pods) = 217 of 251 usable',
          recommendedPrefixLength: 24,
        },
        DEFAULT_SERVICE_CAPACITY,
      ],
      publicIps: DEFAULT_PUBLIC_IPS,
      recommendation: { nodeSubnetPrefixLength: 24, podCidrPrefixLength: null },
      maxReach: [nodeSubnetReach('system', 6, 7)],
    });
  });

  it('reports one entry per distinct node subnet; the overall verdict is the worst', async () => {
    const plan = await create({
      name: 'two-subnets',
      network: { plugin: PLUGIN, vnetAddressSpace: ['10.240.0.0/16'], nodeSubnet: '10.240.0.0/24' },
      nodePools: [
        { name: 'system', nodeCount: 3 },
        {
          name: 'user',
          nodeCount: 2,
          maxCount: 4,
          maxPods: 50,
          maxSurge: '50%',
          nodeSubnet: '10.240.1.0/25',
        },
      ],
      reservations: { internalLoadBalancers: 1 },
    });

    const res = await ctx.request.get(`/v1/plans/${plan.id}/capacity`);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      verdict: 'exhausted',
      ranges: [
        {
          kind: 'node-subnet',
          cidr: '10.240.0.0/24',
          total: 256,
          azureReserved: 5,
          usable: 251,
          required: { current: 94, atMaxCount: 94, duringUpgrade: 125 },
          free: 126,
          utilization: 0.498,
          nodeSlots: 8,
          verdict: 'ok',
          explain: '(3 nodes + 1 surge) x (1 node + 30 pods) + 1 load balancer = 125 of 251 usable',
          recommendedPrefixLength: 24,
        },
        {
          kind: 'node-subnet',
          cidr: '10.240.1.0/25',
          total: 128,
          azureReserved: 5,
          usable: 123,
          // 50% of 4 rounds up to 2 surge nodes: 6 x 51 = 306.
          required: { current: 102, atMaxCount: 204, duringUpgrade: 306 },
          free: -183,
          utilization: 2.488,
          nodeSlots: 2,
          verdict: 'exhausted',
          explain: '(4 max + 2 surge) x (1 node + 50 pods) = 306 of 123 usable: 183 short',
          recommendedPrefixLength: 23,
        },
        DEFAULT_SERVICE_CAPACITY,
      ],
      publicIps: DEFAULT_PUBLIC_IPS,
      recommendation: { nodeSubnetPrefixLength: 24, podCidrPrefixLength: null },
      maxReach: [nodeSubnetReach('system', 3, 7), nodeSubnetReach('user', 4, 1, '10.240.1.0/25')],
    });
    expect(res.body).toEqual(plan.capacity);
  });

  it('reports SNAT for the api.md example with its outbound section (2 IPs x 1,024 ports)', async () => {
    const design = {
      ...exampleDesign(),
      outbound: { type: 'loadBalancer', managedOutboundIps: 2, allocatedOutboundPorts: 1024 },
    };
    const plan = await create(design);

    const res = await ctx.request.get(`/v1/plans/${plan.id}/capacity`);

    // api.md, "Capacity": snat is present with an outbound section; maxNodes = floor(64,000 x 2 / 1,024).
    const expected = {
      ...EXAMPLE_CAPACITY,
      publicIps: { ...DEFAULT_PUBLIC_IPS, outbound: 2, total: 2 },
      snat: {
        type: 'loadBalancer',
        outboundIps: 2,
        portsPerNode: 1024,
        ports: 128000,
        maxNodes: 125,
        required: 6,
        verdict: 'ok',
        explain:
          '1,024 ports per node (allocated) x 6 nodes (maxima + surge) = 6,144 of 128,000 ports (2 IPs x 64,000): room for 125 nodes',
        // One IP already keeps 6 nodes at 1,024 ports far below 80%.
        recommendation: {
          outboundIps: 1,
          portsPerNode: 1024,
          outbound: {
            type: 'loadBalancer',
            managedOutboundIps: 1,
            allocatedOutboundPorts: 1024,
            idleTimeoutMinutes: 30,
            publicLoadBalancerServices: 0,
          },
        },
      },
    };
    expect(res.status).toBe(200);
    expect(res.body).toEqual(expected);
    expect(plan.capacity).toEqual(expected);
    expect(plan.spec.outbound).toEqual({
      type: 'loadBalancer',
      managedOutboundIps: 2,
      allocatedOutboundPorts: 1024,
      idleTimeoutMinutes: 30,
      publicLoadBalancerServices: 0,
    });
  });

  it('answers 404 PLAN_NOT_FOUND for an unknown plan', async () => {
    const res = await ctx.request.get('/v1/plans/no-such-plan/capacity');

    expectProblem(
      res,
      problem(
        404,
        'PLAN_NOT_FOUND',
        'no plan with id or name "no-such-plan"',
        '/v1/plans/no-such-plan/capacity',
      ),
    );
  });
});

describe('reservations past every subnet', () => {
  it.each([
    ['azure-cni-node-subnet', {}],
    ['azure-cni-overlay', {}],
    ['kubenet', {}],
    ['azure-cni-pod-subnet', { podSubnet: '10.241.0.0/16' }],
  ])('%s: the largest count is answered as exhausted, at once', async (plugin, extra) => {
    // The pool's reach was searched one count at a time from the shortfall: this never answered.
    const design = {
      network: { plugin, nodeSubnet: '10.240.0.0/24', ...extra },
      nodePools: [{ name: 'system', nodeCount: 1 }],
      reservations: { internalLoadBalancers: 65_536, privateEndpoints: 65_536 },
    };
    const res = await ctx.request.post('/v1/calculations').send(design);
    expect(res.status, res.text).toBe(200);
    expect(res.body.capacity.verdict).toBe('exhausted');
  });

  it.each(['internalLoadBalancers', 'privateEndpoints'])(
    'refuses more than 65,536 %s with 422 at its path, storing nothing',
    async (field) => {
      const body = {
        ...exampleDesign(),
        name: 'reserved',
        reservations: { [field]: Number.MAX_SAFE_INTEGER },
      };
      const created = await ctx.request.post('/v1/plans').send(body);
      expect([created.status, created.body.errors?.[0]?.path]).toEqual([422, `reservations.${field}`]);
      expect((await ctx.request.get('/v1/plans')).body.items).toEqual([]);
    },
  );
});

describe('public frontends past any quota', () => {
  it.each([
    ['ingress.publicIps', { ingress: { publicIps: Number.MAX_SAFE_INTEGER } }],
    [
      'outbound.publicLoadBalancerServices',
      { outbound: { type: 'loadBalancer', publicLoadBalancerServices: 1001 } },
    ],
  ])(
    'refuses %s above 1,000 with 422, storing nothing (its sum broke every later list)',
    async (path, extra) => {
      const body = { ...exampleDesign(), name: 'frontends', ...extra };
      const created = await ctx.request.post('/v1/plans').send(body);
      expect([created.status, created.body.errors?.[0]?.path]).toEqual([422, path]);
      const calculated = await ctx.request.post('/v1/calculations').send(body);
      expect(calculated.status).toBe(422);
      const list = await ctx.request.get('/v1/plans');
      expect([list.status, list.body.items]).toEqual([200, []]);
    },
  );

  it('plans 1,000 of each, and warns that one load balancer takes 300', async () => {
    const body = {
      ...exampleDesign(),
      ingress: { publicIps: 1000 },
      outbound: { type: 'loadBalancer', publicLoadBalancerServices: 1000 },
    };
    const plan = await createPlan(ctx.request, body);
    expect((plan.capacity as { publicIps: unknown }).publicIps).toMatchObject({ ingress: 1000, total: 2001 });
    const warnings = plan.warnings as { code: string }[];
    expect(warnings.map((w) => w.code)).toContain('LOAD_BALANCER_FRONTENDS_LIMIT');
    expect((await ctx.request.get('/v1/plans')).status).toBe(200);
  });
});
