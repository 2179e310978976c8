import { describe, expect, it, onTestFinished } from 'vitest';
import { createPlan, testApp, useTestApp } from './support/app.js';
import { expectProblem, problem } from './support/problems.js';

/** One item of `kubectl get nodes -o json`, trimmed to what the import reads plus some noise. */
const kubectlNode = (name: string, pool: string, nodeIp: string, podCidr?: string) => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.azure.com/agentpool': pool, 'kubernetes.io/os': 'linux' } },
  spec: podCidr === undefined ? { providerID: 'azure:///x' } : { podCIDR: podCidr, podCIDRs: [podCidr] },
  status: {
    addresses: [
      { type: 'InternalIP', address: nodeIp },
      { type: 'Hostname', address: name },
    ],
  },
});

const kubenetPlan = {
  name: 'kube',
  network: { plugin: 'kubenet', nodeSubnet: '10.240.0.0/24' },
  nodePools: [
    { name: 'system', nodeCount: 2 },
    { name: 'user', nodeCount: 1 },
  ],
};

const cniPlan = {
  name: 'cni',
  network: { plugin: 'azure-cni-node-subnet', nodeSubnet: '10.241.0.0/16' },
  nodePools: [{ name: 'system', nodeCount: 2, maxPods: 110 }],
};

describe('real nodes of a plan', () => {
  const ctx = useTestApp();

  const create = async (body: object) => (await createPlan(ctx.request, body)).id;

  it("records a cluster with AKS's virtual node: the virtual node is named as skipped, not drift", async () => {
    const id = await create(cniPlan);
    const virtual = {
      ...kubectlNode('virtual-node-aci-linux', 'x', '10.241.0.200'),
      metadata: {
        name: 'virtual-node-aci-linux',
        labels: { type: 'virtual-kubelet', 'kubernetes.io/role': 'agent' },
      },
    };
    const document = { items: [kubectlNode('aks-system-0', 'system', '10.241.0.4'), virtual] };

    const res = await ctx.request.post(`/v1/plans/${id}/node-imports`).send(document);

    expect(res.status).toBe(200);
    expect(res.body.recorded).toBe(1);
    expect(res.body.skipped).toEqual([
      { name: 'virtual-node-aci-linux', reason: expect.stringMatching(/virtual-kubelet/) },
    ]);
    const drift = await ctx.request.get(`/v1/plans/${id}/drift`);
    expect(drift.body.outsidePlan).toEqual([]);
  });

  it('imports kubectl JSON, matching kubenet nodes by pod CIDR, and keeps strays as drift', async () => {
    const id = await create(kubenetPlan);
    const document = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        kubectlNode('aks-system-0', 'system', '10.240.0.4', '10.244.0.0/24'),
        kubectlNode('aks-system-1', 'system', '10.240.0.5', '10.244.1.0/24'),
        kubectlNode('stray', 'user', '10.9.0.9', '10.250.0.0/24'),
      ],
    };

    const res = await ctx.request.post(`/v1/plans/${id}/node-imports`).send(document);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      recorded: 3,
      nodes: [
        {
          name: 'aks-system-0',
          pool: 'system',
          nodeIp: '10.240.0.4',
          podCidr: '10.244.0.0/24',
          slot: { pool: 'system', index: 0 },
        },
        {
          name: 'aks-system-1',
          pool: 'system',
          nodeIp: '10.240.0.5',
          podCidr: '10.244.1.0/24',
          slot: { pool: 'system', index: 1 },
        },
        { name: 'stray', pool: 'user', nodeIp: '10.9.0.9', podCidr: '10.250.0.0/24', slot: null },
      ],
      skipped: [],
    });
    const lookup = await ctx.request.get('/v1/lookup?ip=10.244.1.77');
    expect(lookup.body.matches).toEqual([
      {
        planId: id,
        planName: 'kube',
        role: 'pod',
        pool: 'system',
        nodeIndex: 1,
        nodeIp: '10.240.0.5',
        nodeName: 'aks-system-1',
        source: 'recorded',
        range: '10.244.0.0/16',
      },
    ]);
    const nodes = await ctx.request.get(`/v1/plans/${id}/nodes?limit=2`);
    expect(nodes.body.items.map((s: { nodeName?: string }) => s.nodeName)).toEqual([
      'aks-system-0',
      'aks-system-1',
    ]);
    const drift = await ctx.request.get(`/v1/plans/${id}/drift`);
    expect(drift.body).toEqual({
      outsidePlan: [
        { name: 'stray', pool: 'user', nodeIp: '10.9.0.9', podCidr: '10.250.0.0/24', slot: null },
      ],
      overfullPools: [],
      wrongPool: [],
      sharedSlots: [],
    });
  });

  it('matches a kubenet node by its pod CIDR alone when it has one, by node IP without', async () => {
    const id = await create(kubenetPlan);
    // Node IP .6 is slot user 0's, but 10.244.9.0/24 is in no slot (5 slots: 10.244.0-4.0/24).
    const outside = await ctx.request
      .put(`/v1/plans/${id}/nodes/aks-user-9`)
      .send({ pool: 'user', nodeIp: '10.240.0.6', podCidr: '10.244.9.0/24' });
    const noPods = await ctx.request
      .put(`/v1/plans/${id}/nodes/aks-user-0`)
      .send({ pool: 'user', nodeIp: '10.240.0.6' });

    expect(outside.body.slot).toBeNull();
    expect(noPods.body.slot).toEqual({ pool: 'user', index: 0 });
    const drift = await ctx.request.get(`/v1/plans/${id}/drift`);
    expect(drift.body.outsidePlan.map((n: { name: string }) => n.name)).toEqual(['aks-user-9']);
    expect(drift.body.wrongPool).toEqual([]);
  });

  it("lists a slot with its recorded node's IP, as lookups answer it", async () => {
    // After an upgrade re-ordered them: a holds .4 with slot 1's /24, b holds .5 with slot 0's.
    const id = await create(kubenetPlan);
    const imported = await ctx.request.post(`/v1/plans/${id}/node-imports`).send({
      items: [
        kubectlNode('aks-system-a', 'system', '10.240.0.4', '10.244.1.0/24'),
        kubectlNode('aks-system-b', 'system', '10.240.0.5', '10.244.0.0/24'),
      ],
    });
    expect(imported.status, imported.text).toBe(200);
    const slots = (await ctx.request.get(`/v1/plans/${id}/nodes?pool=system&limit=2`)).body.items;
    expect(slots.map((s: { nodeName: string; nodeIp: string }) => [s.nodeName, s.nodeIp])).toEqual([
      ['aks-system-b', '10.240.0.5'],
      ['aks-system-a', '10.240.0.4'],
    ]);
    const lookup = (await ctx.request.get('/v1/lookup?ip=10.240.0.4')).body.matches[0];
    expect(lookup).toMatchObject({ nodeName: 'aks-system-a', nodeIndex: 1, source: 'recorded' });
  });

  it.each([
    ['in memory', undefined],
    ['from the store (records past the memory budget)', { maxEntries: 0, retentionDays: 90 }],
  ])('answers nothing a recorded node contradicts after an upgrade, %s', async (_how, records) => {
    // An upgrade brought the node with slot 1's /24 up at slot 0's IP: .5, slot 1's planned IP,
    // is no recorded node's, and slot 0's pods are no longer named with .4, which is slot 1's node's.
    const own = records === undefined ? undefined : await testApp(undefined, { records });
    onTestFinished(() => own?.app.close());
    const { request } = own ?? ctx;
    const id = (await createPlan(request, kubenetPlan)).id;
    const imported = await request
      .post(`/v1/plans/${id}/node-imports`)
      .send({ items: [kubectlNode('aks-system-3', 'system', '10.240.0.4', '10.244.1.0/24')] });
    expect(imported.status, imported.text).toBe(200);
    const answers = (
      await request.post('/v1/lookup').send({ ips: ['10.240.0.4', '10.240.0.5', '10.244.0.9'] })
    ).body.results;
    const [atFour, atFive, podOfSlot0] = answers.map((a: { matches: object[] }) => a.matches[0]);
    expect(atFour).toMatchObject({
      nodeName: 'aks-system-3',
      pool: 'system',
      nodeIndex: 1,
      source: 'recorded',
    });
    expect(atFive).toEqual({
      planId: id,
      planName: 'kube',
      role: 'unassigned',
      range: '10.240.0.0/24',
      note: 'no recorded node has this address: the node planned here (pool system, node 1) is recorded as aks-system-3 at 10.240.0.4',
    });
    expect(podOfSlot0).toMatchObject({ role: 'pod', pool: 'system', nodeIndex: 0, source: 'predicted' });
    expect(podOfSlot0.nodeIp).toBeUndefined();
    expect((await request.get('/v1/lookup?ip=10.240.0.5')).body.matches[0]).toEqual(atFive);
    const slots = (await request.get(`/v1/plans/${id}/nodes?pool=system&limit=2`)).body.items;
    expect(slots.map((s: { nodeName?: string; nodeIp: string | null }) => [s.nodeName, s.nodeIp])).toEqual([
      [undefined, null],
      ['aks-system-3', '10.240.0.4'],
    ]);
    // A pod recorded on a node that never was says no more: slot 0, without slot 1's node's IP.
    const pod = {
      metadata: { name: 'web', namespace: 'shop' },
      spec: { nodeName: 'aks-system-0' },
      status: { podIP: '10.244.0.9' },
    };
    expect((await request.post(`/v1/plans/${id}/pod-imports`).send({ items: [pod] })).status).toBe(200);
    const onUnrecorded = (await request.get('/v1/lookup?ip=10.244.0.9')).body.matches[0];
    expect(onUnrecorded).toMatchObject({
      role: 'pod',
      pool: 'system',
      nodeIndex: 0,
      nodeName: 'aks-system-0',
    });
    expect(onUnrecorded.nodeIp).toBeUndefined();
  });

  it("names no node of another pool in a slot, nor another node's IP for a node recorded without one", async () => {
    const id = await create(kubenetPlan);
    // aks-u (pool user) holds system slot 1's /24: lookups answer it as user's, in no slot.
    // aks-a has no InternalIP and holds slot 0's /24, whose planned IP .4 aks-b holds.
    const noIp = {
      ...kubectlNode('aks-a', 'system', '10.240.0.4', '10.244.0.0/24'),
      status: { addresses: [] },
    };
    const imported = await ctx.request.post(`/v1/plans/${id}/node-imports`).send({
      items: [
        kubectlNode('aks-u', 'user', '10.240.0.9', '10.244.1.0/24'),
        noIp,
        kubectlNode('aks-b', 'system', '10.240.0.4', '10.244.5.0/24'),
      ],
    });
    expect(imported.status, imported.text).toBe(200);
    const slots = (await ctx.request.get(`/v1/plans/${id}/nodes?pool=system&limit=2`)).body.items;
    expect(slots.map((s: { nodeName?: string; nodeIp: string | null }) => [s.nodeName, s.nodeIp])).toEqual([
      ['aks-a', null],
      [undefined, '10.240.0.5'],
    ]);
    expect((await ctx.request.get('/v1/lookup?ip=10.240.0.9')).body.matches[0]).toMatchObject({
      pool: 'user',
    });
    expect((await ctx.request.get('/v1/lookup?ip=10.240.0.9')).body.matches[0].nodeIndex).toBeUndefined();
    // A pod recorded on aks-a names aks-a in slot 0, without aks-b's address.
    const pod = {
      metadata: { name: 'web', namespace: 'shop' },
      spec: { nodeName: 'aks-a' },
      status: { podIP: '10.244.0.9' },
    };
    expect((await ctx.request.post(`/v1/plans/${id}/pod-imports`).send({ items: [pod] })).status).toBe(200);
    const onA = (await ctx.request.get('/v1/lookup?ip=10.244.0.9')).body.matches[0];
    expect(onA).toMatchObject({ nodeName: 'aks-a', pool: 'system', nodeIndex: 0, source: 'recorded' });
    expect(onA.nodeIp).toBeUndefined();
  });

  it('matches Azure CNI nodes by node IP and reports wrong pools and overfull pools', async () => {
    const id = await create(cniPlan);
    // Slots: system 0 at .4, system 1 at .115, system 2 (surge) at .226.
    for (const [name, pool, nodeIp] of [
      ['n0', 'system', '10.241.0.4'],
      ['n1', 'gpu', '10.241.0.115'],
      ['n2', 'system', '10.241.0.226'],
      ['n3', 'system', '10.241.0.230'],
      ['n4', 'system', '10.241.1.80'],
    ]) {
      const res = await ctx.request.put(`/v1/plans/${id}/nodes/${name}`).send({ pool, nodeIp });
      expect(res.status).toBe(200);
    }

    const drift = await ctx.request.get(`/v1/plans/${id}/drift`);

    expect(drift.body.overfullPools).toEqual([
      { pool: 'system', nodes: 4, slots: 3 },
      { pool: 'gpu', nodes: 1, slots: 0 },
    ]);
    expect(drift.body.wrongPool.map((n: { name: string }) => n.name)).toEqual(['n1']);
    // .230 is a pod address of the surge slot, not a node IP: outside the plan's node slots.
    expect(drift.body.outsidePlan.map((n: { name: string }) => n.name)).toEqual(['n3', 'n4']);
  });

  it('calls a pool with as many nodes as slots full, not overfull', async () => {
    const id = await create(cniPlan);
    for (const [name, nodeIp] of [
      ['n0', '10.241.0.4'],
      ['n1', '10.241.0.115'],
      ['n2', '10.241.0.226'],
    ]) {
      const res = await ctx.request.put(`/v1/plans/${id}/nodes/${name}`).send({ pool: 'system', nodeIp });
      expect(res.status).toBe(200);
    }
    expect((await ctx.request.get(`/v1/plans/${id}/drift`)).body.overfullPools).toEqual([]);
  });

  it('moves recorded nodes with the plan when it is replaced', async () => {
    const id = await create(cniPlan);
    await ctx.request.put(`/v1/plans/${id}/nodes/late`).send({ pool: 'system', nodeIp: '10.241.0.226' });
    expect((await ctx.request.get(`/v1/plans/${id}/drift`)).body.outsidePlan).toEqual([]);

    // .226 is slot 2 (the surge slot) of 2 nodes + 1 surge. Shrunk to 1 node + 1 surge, no slot starts there.
    const shrunk = { ...cniPlan, nodePools: [{ name: 'system', nodeCount: 1, maxPods: 110 }] };
    const res = await ctx.request.put(`/v1/plans/${id}`).set('If-Match', '"1"').send(shrunk);
    expect(res.status).toBe(200);

    expect(
      (await ctx.request.get(`/v1/plans/${id}/drift`)).body.outsidePlan.map((n: { name: string }) => n.name),
    ).toEqual(['late']);
  });

  it('answers lookups from recorded nodes first: recorded wins over predicted', async () => {
    // The api.md example: 3 current nodes, then 2 load balancers and a private endpoint at .97-.99.
    const id = await create({
      name: 'drifted',
      network: { plugin: 'azure-cni-node-subnet', nodeSubnet: '10.240.0.0/24' },
      nodePools: [{ name: 'system', nodeCount: 3, maxCount: 5, maxPods: 30, maxSurge: 1 }],
      reservations: { internalLoadBalancers: 2, privateEndpoints: 1 },
    });
    const document = {
      items: [
        kubectlNode('aks-system-0', 'system', '10.240.0.4'),
        // After an upgrade a node took an address the layout predicted for a load balancer.
        kubectlNode('aks-system-9', 'system', '10.240.0.98'),
      ],
    };
    expect((await ctx.request.post(`/v1/plans/${id}/node-imports`).send(document)).status).toBe(200);

    const answer = async (ip: string) => (await ctx.request.get(`/v1/lookup?ip=${ip}`)).body.matches;
    const base = { planId: id, planName: 'drifted', pool: 'system', range: '10.240.0.0/24' };
    expect(await answer('10.240.0.9')).toEqual([
      {
        ...base,
        role: 'pod',
        nodeIndex: 0,
        nodeIp: '10.240.0.4',
        nodeName: 'aks-system-0',
        source: 'recorded',
      },
    ]);
    expect(await answer('10.240.0.98')).toEqual([
      { ...base, role: 'node', nodeIp: '10.240.0.98', nodeName: 'aks-system-9', source: 'recorded' },
    ]);
    expect(await answer('10.240.0.40')).toEqual([
      { ...base, role: 'pod', nodeIndex: 1, nodeIp: '10.240.0.35', source: 'predicted' },
    ]);
  });

  it.each([
    [{ items: [null] }, 'items[0]'],
    [
      { items: [{ metadata: { name: 'n', labels: { agentpool: 'system' } }, status: { addresses: 'x' } }] },
      'items[0].status.addresses',
    ],
    [
      {
        items: [
          {
            metadata: { name: 'n', labels: { agentpool: 'system' } },
            status: { addresses: [{ type: 'InternalIP', address: null }] },
          },
        ],
      },
      'items[0].status.addresses[0].address',
    ],
  ])('refuses the hostile document %j with 422 at %s, recording nothing', async (document, path) => {
    const id = await create(cniPlan);

    const res = await ctx.request.post(`/v1/plans/${id}/node-imports`).send(document);

    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors.map((e: { path: string; code: string }) => [e.code, e.path])).toEqual([
      ['KUBECTL_NODES_INVALID', path],
    ]);
    expect((await ctx.request.get(`/v1/plans/${id}/drift`)).body.outsidePlan).toEqual([]);
  });

  it('refuses an import that is not a kubectl node list, naming each bad item', async () => {
    const id = await create(kubenetPlan);
    const res = await ctx.request
      .post(`/v1/plans/${id}/node-imports`)
      .send({ items: [{ metadata: { name: 'x' } }, kubectlNode('ok', 'system', '10.240.0.4')] });
    expectProblem(
      res,
      problem(
        422,
        'KUBECTL_NODES_INVALID',
        'node x has no kubernetes.azure.com/agentpool label',
        `/v1/plans/${id}/node-imports`,
        [
          {
            path: 'items[0].metadata.labels',
            code: 'KUBECTL_NODES_INVALID',
            message: 'node x has no kubernetes.azure.com/agentpool label',
          },
        ],
      ),
    );
    expect((await ctx.request.get(`/v1/plans/${id}/drift`)).body.outsidePlan).toEqual([]);
  });

  it('answers 404 for an unknown plan and 422 for a bad node IP', async () => {
    const missing = await ctx.request
      .put('/v1/plans/nope/nodes/a')
      .send({ pool: 'system', nodeIp: '10.0.0.1' });
    expect(missing.status).toBe(404);
    const id = await create(kubenetPlan);
    const bad = await ctx.request
      .put(`/v1/plans/${id}/nodes/a`)
      .send({ pool: 'system', nodeIp: '10.0.0.01' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([
      { path: 'nodeIp', code: 'IP_INVALID', message: expect.stringContaining('leading zero') },
    ]);
  });

  it('refuses a node name or pool Kubernetes would not accept, recording nothing', async () => {
    const id = await create(cniPlan);

    const res = await ctx.request
      .put(`/v1/plans/${id}/nodes/Bad_Name`)
      .send({ pool: 'system pool', nodeIp: '10.240.0.4' });

    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      {
        path: 'name',
        code: 'NODE_INVALID',
        message: expect.stringContaining('"Bad_Name" is not a Kubernetes name'),
      },
      {
        path: 'pool',
        code: 'NODE_INVALID',
        message: expect.stringContaining('"system pool" is not a label value'),
      },
    ]);
    expect((await ctx.request.get(`/v1/plans/${id}/drift`)).body.outsidePlan).toEqual([]);
  });

  it("refuses a pod CIDR no node has, which would take every other node's pods in lookups", async () => {
    const id = await create(cniPlan);

    const wide = await ctx.request
      .put(`/v1/plans/${id}/nodes/aks-system-0`)
      .send({ pool: 'system', nodeIp: '10.240.0.4', podCidr: '0.0.0.0/0' });
    expect([wide.status, wide.body.errors]).toEqual([
      422,
      [
        {
          path: 'podCidr',
          code: 'NODE_INVALID',
          message: "0.0.0.0/0 is no node's pod CIDR: AKS gives each node a /24 of the cluster's pod CIDR",
        },
      ],
    ]);
    const node = kubectlNode('aks-system-0', 'system', '10.240.0.4');
    const imported = await ctx.request
      .post(`/v1/plans/${id}/node-imports`)
      .send({ items: [{ ...node, spec: { podCIDR: '10.244.0.0/16' } }] });
    expect([imported.status, imported.body.errors[0].path]).toEqual([422, 'items[0].spec.podCIDR']);
    expect((await ctx.request.get(`/v1/plans/${id}/drift`)).body.outsidePlan).toEqual([]);
  });

  it('refuses an import naming one node twice: Kubernetes names nodes uniquely', async () => {
    const id = await create(cniPlan);

    const res = await ctx.request.post(`/v1/plans/${id}/node-imports`).send({
      items: [
        kubectlNode('aks-system-0', 'system', '10.240.0.4'),
        kubectlNode('aks-system-0', 'system', '10.240.0.35'),
      ],
    });

    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      {
        path: 'items[1].metadata.name',
        code: 'KUBECTL_NODES_INVALID',
        message: 'node aks-system-0 is listed twice (also at items[0])',
      },
    ]);
  });

  it('forgets a node the next import no longer lists: lookups name the node that holds the slot now', async () => {
    const id = await create(kubenetPlan);
    const importNodes = (items: object[], observedAt: string) =>
      ctx.request.post(`/v1/plans/${id}/node-imports?observedAt=${observedAt}`).send({ items });
    await importNodes(
      [
        kubectlNode('aks-system-00', 'system', '10.240.0.4', '10.244.0.0/24'),
        kubectlNode('aks-system-01', 'system', '10.240.0.5', '10.244.1.0/24'),
      ],
      '2026-12-01T10:00:00Z',
    );
    // An upgrade replaced node 01 with node 02, on the same addresses.
    const after = await importNodes(
      [
        kubectlNode('aks-system-00', 'system', '10.240.0.4', '10.244.0.0/24'),
        kubectlNode('aks-system-02', 'system', '10.240.0.5', '10.244.1.0/24'),
      ],
      '2026-12-01T11:00:00Z',
    );
    expect(after.status, after.text).toBe(200);
    const lookup = await ctx.request.get('/v1/lookup?ip=10.244.1.20');
    expect(lookup.body.matches[0]).toMatchObject({ nodeName: 'aks-system-02', source: 'recorded' });
    expect((await ctx.request.get(`/v1/plans/${id}/drift`)).body.sharedSlots).toEqual([]);
    const stale = await importNodes(
      [kubectlNode('aks-system-00', 'system', '10.240.0.4', '10.244.0.0/24')],
      '2026-12-01T10:30:00Z',
    );
    expect(stale.status).toBe(422);
    expect(stale.body.errors).toEqual([
      expect.objectContaining({ code: 'OBSERVED_AT_INVALID', path: 'observedAt' }),
    ]);
  });

  it('refuses a node IP Azure keeps for itself in the subnet: recorded, it would answer as a node', async () => {
    const id = await create(kubenetPlan);
    const put = await ctx.request
      .put(`/v1/plans/${id}/nodes/n-gw`)
      .send({ pool: 'system', nodeIp: '10.240.0.1' });
    expect([put.status, put.body.errors]).toEqual([
      422,
      [
        {
          code: 'NODE_INVALID',
          path: 'nodeIp',
          message:
            "node n-gw's IP 10.240.0.1 is one Azure reserves in the subnet 10.240.0.0/24: no VM has it",
        },
      ],
    ]);
    const imported = await ctx.request.post(`/v1/plans/${id}/node-imports`).send({
      items: [
        kubectlNode('aks-system-0', 'system', '10.240.0.4'),
        kubectlNode('aks-system-1', 'system', '10.240.0.255'),
      ],
    });
    expect([imported.status, imported.body.errors.map((e: { message: string }) => e.message)]).toEqual([
      422,
      ["node aks-system-1's IP 10.240.0.255 is one Azure reserves in the subnet 10.240.0.0/24: no VM has it"],
    ]);
    expect((await ctx.request.get('/v1/lookup?ip=10.240.0.1')).body.matches[0].role).toBe('azure-reserved');
  });

  it('refuses more nodes than an AKS cluster can have, before reading them', async () => {
    const id = await create(cniPlan);
    const items = Array.from({ length: 5001 }, () => ({}));
    const res = await ctx.request.post(`/v1/plans/${id}/node-imports`).send({ items });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      {
        code: 'KUBECTL_NODES_INVALID',
        path: 'items',
        message: '5001 nodes: an AKS cluster has at most 5,000',
      },
    ]);
  });

  it('names a dual-stack node for the IPv6 pod addresses of its /80, as recorded', async () => {
    const id = await create({
      name: 'dual',
      network: { plugin: 'azure-cni-overlay', nodeSubnet: '10.240.0.0/24', ipFamilies: ['ipv4', 'ipv6'] },
      nodePools: [{ name: 'system', nodeCount: 2 }],
    });
    const node = kubectlNode('aks-system-01', 'system', '10.240.0.5', '10.244.1.0/24');
    const dual = {
      ...node,
      spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24', 'fd12:3456:789a:0:1::/80'] },
    };
    const imported = await ctx.request.post(`/v1/plans/${id}/node-imports`).send({ items: [dual] });
    expect(imported.status, imported.text).toBe(200);
    const [match] = (await ctx.request.get('/v1/lookup?ip=fd12:3456:789a:0:1::9')).body.matches;
    expect(match).toMatchObject({ role: 'pod', source: 'recorded', nodeName: 'aks-system-01', nodeIndex: 1 });
  });
});
