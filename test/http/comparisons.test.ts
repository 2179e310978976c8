import { describe, expect, it } from 'vitest';
import { useTestApp } from './support/app.js';
import { expectProblem, problem } from './support/problems.js';

const base = {
  name: 'shop',
  network: { plugin: 'azure-cni-node-subnet', nodeSubnet: '10.240.0.0/22' },
  nodePools: [
    { name: 'system', nodeCount: 3, maxPods: 30 },
    { name: 'apps', nodeCount: 10, maxCount: 20, maxPods: 30, maxSurge: 1 },
  ],
  outbound: { managedOutboundIps: 1, allocatedOutboundPorts: 1024 },
};

const nodeSubnetRange = (required: number, free: number, nodeSlots: number, verdict = 'ok') => ({
  kind: 'node-subnet',
  cidr: '10.240.0.0/22',
  usable: 1019,
  required,
  free,
  nodeSlots,
  verdict,
});
const serviceRange = {
  kind: 'service-cidr',
  cidr: '10.0.0.0/16',
  usable: 65534,
  required: 2,
  free: 65532,
  nodeSlots: null,
  verdict: 'ok',
};

describe('POST /v1/comparisons', () => {
  const ctx = useTestApp();

  it('answers "CNI node subnet with a /22 at maxPods 30, or overlay?" side by side', async () => {
    const res = await ctx.request.post('/v1/comparisons').send({
      base,
      variants: [
        { name: 'overlay', changes: { network: { plugin: 'azure-cni-overlay', podCidr: '10.244.0.0/16' } } },
      ],
    });

    expect(res.status).toBe(200);
    // (3 + 1) + (20 + 1) slots x 31 = 775 of 1,019; SNAT: 64,000 / 1,024 = 62 nodes for 25 needed.
    expect(res.body.base).toEqual({
      verdict: 'ok',
      ranges: [nodeSubnetRange(775, 244, 32), serviceRange],
      snat: { maxNodes: 62, required: 25, verdict: 'ok' },
      // apps alone: (1,019 - 4 x 31) / 31 = 28 slots = 27 + 1 surge -> 3 + 27 = 30 nodes.
      maxNodes: { count: 30, pool: 'system', limitedBy: { kind: 'node-subnet', cidr: '10.240.0.0/22' } },
      addressesPerNode: [
        { pool: 'system', ranges: [{ kind: 'node-subnet', cidr: '10.240.0.0/22', addresses: 31 }] },
        { pool: 'apps', ranges: [{ kind: 'node-subnet', cidr: '10.240.0.0/22', addresses: 31 }] },
      ],
      publicIps: 1,
      warnings: [],
    });
    const [overlay] = res.body.variants;
    expect(overlay.name).toBe('overlay');
    expect(overlay.valid).toBe(true);
    // Overlay: one node IP per node, so the SNAT ports stop the cluster first. apps: 62 - (3 + 1) = 58
    // slots = 57 + 1 surge -> 3 + 57 = 60 nodes; system, with its default 10% surge, only 37 + 20 = 57.
    expect(overlay.summary.maxNodes).toEqual({ count: 60, pool: 'apps', limitedBy: { kind: 'snat' } });
    expect(overlay.summary.addressesPerNode[0]).toEqual({
      pool: 'system',
      ranges: [
        { kind: 'node-subnet', cidr: '10.240.0.0/22', addresses: 1 },
        { kind: 'pod-cidr', cidr: '10.244.0.0/16', addresses: 256 },
      ],
    });
    expect(overlay.specChanges).toEqual(
      expect.arrayContaining([
        { path: 'network.plugin', from: 'azure-cni-node-subnet', to: 'azure-cni-overlay' },
        { path: 'network.podCidr', from: null, to: '10.244.0.0/16' },
      ]),
    );
    expect(overlay.differences).toEqual([
      { metric: 'node-subnet[0].required', base: 775, variant: 25 },
      { metric: 'node-subnet[0].free', base: 244, variant: 994 },
      { metric: 'node-subnet[0].nodeSlots', base: 32, variant: 1019 },
      { metric: 'maxNodes', base: 30, variant: 60 },
      { metric: 'maxNodes.pool', base: 'system', variant: 'apps' },
      { metric: 'maxNodes.limitedBy', base: 'node-subnet 10.240.0.0/22', variant: 'snat' },
      { metric: 'addressesPerNode.system.node-subnet[0]', base: 31, variant: 1 },
      { metric: 'addressesPerNode.apps.node-subnet[0]', base: 31, variant: 1 },
      { metric: 'pod-cidr[0].cidr', base: null, variant: '10.244.0.0/16' },
      { metric: 'pod-cidr[0].usable', base: null, variant: 65536 },
      { metric: 'pod-cidr[0].required', base: null, variant: 6400 },
      { metric: 'pod-cidr[0].free', base: null, variant: 59136 },
      { metric: 'pod-cidr[0].nodeSlots', base: null, variant: 256 },
      { metric: 'pod-cidr[0].verdict', base: null, variant: 'ok' },
      { metric: 'addressesPerNode.system.pod-cidr[0]', base: null, variant: 256 },
      { metric: 'addressesPerNode.apps.pod-cidr[0]', base: null, variant: 256 },
    ]);
  });

  it("says each design's warnings, and a variant's move of reservations from the base's subnet", async () => {
    const hub = {
      network: {
        plugin: 'azure-cni-overlay',
        vnetAddressSpace: ['10.42.0.0/16'],
        nodeSubnet: '10.42.1.0/24',
      },
      nodePools: [{ name: 'system', nodeCount: 3 }],
      reservations: { internalLoadBalancers: 2 },
    };
    const res = await ctx.request.post('/v1/comparisons').send({
      base: hub,
      variants: [
        {
          name: 'own-subnet',
          changes: {
            platformSubnets: [{ role: 'internal-load-balancers', name: 'ilb', cidr: '10.42.2.0/28' }],
          },
        },
        { name: 'kubenet', changes: { network: { plugin: 'kubenet' } } },
      ],
    });
    expect(res.status).toBe(200);
    const codes = (summary: { warnings: { code: string }[] }) => summary.warnings.map((w) => w.code);
    const overlay = ['OVERLAY_NODE_BLOCK_FIXED', 'OVERLAY_POD_CIDR_EXPAND_ONLY'];
    expect(codes(res.body.base)).toEqual(overlay);
    const [own, kubenet] = res.body.variants;
    expect(codes(own.summary)).toEqual([...overlay, 'RESERVATIONS_MOVED']);
    expect(own.summary.warnings[2].message).toMatch(
      /^internal load balancer frontends are planned in subnet ilb \(10\.42\.2\.0\/28\) now, not in the first pool's node subnet 10\.42\.1\.0\/24/,
    );
    // A variant's own warnings, as a plan of it would carry them.
    expect(codes(kubenet.summary)).toContain('KUBENET_RETIREMENT');
  });

  it('patches pools by name: maxPods 50 for apps exhausts the /22', async () => {
    const res = await ctx.request.post('/v1/comparisons').send({
      base,
      variants: [{ name: 'maxpods-50', changes: { nodePools: [{ name: 'apps', maxPods: 50 }] } }],
    });
    const [variant] = res.body.variants;
    // 4 x 31 + 21 x 51 = 1,195 of 1,019.
    expect(variant.summary.ranges[0]).toEqual(nodeSubnetRange(1195, -176, 19, 'exhausted'));
    expect(variant.differences[0]).toEqual({ metric: 'verdict', base: 'ok', variant: 'exhausted' });
    // Every figure that differs: the range's own verdict and apps' addresses a node too.
    expect(variant.differences).toEqual(
      expect.arrayContaining([
        { metric: 'node-subnet[0].verdict', base: 'ok', variant: 'exhausted' },
        { metric: 'addressesPerNode.apps.node-subnet[0]', base: 31, variant: 51 },
      ]),
    );
    expect(variant.differences.map((d: { metric: string }) => d.metric)).not.toContain(
      'addressesPerNode.system.node-subnet[0]',
    );
    expect(variant.specChanges).toEqual([{ path: 'nodePools[1].maxPods', from: 30, to: 50 }]);
  });

  it('returns invalid variants with their problems and still answers the others', async () => {
    const res = await ctx.request.post('/v1/comparisons').send({
      base,
      variants: [
        { name: 'wrong-type', changes: { nodePools: [{ name: 'apps', maxPods: 'many' }] } },
        {
          name: 'kubenet-windows',
          changes: {
            network: { plugin: 'kubenet' },
            nodePools: [{ name: 'win', osType: 'Windows', nodeCount: 1 }],
          },
        },
        { name: 'two-ips', changes: { outbound: { managedOutboundIps: 2 } } },
      ],
    });

    expect(res.status).toBe(200);
    expect(res.body.variants.slice(0, 2)).toEqual([
      {
        name: 'wrong-type',
        valid: false,
        problems: [{ path: 'nodePools[1].maxPods', code: 'INVALID_TYPE', message: expect.any(String) }],
      },
      {
        name: 'kubenet-windows',
        valid: false,
        problems: [
          {
            path: 'nodePools[2].osType',
            code: 'WINDOWS_NOT_SUPPORTED',
            message: 'kubenet does not support Windows node pools',
          },
        ],
      },
    ]);
    const twoIps = res.body.variants[2];
    expect(twoIps.valid).toBe(true);
    expect(twoIps.summary.snat).toEqual({ maxNodes: 125, required: 25, verdict: 'ok' });
    expect(twoIps.differences).toEqual([
      { metric: 'publicIps', base: 1, variant: 2 },
      { metric: 'snat.maxNodes', base: 62, variant: 125 },
    ]);
  });

  it('refuses a variant that changes one pool twice, whichever change comes first', async () => {
    const twice = [
      { name: 'apps', nodeCount: 9 },
      { name: 'apps', nodeCount: 5 },
    ];
    const res = await ctx.request.post('/v1/comparisons').send({
      base,
      variants: [
        { name: 'nine-then-five', changes: { nodePools: twice } },
        { name: 'five-then-nine', changes: { nodePools: [...twice].reverse() } },
        // Changes that are no pool by themselves: the duplicate, not "nodeCount required".
        {
          name: 'pods-twice',
          changes: {
            nodePools: [
              { name: 'apps', maxPods: 40 },
              { name: 'apps', maxPods: 50 },
            ],
          },
        },
      ],
    });

    expect(res.status).toBe(200);
    expect(res.body.variants).toHaveLength(3);
    // A new pool named twice: the design names it twice too (base pools system and apps).
    const added = await ctx.request.post('/v1/comparisons').send({
      base,
      variants: [
        {
          name: 'gpu-twice',
          changes: {
            nodePools: [
              { name: 'gpu', nodeCount: 2 },
              { name: 'gpu', maxPods: 50 },
            ],
          },
        },
      ],
    });
    expect(added.body.variants[0].problems).toEqual([
      expect.objectContaining({ path: 'nodePools[3].name', code: 'DUPLICATE_POOL_NAME' }),
    ]);
    for (const variant of res.body.variants) {
      expect([variant.valid, variant.problems]).toEqual([
        false,
        [expect.objectContaining({ path: 'nodePools[2].name', code: 'DUPLICATE_POOL_NAME' })],
      ]);
    }
  });

  it('takes a base without a name, as a calculation does', async () => {
    const { name: _name, ...unnamed } = base;

    const res = await ctx.request.post('/v1/comparisons').send({
      base: unnamed,
      variants: [{ name: 'more-pods', changes: { nodePools: [{ name: 'apps', maxPods: 40 }] } }],
    });

    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.variants[0].valid).toBe(true);
    expect(res.body.variants[0].specChanges).toEqual([{ path: 'nodePools[1].maxPods', from: 30, to: 40 }]);
  });

  it('refuses an invalid base with 422 and its problems', async () => {
    const res = await ctx.request.post('/v1/comparisons').send({
      base: { ...base, network: { plugin: 'azure-cni-node-subnet', nodeSubnet: '10.240.0.1/22' } },
      variants: [{ name: 'same', changes: {} }],
    });
    const message = '"10.240.0.1/22" has host bits set; did you mean 10.240.0.0/22?';
    expectProblem(
      res,
      problem(422, 'CIDR_HOST_BITS_SET', message, '/v1/comparisons', [
        // Located in the request body, as schema errors of the base are.
        { path: 'base.network.nodeSubnet', code: 'CIDR_HOST_BITS_SET', message },
      ]),
    );
  });

  it('refuses duplicate variant names, and more than 10 variants', async () => {
    const twice = await ctx.request.post('/v1/comparisons').send({
      base,
      variants: [
        { name: 'a', changes: {} },
        { name: 'a', changes: {} },
      ],
    });
    expect(twice.status).toBe(422);
    expect(twice.body.code).toBe('VARIANT_NAME_DUPLICATE');
    expect(twice.body.errors.map((e: { path: string }) => e.path)).toEqual(['variants[1].name']);
    const eleven = Array.from({ length: 11 }, (_, i) => ({ name: `v${i}`, changes: {} }));
    const tooMany = await ctx.request.post('/v1/comparisons').send({ base, variants: eleven });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.errors).toEqual([
      { path: 'variants', code: 'VALUE_OUT_OF_RANGE', message: expect.any(String) },
    ]);
  });

  it('stores nothing', async () => {
    await ctx.request.post('/v1/comparisons').send({ base, variants: [{ name: 'same', changes: {} }] });
    expect((await ctx.request.get('/v1/plans')).body.items).toEqual([]);
  });
});
