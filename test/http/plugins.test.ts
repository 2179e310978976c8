/**
 * HTTP stories for the kubenet, overlay (single and dual-stack) and pod-subnet plugins:
 * nodes carry podCidr / podCidrs / podBlocks, lookups cross plans that reuse one pod CIDR,
 * and IPv6 counts above 2^53 travel as decimal strings. Every expectation is written out by
 * hand from aks-networking.md and api.md.
 */
import { describe, expect, it } from 'vitest';
import { createPlan, useTestApp } from './support/app.js';
import { answer, DEFAULT_PUBLIC_IPS, DEFAULT_SERVICE_CAPACITY, expandedSpec } from './support/designs.js';
import { expectProblem, problem } from './support/problems.js';

const ctx = useTestApp();

const create = (body: object) => createPlan(ctx.request, body);

async function nodes(id: string, query: Record<string, string | number> = {}) {
  const res = await ctx.request.get(`/v1/plans/${id}/nodes`).query(query);
  expect(res.status).toBe(200);
  return res.body;
}

async function lookup(ip: string) {
  const res = await ctx.request.get('/v1/lookup').query({ ip });
  expect(res.status).toBe(200);
  return res.body as { ip: string; matches: { planName: string }[] };
}

const byPlanName = (a: { planName: string }, b: { planName: string }) => a.planName.localeCompare(b.planName);

function overlay(name: string, nodeSubnet: string, extra: object = {}) {
  return {
    name,
    network: { plugin: 'azure-cni-overlay', nodeSubnet, ...extra },
    nodePools: [{ name: 'system', nodeCount: 2 }],
  };
}

const dualStack = (name: string) => overlay(name, '10.240.0.0/24', { ipFamilies: ['ipv4', 'ipv6'] });

describe('POST /v1/plans with kubenet', () => {
  it('stores the design with its defaults, the retirement warning and both ranges', async () => {
    const plan = await create({
      name: 'kubenet-1',
      network: { plugin: 'kubenet', nodeSubnet: '10.240.0.0/24' },
      nodePools: [{ name: 'system', nodeCount: 3 }],
    });

    expect(plan.spec).toEqual(
      expandedSpec({
        name: 'kubenet-1',
        network: { plugin: 'kubenet', nodeSubnet: '10.240.0.0/24', podCidr: '10.244.0.0/16' },
        pool: { nodeCount: 3, maxPods: 110 },
      }),
    );
    expect(plan.defaultsApplied).toEqual(expect.arrayContaining(['network.podCidr', 'nodePools[0].maxPods']));
    expect(plan.warnings).toEqual([
      { code: 'KUBENET_RETIREMENT', message: expect.stringContaining('31 March 2028') },
    ]);
    expect(plan.capacity).toEqual({
      verdict: 'ok',
      ranges: [
        {
          kind: 'node-subnet',
          cidr: '10.240.0.0/24',
          total: 256,
          azureReserved: 5,
          usable: 251,
          required: { current: 3, atMaxCount: 3, duringUpgrade: 4 },
          free: 247,
          utilization: 0.016,
          nodeSlots: 251,
          verdict: 'ok',
          explain: '(3 nodes + 1 surge) x 1 node = 4 of 251 usable',
          recommendedPrefixLength: 28,
        },
        {
          kind: 'pod-cidr',
          cidr: '10.244.0.0/16',
          total: 65536,
          azureReserved: 0,
          usable: 65536,
          required: { current: 768, atMaxCount: 768, duringUpgrade: 1024 },
          free: 64512,
          utilization: 0.016,
          nodeSlots: 256,
          verdict: 'ok',
          explain: '(3 nodes + 1 surge) x 256 (a /24 per node) = 1,024 of 65,536 addresses',
          recommendedPrefixLength: 22,
        },
        DEFAULT_SERVICE_CAPACITY,
      ],
      publicIps: DEFAULT_PUBLIC_IPS,
      recommendation: { nodeSubnetPrefixLength: 28, podCidrPrefixLength: 22 },
      maxReach: [
        {
          pool: 'system',
          currentMaxCount: 3,
          // M + ceil(10% of M) surge <= 251: M = 228 (228 + 23 = 251).
          maxCount: 228,
          limitedBy: { kind: 'node-subnet', cidr: '10.240.0.0/24' },
        },
      ],
    });
  });

  it('refuses more than 400 nodes counting surge: 422 KUBENET_TOO_MANY_NODES', async () => {
    const res = await ctx.request.post('/v1/plans').send({
      name: 'kubenet-big',
      network: { plugin: 'kubenet', nodeSubnet: '10.240.0.0/22' },
      nodePools: [{ name: 'system', nodeCount: 400, maxSurge: 1 }],
    });

    const message = 'the pools reach 401 nodes with surge; a kubenet route table holds 400 routes';
    expectProblem(
      res,
      problem(422, 'KUBENET_TOO_MANY_NODES', message, '/v1/plans', [
        { path: 'nodePools', code: 'KUBENET_TOO_MANY_NODES', message },
      ]),
    );
  });
});

describe('GET /v1/plans/{id}/nodes by plugin', () => {
  it('kubenet and overlay: podCidr is the /24 of the slot, 10.244.0.0/24, 10.244.1.0/24, ...', async () => {
    const { id } = await create(overlay('overlay-nodes', '10.240.0.0/24'));

    expect(await nodes(id)).toEqual({
      total: 3,
      items: [
        { pool: 'system', index: 0, fits: true, nodeIp: '10.240.0.4', podCidr: '10.244.0.0/24' },
        { pool: 'system', index: 1, fits: true, nodeIp: '10.240.0.5', podCidr: '10.244.1.0/24' },
        { pool: 'system', index: 2, fits: true, nodeIp: '10.240.0.6', podCidr: '10.244.2.0/24' },
      ],
    });
  });

  it('pages across pools by pool and index, the /24s in creation order', async () => {
    const { id } = await create({
      name: 'kubenet-pages',
      network: { plugin: 'kubenet', nodeSubnet: '10.240.0.0/24' },
      nodePools: [
        { name: 'system', nodeCount: 2 },
        { name: 'user', nodeCount: 2, maxSurge: 0 },
      ],
    });

    expect(await nodes(id, { offset: 2, limit: 2 })).toEqual({
      total: 5,
      items: [
        // system's surge slot is created after user's two nodes.
        { pool: 'system', index: 2, fits: true, nodeIp: '10.240.0.8', podCidr: '10.244.4.0/24' },
        { pool: 'user', index: 0, fits: true, nodeIp: '10.240.0.6', podCidr: '10.244.2.0/24' },
      ],
    });
    expect(await nodes(id, { pool: 'user' })).toEqual({
      total: 2,
      items: [
        { pool: 'user', index: 0, fits: true, nodeIp: '10.240.0.6', podCidr: '10.244.2.0/24' },
        { pool: 'user', index: 1, fits: true, nodeIp: '10.240.0.7', podCidr: '10.244.3.0/24' },
      ],
    });
  });

  it('overlay past the end of the pod CIDR: podCidr null and fits false', async () => {
    const { id } = await create(overlay('tight', '10.240.0.0/24', { podCidr: '10.244.0.0/23' }));

    expect((await nodes(id)).items[2]).toEqual({
      pool: 'system',
      index: 2,
      fits: false,
      nodeIp: '10.240.0.6',
      podCidr: null,
    });
  });

  it('dual-stack: podCidr and podCidrs, the /24 then the /80', async () => {
    const { id } = await create(dualStack('dual-nodes'));

    expect(await nodes(id)).toEqual({
      total: 3,
      items: [
        {
          pool: 'system',
          index: 0,
          fits: true,
          nodeIp: '10.240.0.4',
          podCidr: '10.244.0.0/24',
          podCidrs: ['10.244.0.0/24', 'fd12:3456:789a::/80'],
        },
        {
          pool: 'system',
          index: 1,
          fits: true,
          nodeIp: '10.240.0.5',
          podCidr: '10.244.1.0/24',
          podCidrs: ['10.244.1.0/24', 'fd12:3456:789a:0:1::/80'],
        },
        {
          pool: 'system',
          index: 2,
          fits: true,
          nodeIp: '10.240.0.6',
          podCidr: '10.244.2.0/24',
          podCidrs: ['10.244.2.0/24', 'fd12:3456:789a:0:2::/80'],
        },
      ],
    });
  });

  it('pod subnet with static blocks: podBlocks, from the second /28 on', async () => {
    const { id } = await create({
      name: 'static',
      network: {
        plugin: 'azure-cni-pod-subnet',
        podIpAllocation: 'static-block',
        nodeSubnet: '10.240.0.0/24',
        podSubnet: '10.241.0.0/24',
      },
      nodePools: [{ name: 'system', nodeCount: 1, maxPods: 31 }],
    });

    expect(await nodes(id)).toEqual({
      total: 2,
      items: [
        {
          pool: 'system',
          index: 0,
          fits: true,
          nodeIp: '10.240.0.4',
          podBlocks: ['10.241.0.16/28', '10.241.0.32/28'],
        },
        {
          pool: 'system',
          index: 1,
          fits: true,
          nodeIp: '10.240.0.5',
          podBlocks: ['10.241.0.48/28', '10.241.0.64/28'],
        },
      ],
    });
  });

  it('pod subnet with dynamic allocation: no pod field at all', async () => {
    const { id } = await create({
      name: 'dynamic',
      network: { plugin: 'azure-cni-pod-subnet', nodeSubnet: '10.240.0.0/24', podSubnet: '10.241.0.0/22' },
      nodePools: [{ name: 'system', nodeCount: 1 }],
    });

    expect(await nodes(id)).toEqual({
      total: 2,
      items: [
        { pool: 'system', index: 0, fits: true, nodeIp: '10.240.0.4' },
        { pool: 'system', index: 1, fits: true, nodeIp: '10.240.0.5' },
      ],
    });
  });
});

describe('GET /v1/lookup across plans sharing a pod CIDR', () => {
  it('returns one match per overlay plan that reuses 10.244.0.0/16, each naming its own node', async () => {
    const a = await create(overlay('overlay-a', '10.1.0.0/24'));
    const b = await create(overlay('overlay-b', '10.2.0.0/24'));
    const c = await create(overlay('overlay-c', '10.3.0.0/24'));
    await create(overlay('elsewhere', '10.4.0.0/24', { podCidr: '10.245.0.0/16' }));

    const body = await lookup('10.244.1.9');

    const pod = (planId: string, planName: string, nodeIp: string) => ({
      planId,
      planName,
      role: 'pod',
      source: 'predicted',
      pool: 'system',
      nodeIndex: 1,
      nodeIp,
      range: '10.244.0.0/16',
    });
    expect({ ...body, matches: [...body.matches].sort(byPlanName) }).toEqual(
      answer('10.244.1.9', [
        pod(a.id, 'overlay-a', '10.1.0.5'),
        pod(b.id, 'overlay-b', '10.2.0.5'),
        pod(c.id, 'overlay-c', '10.3.0.5'),
      ]),
    );
  });

  it('mixes roles: a slot past one plan is unassigned there and a pod in a larger plan', async () => {
    const small = await create(overlay('small', '10.1.0.0/24'));
    const large = await create({
      ...overlay('large', '10.2.0.0/24'),
      nodePools: [{ name: 'system', nodeCount: 9 }],
    });

    const body = await lookup('10.244.5.1');

    expect({ ...body, matches: [...body.matches].sort(byPlanName) }).toEqual(
      answer('10.244.5.1', [
        {
          planId: large.id,
          planName: 'large',
          role: 'pod',
          source: 'predicted',
          pool: 'system',
          nodeIndex: 5,
          nodeIp: '10.2.0.9',
          range: '10.244.0.0/16',
        },
        { planId: small.id, planName: 'small', role: 'unassigned', range: '10.244.0.0/16' },
      ]),
    );
  });

  it('drops a deleted plan from the matches', async () => {
    const a = await create(overlay('keep', '10.1.0.0/24'));
    const b = await create(overlay('drop', '10.2.0.0/24'));
    expect((await ctx.request.delete(`/v1/plans/${b.id}`)).status).toBe(204);

    expect(await lookup('10.244.0.1')).toEqual(
      answer('10.244.0.1', [
        {
          planId: a.id,
          planName: 'keep',
          role: 'pod',
          source: 'predicted',
          pool: 'system',
          nodeIndex: 0,
          nodeIp: '10.1.0.4',
          range: '10.244.0.0/16',
        },
      ]),
    );
  });

  it('follows an overlay pod CIDR expanded into a superset: the new addresses belong to the plan', async () => {
    const { id } = await create(overlay('grow', '10.1.0.0/24', { podCidr: '10.244.0.0/18' }));
    expect(await lookup('10.244.64.1')).toEqual(answer('10.244.64.1', []));

    const put = await ctx.request
      .put(`/v1/plans/${id}`)
      .set('If-Match', '"1"')
      .send(overlay('grow', '10.1.0.0/24', { podCidr: '10.244.0.0/16' }));
    expect(put.status, JSON.stringify(put.body)).toBe(200);

    // The /24 per node never changes: node 1 keeps 10.244.1.0/24; 10.244.64.0 is nobody's yet.
    expect(await lookup('10.244.64.1')).toEqual(
      answer('10.244.64.1', [{ planId: id, planName: 'grow', role: 'unassigned', range: '10.244.0.0/16' }]),
    );
    expect((await lookup('10.244.1.1')).matches).toEqual([
      {
        planId: id,
        planName: 'grow',
        role: 'pod',
        source: 'predicted',
        pool: 'system',
        nodeIndex: 1,
        nodeIp: '10.1.0.5',
        range: '10.244.0.0/16',
      },
    ]);
  });

  it('answers every shared address in a batch, in input order', async () => {
    await create(overlay('batch-a', '10.1.0.0/24'));
    await create(overlay('batch-b', '10.2.0.0/24'));

    const res = await ctx.request.post('/v1/lookup').send({ ips: ['10.244.2.1', '10.244.0.7', '10.1.0.4'] });

    expect(res.status).toBe(200);
    const summary = (
      res.body.results as { ip: string; matches: { planName: string; role: string; nodeIndex?: number }[] }[]
    ).map((r) => ({
      ...r,
      matches: [...r.matches].sort(byPlanName).map((m) => [m.planName, m.role, m.nodeIndex]),
    }));
    expect(summary).toEqual([
      answer('10.244.2.1', [
        ['batch-a', 'pod', 2],
        ['batch-b', 'pod', 2],
      ]),
      answer('10.244.0.7', [
        ['batch-a', 'pod', 0],
        ['batch-b', 'pod', 0],
      ]),
      answer('10.1.0.4', [['batch-a', 'node', 0]]),
    ]);
  });

  it('names no node for a dynamic pod subnet address, and says why', async () => {
    const { id } = await create({
      name: 'dynamic-lookup',
      network: { plugin: 'azure-cni-pod-subnet', nodeSubnet: '10.240.0.0/24', podSubnet: '10.241.0.0/22' },
      nodePools: [{ name: 'system', nodeCount: 1 }],
    });

    expect(await lookup('10.241.1.1')).toEqual(
      answer('10.241.1.1', [
        {
          planId: id,
          planName: 'dynamic-lookup',
          role: 'pod',
          source: 'predicted',
          range: '10.241.0.0/22',
          note: 'dynamic pod IP allocation hands out batches of 16 addresses to whichever node needs them, so no address belongs to a fixed node',
        },
      ]),
    );
  });

  it('finds the node of a static block address', async () => {
    const { id } = await create({
      name: 'static-lookup',
      network: {
        plugin: 'azure-cni-pod-subnet',
        podIpAllocation: 'static-block',
        nodeSubnet: '10.240.0.0/24',
        podSubnet: '10.241.0.0/24',
      },
      nodePools: [{ name: 'system', nodeCount: 1, maxPods: 31 }],
    });

    expect(await lookup('10.241.0.50')).toEqual(
      answer('10.241.0.50', [
        {
          planId: id,
          planName: 'static-lookup',
          role: 'pod',
          source: 'predicted',
          pool: 'system',
          nodeIndex: 1,
          nodeIp: '10.240.0.5',
          range: '10.241.0.0/24',
        },
      ]),
    );
  });
});

describe('dual-stack over HTTP', () => {
  it('looks up an IPv6 pod address to its node, answering the address in canonical form', async () => {
    const { id } = await create(dualStack('dual-lookup'));

    expect(await lookup('FD12:3456:789A:0:2:0:0:1')).toEqual(
      answer('fd12:3456:789a:0:2::1', [
        {
          planId: id,
          planName: 'dual-lookup',
          role: 'pod',
          source: 'predicted',
          pool: 'system',
          nodeIndex: 2,
          nodeIp: '10.240.0.6',
          range: 'fd12:3456:789a::/64',
        },
      ]),
    );
  });

  it('finds the IPv6 pod address in every dual-stack plan reusing the IPv6 pod CIDR', async () => {
    const a = await create(dualStack('dual-a'));
    const b = await create({
      ...dualStack('dual-b'),
      network: { ...dualStack('').network, nodeSubnet: '10.9.0.0/24' },
    });

    const body = await lookup('fd12:3456:789a::1');

    expect(body.matches.sort(byPlanName)).toEqual([
      {
        planId: a.id,
        planName: 'dual-a',
        role: 'pod',
        source: 'predicted',
        pool: 'system',
        nodeIndex: 0,
        nodeIp: '10.240.0.4',
        range: 'fd12:3456:789a::/64',
      },
      {
        planId: b.id,
        planName: 'dual-b',
        role: 'pod',
        source: 'predicted',
        pool: 'system',
        nodeIndex: 0,
        nodeIp: '10.9.0.4',
        range: 'fd12:3456:789a::/64',
      },
    ]);
  });

  it('answers an IPv6 service address in the IPv6 service CIDR', async () => {
    const { id } = await create(dualStack('dual-service'));

    expect(await lookup('fd12:3456:789a:1::a')).toEqual(
      answer('fd12:3456:789a:1::a', [
        { planId: id, planName: 'dual-service', role: 'service', range: 'fd12:3456:789a:1::/108' },
      ]),
    );
  });

  it('gives capacity counts above 2^53 as decimal strings, smaller ones as numbers', async () => {
    const { id, capacity } = await create(dualStack('dual-capacity'));

    const res = await ctx.request.get(`/v1/plans/${id}/capacity`);

    expect(res.status).toBe(200);
    expect(res.body).toEqual(capacity);
    const [, , v6Pods, , v6Services] = res.body.ranges;
    // 2^64 addresses; 3 slots of 2^48 = 844,424,930,131,968, below 2^53.
    expect(v6Pods).toEqual({
      kind: 'pod-cidr',
      cidr: 'fd12:3456:789a::/64',
      total: '18446744073709551616',
      azureReserved: 0,
      usable: '18446744073709551616',
      required: { current: 562949953421312, atMaxCount: 562949953421312, duringUpgrade: 844424930131968 },
      free: '18445899648779419648',
      utilization: 0,
      nodeSlots: 65536,
      verdict: 'ok',
      explain:
        '(2 nodes + 1 surge) x 281,474,976,710,656 (a /80 per node) = 844,424,930,131,968 of 18,446,744,073,709,551,616 addresses',
      recommendedPrefixLength: 78,
    });
    expect(v6Services).toEqual({
      kind: 'service-cidr',
      cidr: 'fd12:3456:789a:1::/108',
      total: 1048576,
      azureReserved: 0,
      usable: 1048575,
      required: { current: 0, atMaxCount: 0, duringUpgrade: 0 },
      free: 1048575,
      utilization: 0,
      nodeSlots: null,
      verdict: 'ok',
      explain: 'IPv6 addresses of dual-stack services: 1,048,575 assignable (network address excluded)',
      recommendedPrefixLength: null,
    });
    expect(res.body.ranges.map((r: { kind: string; cidr: string }) => [r.kind, r.cidr])).toEqual([
      ['node-subnet', '10.240.0.0/24'],
      ['pod-cidr', '10.244.0.0/16'],
      ['pod-cidr', 'fd12:3456:789a::/64'],
      ['service-cidr', '10.0.0.0/16'],
      ['service-cidr', 'fd12:3456:789a:1::/108'],
    ]);
    expect(res.body.recommendation).toEqual({
      nodeSubnetPrefixLength: 29,
      podCidrPrefixLength: 22,
      ipv6PodCidrPrefixLength: 78,
    });
  });

  it('gives nodeSlots as a string when a huge IPv6 pod CIDR holds more than 2^53 /80s', async () => {
    const body = {
      ...dualStack('dual-huge'),
      network: { ...dualStack('').network, podCidrs: ['10.244.0.0/16', 'fc00::/8'] },
    };

    const res = await ctx.request.post('/v1/calculations').send(body);

    expect(res.status).toBe(200);
    const v6Pods = res.body.capacity.ranges[2];
    // A /8 holds 2^72 /80s.
    expect(v6Pods).toMatchObject({
      cidr: 'fc00::/8',
      total: (2n ** 120n).toString(),
      nodeSlots: (2n ** 72n).toString(),
      required: { duringUpgrade: 844424930131968 },
    });
    expect(res.body.nodes.items[1].podCidrs).toEqual(['10.244.1.0/24', 'fc00::1:0:0:0/80']);
  });

  it('refuses IPv6-only: 422 IPV6_ONLY_NOT_SUPPORTED', async () => {
    const res = await ctx.request
      .post('/v1/plans')
      .send(overlay('v6-only', '10.240.0.0/24', { ipFamilies: ['ipv6'] }));

    const message = 'AKS does not support IPv6-only clusters; use ["ipv4", "ipv6"] for dual-stack';
    expectProblem(
      res,
      problem(422, 'IPV6_ONLY_NOT_SUPPORTED', message, '/v1/plans', [
        { path: 'network.ipFamilies', code: 'IPV6_ONLY_NOT_SUPPORTED', message },
      ]),
    );
  });
});

describe('warnings for what Microsoft does not recommend or support', () => {
  const codes = (warnings: unknown) => (warnings as { code: string }[]).map((w) => w.code);

  it('answers a calculation and stores a plan with WINDOWS_MAX_PODS and POD_CIDR_NOT_PRIVATE', async () => {
    const body = {
      ...overlay('public-pods', '10.240.0.0/24', { podCidr: '20.0.0.0/16' }),
      nodePools: [
        { name: 'system', nodeCount: 2 },
        { name: 'win', osType: 'Windows', nodeCount: 2 },
      ],
    };
    const calculated = await ctx.request.post('/v1/calculations').send(body);
    expect(calculated.status).toBe(200);
    const expected = expect.arrayContaining(['WINDOWS_MAX_PODS', 'POD_CIDR_NOT_PRIVATE']);
    expect(codes(calculated.body.warnings)).toEqual(expected);
    expect(codes((await create(body)).warnings)).toEqual(expected);
  });

  it('stores a dynamic pod subnet plan larger than /16 with DYNAMIC_POD_SUBNET_TOO_LARGE', async () => {
    const plan = await create({
      name: 'big-pods',
      network: { plugin: 'azure-cni-pod-subnet', nodeSubnet: '10.240.0.0/24', podSubnet: '10.64.0.0/15' },
      nodePools: [{ name: 'system', nodeCount: 2 }],
    });
    expect(codes(plan.warnings)).toEqual(['DYNAMIC_POD_SUBNET_TOO_LARGE']);
  });
});
