import { describe, expect, it } from 'vitest';
import { createPlan, useTestApp } from './support/app.js';
import { PLUGIN } from './support/designs.js';
import { expectProblem, problem } from './support/problems.js';

const ctx = useTestApp();

const create = async (body: object): Promise<string> => (await createPlan(ctx.request, body)).id;

/** aks-networking.md section 2: 10.240.0.0/16 at maxPods 110, 3 nodes + 1 surge = 4 slots of 111. */
function documentedDesign() {
  return {
    name: 'documented',
    network: { plugin: PLUGIN, nodeSubnet: '10.240.0.0/16' },
    nodePools: [{ name: 'system', nodeCount: 3, maxPods: 110 }],
  };
}

/**
 * Two pools sharing 10.240.0.0/23, in creation order: system's 3 nodes of 31 from .4 (.4, .35,
 * .66), user's 2 nodes of 51 (.97, .148), then the surge slots: system's (.199), user's (.230).
 */
function twoPoolDesign() {
  return {
    name: 'two-pools',
    network: { plugin: PLUGIN, nodeSubnet: '10.240.0.0/23' },
    nodePools: [
      { name: 'system', nodeCount: 3, maxPods: 30 },
      { name: 'user', nodeCount: 2, maxPods: 50, maxSurge: 1 },
    ],
  };
}

const slot = (pool: string, index: number, nodeIp: string, first: string, last: string, count: number) => ({
  pool,
  index,
  fits: true,
  nodeIp,
  podRange: { first, last, count },
});

const SYSTEM_SLOTS = [
  slot('system', 0, '10.240.0.4', '10.240.0.5', '10.240.0.34', 30),
  slot('system', 1, '10.240.0.35', '10.240.0.36', '10.240.0.65', 30),
  slot('system', 2, '10.240.0.66', '10.240.0.67', '10.240.0.96', 30),
  slot('system', 3, '10.240.0.199', '10.240.0.200', '10.240.0.229', 30),
];
const USER_SLOTS = [
  slot('user', 0, '10.240.0.97', '10.240.0.98', '10.240.0.147', 50),
  slot('user', 1, '10.240.0.148', '10.240.0.149', '10.240.0.198', 50),
  slot('user', 2, '10.240.0.230', '10.240.0.231', '10.240.1.24', 50),
];

describe('GET /v1/plans/{id}/nodes', () => {
  it('lays out the documented example: node 0 = 10.240.0.4 with pods .5-.114, node 1 = .115 with .116-.225', async () => {
    const id = await create(documentedDesign());

    const res = await ctx.request.get(`/v1/plans/${id}/nodes`);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      total: 4,
      items: [
        slot('system', 0, '10.240.0.4', '10.240.0.5', '10.240.0.114', 110),
        slot('system', 1, '10.240.0.115', '10.240.0.116', '10.240.0.225', 110),
        slot('system', 2, '10.240.0.226', '10.240.0.227', '10.240.1.80', 110),
        slot('system', 3, '10.240.1.81', '10.240.1.82', '10.240.1.191', 110),
      ],
    });
  });

  it('lays out the current nodes of pools sharing a subnet first, then their surge slots; lists by pool', async () => {
    const id = await create(twoPoolDesign());

    const res = await ctx.request.get(`/v1/plans/${id}/nodes`);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ total: 7, items: [...SYSTEM_SLOTS, ...USER_SLOTS] });
  });

  it('filters by ?pool= with total counting that pool only', async () => {
    const id = await create(twoPoolDesign());

    const user = await ctx.request.get(`/v1/plans/${id}/nodes?pool=user`);
    expect(user.status).toBe(200);
    expect(user.body).toEqual({ total: 3, items: USER_SLOTS });

    const system = await ctx.request.get(`/v1/plans/${id}/nodes?pool=system`);
    expect(system.body).toEqual({ total: 4, items: SYSTEM_SLOTS });
  });

  it('answers an empty page for a pool the plan does not have', async () => {
    const id = await create(twoPoolDesign());

    const res = await ctx.request.get(`/v1/plans/${id}/nodes?pool=gpu`);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ total: 0, items: [] });
  });

  it('pages with offset and limit across the pool boundary; total stays the whole count', async () => {
    const id = await create(twoPoolDesign());

    const across = await ctx.request.get(`/v1/plans/${id}/nodes?offset=3&limit=2`);
    expect(across.status).toBe(200);
    expect(across.body).toEqual({ total: 7, items: [SYSTEM_SLOTS[3], USER_SLOTS[0]] });

    const inPool = await ctx.request.get(`/v1/plans/${id}/nodes?pool=user&offset=1&limit=1`);
    expect(inPool.body).toEqual({ total: 3, items: [USER_SLOTS[1]] });

    const last = await ctx.request.get(`/v1/plans/${id}/nodes?offset=6&limit=5`);
    expect(last.body).toEqual({ total: 7, items: [USER_SLOTS[2]] });

    const past = await ctx.request.get(`/v1/plans/${id}/nodes?offset=7`);
    expect(past.body).toEqual({ total: 7, items: [] });
  });

  it('marks slots the subnet has no room for with fits:false (a /26 holds one block of 31)', async () => {
    const id = await create({
      name: 'crowded',
      network: { plugin: PLUGIN, nodeSubnet: '10.240.0.0/26' },
      nodePools: [{ name: 'system', nodeCount: 3, maxPods: 30 }],
    });

    const res = await ctx.request.get(`/v1/plans/${id}/nodes`);

    const missing = (index: number) => ({ pool: 'system', index, fits: false, nodeIp: null, podRange: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      total: 4,
      items: [
        slot('system', 0, '10.240.0.4', '10.240.0.5', '10.240.0.34', 30),
        missing(1),
        missing(2),
        missing(3),
      ],
    });
  });

  it('lists every slot of an exhausted plan as not fitting (/27, 5 nodes x 30 pods)', async () => {
    const id = await create({
      name: 'exhausted',
      network: { plugin: PLUGIN, nodeSubnet: '10.240.0.0/27' },
      nodePools: [{ name: 'system', nodeCount: 5, maxPods: 30 }],
    });

    const res = await ctx.request.get(`/v1/plans/${id}/nodes`);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      total: 6,
      items: [0, 1, 2, 3, 4, 5].map((index) => ({
        pool: 'system',
        index,
        fits: false,
        nodeIp: null,
        podRange: null,
      })),
    });
  });

  it('refuses limit=0: 400 VALUE_OUT_OF_RANGE naming limit', async () => {
    const id = await create(documentedDesign());

    const res = await ctx.request.get(`/v1/plans/${id}/nodes?limit=0`);

    expectProblem(
      res,
      problem(400, 'VALUE_OUT_OF_RANGE', expect.stringMatching(/^limit: /), `/v1/plans/${id}/nodes?limit=0`, [
        { path: 'limit', code: 'VALUE_OUT_OF_RANGE', message: expect.any(String) },
      ]),
    );
  });

  it('refuses a negative offset, a limit above 1000 and a non-numeric limit with 400', async () => {
    const id = await create(documentedDesign());

    for (const [query, code, path] of [
      ['offset=-1', 'VALUE_OUT_OF_RANGE', 'offset'],
      ['limit=1001', 'VALUE_OUT_OF_RANGE', 'limit'],
      ['limit=many', 'INVALID_TYPE', 'limit'],
    ] as const) {
      const res = await ctx.request.get(`/v1/plans/${id}/nodes?${query}`);
      expectProblem(
        res,
        problem(
          400,
          code,
          expect.stringMatching(new RegExp(`^${path}: `)),
          `/v1/plans/${id}/nodes?${query}`,
          [{ path, code, message: expect.any(String) }],
        ),
      );
    }
  });

  it('answers 404 PLAN_NOT_FOUND for an unknown plan', async () => {
    const res = await ctx.request.get('/v1/plans/no-such-plan/nodes');

    expectProblem(
      res,
      problem(
        404,
        'PLAN_NOT_FOUND',
        'no plan with id or name "no-such-plan"',
        '/v1/plans/no-such-plan/nodes',
      ),
    );
  });
});
