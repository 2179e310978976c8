import { describe, expect, it } from 'vitest';
import { useTestApp } from './support/app.js';
import {
  answer,
  EXAMPLE_CAPACITY,
  EXAMPLE_DEFAULTS,
  EXAMPLE_VNET,
  exampleDesign,
  exampleSpec,
  PLUGIN,
  smallDesign,
} from './support/designs.js';
import { expectProblem, problem } from './support/problems.js';

const ctx = useTestApp();

/** The example's 6 slots of 31 in 10.240.0.0/24: node IPs .4, .35, .66, .97, .128, .159. */
/** The 3 current nodes, the 2 load balancers and the private endpoint (.97-.99), then growth and surge. */
const EXAMPLE_NODES = {
  total: 6,
  items: [4, 35, 66, 100, 131, 162].map((offset, index) => ({
    pool: 'system',
    index,
    fits: true,
    nodeIp: `10.240.0.${offset}`,
    podRange: { first: `10.240.0.${offset + 1}`, last: `10.240.0.${offset + 30}`, count: 30 },
  })),
};

async function expectNothingStored(): Promise<void> {
  expect((await ctx.request.get('/v1/plans')).body).toEqual({ items: [], nextCursor: null });
  expect((await ctx.request.get('/v1/lookup?ip=10.240.0.4')).body).toEqual(answer('10.240.0.4', []));
}

describe('POST /v1/calculations', () => {
  it('answers what a plan would (spec, defaultsApplied, warnings, capacity, first page of nodes) and stores nothing', async () => {
    const res = await ctx.request.post('/v1/calculations').send(exampleDesign());

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({
      spec: exampleSpec(),
      defaultsApplied: EXAMPLE_DEFAULTS,
      warnings: [],
      capacity: EXAMPLE_CAPACITY,
      nodes: EXAMPLE_NODES,
      vnet: EXAMPLE_VNET,
    });
    await expectNothingStored();
  });

  it('takes a body without a name', async () => {
    const { name: _name, ...unnamed } = exampleDesign();

    const res = await ctx.request.post('/v1/calculations').send(unnamed);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      spec: { ...exampleSpec(), name: expect.any(String) },
      defaultsApplied: expect.arrayContaining(EXAMPLE_DEFAULTS),
      warnings: [],
      capacity: EXAMPLE_CAPACITY,
      nodes: EXAMPLE_NODES,
      vnet: EXAMPLE_VNET,
    });
    await expectNothingStored();
  });

  it("takes a stored plan's body as it is, labels too (api.md: the same body as a plan)", async () => {
    const body = { ...exampleDesign(), labels: { team: 'payments', 'example.com/env': 'prod' } };

    for (const url of ['/v1/calculations', '/v1/calculations/exports/terraform']) {
      expect((await ctx.request.post(url).send(body)).status).toBe(200);
    }
    const res = await ctx.request.post('/v1/calculations').send(body);
    expect(res.body.spec).toEqual(exampleSpec());
    const variants = [{ name: 'bigger', changes: { nodePools: [{ name: 'system', nodeCount: 4 }] } }];
    const compared = await ctx.request.post('/v1/comparisons').send({ base: body, variants });
    expect(compared.status).toBe(200);
    // Checked as a create checks them.
    const bad = await ctx.request.post('/v1/calculations').send({ ...body, labels: { 'a b': 'x' } });
    expect([bad.status, bad.body.errors?.[0]?.path]).toEqual([422, 'labels["a b"]']);
    const badBase = await ctx.request
      .post('/v1/comparisons')
      .send({ base: { ...body, labels: { 'a b': 'x' } }, variants });
    expect([badBase.status, badBase.body.errors?.[0]?.path]).toEqual([422, 'base.labels["a b"]']);
    await expectNothingStored();
  });

  it('answers a calculation whose name a stored plan already has: nothing is stored, so no conflict', async () => {
    const stored = await ctx.request.post('/v1/plans').send(smallDesign('prod-weu-1', '10.1.0.0/24'));
    expect(stored.status).toBe(201);

    const res = await ctx.request.post('/v1/calculations').send(exampleDesign());

    expect(res.status).toBe(200);
    expect(res.body.spec).toEqual(exampleSpec());
    expect((await ctx.request.get('/v1/plans')).body).toEqual({ items: [stored.body], nextCursor: null });
  });

  it('returns only the first 100 node slots with the total of all of them', async () => {
    const res = await ctx.request.post('/v1/calculations').send({
      name: 'big',
      network: { plugin: PLUGIN, nodeSubnet: '10.240.0.0/16' },
      nodePools: [{ name: 'system', nodeCount: 150, maxPods: 30 }],
    });

    expect(res.status).toBe(200);
    expect(res.body.nodes.total).toBe(165); // 150 nodes + 15 surge (10% by default)
    expect(res.body.nodes.items).toHaveLength(100);
    expect(res.body.nodes.items[0]).toEqual({
      pool: 'system',
      index: 0,
      fits: true,
      nodeIp: '10.240.0.4',
      podRange: { first: '10.240.0.5', last: '10.240.0.34', count: 30 },
    });
    // Slot 99 starts at offset 4 + 99 x 31 = 3,073 = 10.240.12.1.
    expect(res.body.nodes.items[99]).toEqual({
      pool: 'system',
      index: 99,
      fits: true,
      nodeIp: '10.240.12.1',
      podRange: { first: '10.240.12.2', last: '10.240.12.31', count: 30 },
    });
  });

  it('reports an exhausted design with verdict exhausted and slots that do not fit', async () => {
    const res = await ctx.request.post('/v1/calculations').send({
      name: 'what-if',
      network: { plugin: PLUGIN, nodeSubnet: '10.240.0.0/27' },
      nodePools: [{ name: 'system', nodeCount: 5, maxPods: 30 }],
    });

    expect(res.status).toBe(200);
    expect(res.body.capacity.verdict).toBe('exhausted');
    expect(res.body.nodes).toEqual({
      total: 6,
      items: [0, 1, 2, 3, 4, 5].map((index) => ({
        pool: 'system',
        index,
        fits: false,
        nodeIp: null,
        podRange: null,
      })),
    });
    await expectNothingStored();
  });

  it('refuses an invalid design with every problem: 422, nothing stored', async () => {
    const res = await ctx.request.post('/v1/calculations').send({
      network: { plugin: PLUGIN, nodeSubnet: '10.240.0.5/24', podCidr: '10.244.0.0/16' },
      nodePools: [{ name: 'system', nodeCount: 1 }],
    });

    const hostBits = '"10.240.0.5/24" has host bits set; did you mean 10.240.0.0/24?';
    const podCidr = 'network.podCidr does not apply to the azure-cni-node-subnet plugin';
    expectProblem(
      res,
      problem(422, 'FIELD_NOT_FOR_PLUGIN', `2 problems, first: ${podCidr}`, '/v1/calculations', [
        { path: 'network.podCidr', code: 'FIELD_NOT_FOR_PLUGIN', message: podCidr },
        { path: 'network.nodeSubnet', code: 'CIDR_HOST_BITS_SET', message: hostBits },
      ]),
    );
    await expectNothingStored();
  });

  it('refuses an unknown field and an empty pool list: 422', async () => {
    const res = await ctx.request.post('/v1/calculations').send({
      network: { plugin: PLUGIN },
      nodePools: [],
      extra: true,
    });

    expectProblem(
      res,
      problem(422, 'VALUE_OUT_OF_RANGE', expect.stringMatching(/^nodePools: /), '/v1/calculations', [
        { path: 'nodePools', code: 'VALUE_OUT_OF_RANGE', message: expect.any(String) },
        { path: 'extra', code: 'UNKNOWN_FIELD', message: 'unknown field "extra"' },
      ]),
    );
  });
});
