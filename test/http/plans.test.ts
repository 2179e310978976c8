import { describe, expect, it } from 'vitest';
import { createPlan, useTestApp } from './support/app.js';
import {
  answer,
  DEFAULT_PUBLIC_IPS,
  DEFAULT_SERVICE_CAPACITY,
  EXAMPLE_DEFAULTS,
  exampleDesign,
  examplePlan,
  exampleSpec,
  expandedNetwork,
  expandedSpec,
  nodeSubnetReach,
  PLUGIN,
  planBody,
  SMALL_DEFAULTS,
  smallCapacity,
  smallDesign,
  smallPlan,
  smallSpec,
} from './support/designs.js';
import { expectProblem, problem, taken } from './support/problems.js';

const ctx = useTestApp();

const create = (body: object) => createPlan(ctx.request, body);
/** The ETag of a plan as read: its revision and its id. */
const etagOf = (plan: { id: string; revision?: unknown }) => `"${String(plan.revision)}.${plan.id}"`;

describe('POST /v1/plans', () => {
  it('creates the api.md example: 201, ETag "1.<id>", Location, the full plan with its capacity', async () => {
    const res = await ctx.request.post('/v1/plans').send(exampleDesign());

    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers.etag).toBe(etagOf(res.body));
    expect(res.headers.location).toBe(`/v1/plans/${res.body.id}`);
    expect(res.body).toEqual(examplePlan());
    expect(res.body.createdAt).toBe(res.body.updatedAt);
    expect(new Date(res.body.createdAt).toISOString()).toBe(res.body.createdAt);

    const read = await ctx.request.get(res.headers.location as string);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(res.body);
  });

  it('fills every omitted field with the AKS default and lists each path in defaultsApplied', async () => {
    const res = await ctx.request
      .post('/v1/plans')
      .send({ name: 'minimal', network: { plugin: PLUGIN }, nodePools: [{ name: 'system', nodeCount: 1 }] });

    expect(res.status).toBe(201);
    expect(res.body).toEqual(
      planBody({
        spec: expandedSpec({ name: 'minimal' }),
        defaultsApplied: [
          'network.serviceCidr',
          'network.dnsServiceIp',
          'network.nodeSubnet',
          'network.dataplane',
          'network.privateCluster',
          'nodePools[0].mode',
          'nodePools[0].osType',
          'nodePools[0].maxPods',
          'nodePools[0].maxSurge',
          'reservations.internalLoadBalancers',
          'reservations.privateEndpoints',
        ],
        capacity: {
          verdict: 'ok',
          ranges: [
            {
              kind: 'node-subnet',
              cidr: '10.224.0.0/16',
              total: 65536,
              azureReserved: 5,
              usable: 65531,
              required: { current: 31, atMaxCount: 31, duringUpgrade: 62 },
              free: 65469,
              utilization: 0.001,
              nodeSlots: 2113,
              verdict: 'ok',
              explain: expect.stringMatching(
                /^\(1 nodes? \+ 1 surge\) x \(1 node \+ 30 pods\) = 62 of 65,531 usable$/,
              ),
              recommendedPrefixLength: 25,
            },
            DEFAULT_SERVICE_CAPACITY,
          ],
          publicIps: DEFAULT_PUBLIC_IPS,
          recommendation: { nodeSubnetPrefixLength: 25, podCidrPrefixLength: null },
          maxReach: [
            // M + ceil(10% of M) surge <= 1,000: M = 909.
            { pool: 'system', currentMaxCount: 1, maxCount: 909, limitedBy: { kind: 'pool-size-limit' } },
          ],
        },
      }),
    );
  });

  it('accepts a design that merely lacks room and reports it exhausted (/27, 5 nodes x 30 pods)', async () => {
    const res = await ctx.request.post('/v1/plans').send({
      name: 'too-small',
      network: { plugin: PLUGIN, nodeSubnet: '10.240.0.0/27' },
      nodePools: [{ name: 'system', nodeCount: 5, maxPods: 30 }],
    });

    expect(res.status).toBe(201);
    expect(res.headers.etag).toBe(etagOf(res.body));
    expect(res.body).toEqual(
      planBody({
        spec: expandedSpec({
          name: 'too-small',
          network: { nodeSubnet: '10.240.0.0/27' },
          pool: { nodeCount: 5 },
        }),
        defaultsApplied: [
          'network.serviceCidr',
          'network.dnsServiceIp',
          'network.dataplane',
          'network.privateCluster',
          'nodePools[0].mode',
          'nodePools[0].osType',
          'nodePools[0].maxSurge',
          'reservations.internalLoadBalancers',
          'reservations.privateEndpoints',
        ],
        capacity: {
          verdict: 'exhausted',
          ranges: [
            {
              kind: 'node-subnet',
              cidr: '10.240.0.0/27',
              total: 32,
              azureReserved: 5,
              usable: 27,
              required: { current: 155, atMaxCount: 155, duringUpgrade: 186 },
              free: -159,
              utilization: 6.889,
              nodeSlots: 0,
              verdict: 'exhausted',
              explain: '(5 nodes + 1 surge) x (1 node + 30 pods) = 186 of 27 usable: 159 short',
              recommendedPrefixLength: 24,
            },
            DEFAULT_SERVICE_CAPACITY,
          ],
          publicIps: DEFAULT_PUBLIC_IPS,
          recommendation: { nodeSubnetPrefixLength: 24, podCidrPrefixLength: null },
          maxReach: [nodeSubnetReach('system', 5, 0, '10.240.0.0/27')],
        },
      }),
    );
  });

  it('refuses a second plan with the same name: 409 PLAN_NAME_TAKEN, and keeps only the first', async () => {
    const first = await create(smallDesign('dup'));

    const res = await ctx.request.post('/v1/plans').send(smallDesign('dup', '10.241.0.0/24'));

    expectProblem(
      res,
      problem(
        409,
        'PLAN_NAME_TAKEN',
        `a plan named "dup" already exists; names are unique across every team`,
        '/v1/plans',
        [taken('PLAN_NAME_TAKEN', 'a plan named "dup"')],
      ),
    );
    const list = await ctx.request.get('/v1/plans');
    expect(list.body).toEqual({ items: [first], nextCursor: null });
  });

  it('lets exactly one of 10 concurrent creates of the same name win; the other nine get 409', async () => {
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => ctx.request.post('/v1/plans').send(smallDesign('race'))),
    );

    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    for (const res of responses.filter((r) => r.status === 409)) {
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('PLAN_NAME_TAKEN');
    }
    const winner = responses.find((r) => r.status === 201);
    const list = await ctx.request.get('/v1/plans');
    expect(list.body).toEqual({ items: [winner?.body], nextCursor: null });
  });

  it('lists every problem of an invalid design at once: 422 with errors[] (path, message, code)', async () => {
    const res = await ctx.request.post('/v1/plans').send({
      name: 'bad name!',
      network: { plugin: PLUGIN, nodeSubnet: '10.240.0.0/33', serviceCidr: '10.0.0.0/8' },
      nodePools: [{ name: 'System', nodeCount: 0, maxPods: 5 }],
    });

    const nameMessage =
      "\"bad name!\" is not a valid cluster name: 1-63 letters, digits, '-' or '_', starting and ending with a letter or digit";
    expectProblem(
      res,
      problem(422, 'PLAN_NAME_INVALID', `6 problems, first: ${nameMessage}`, '/v1/plans', [
        { path: 'name', code: 'PLAN_NAME_INVALID', message: nameMessage },
        {
          path: 'nodePools[0].name',
          code: 'POOL_NAME_INVALID',
          message:
            '"System" is not a valid Linux pool name: lowercase letters and digits, starting with a letter, at most 12 characters',
        },
        {
          path: 'nodePools',
          code: 'NO_SYSTEM_POOL',
          message: 'a cluster needs at least one System pool with at least one node',
        },
        {
          path: 'nodePools[0].maxPods',
          code: 'MAX_PODS_OUT_OF_RANGE',
          message: 'maxPods 5 is outside the allowed range 10-250',
        },
        {
          path: 'network.nodeSubnet',
          code: 'CIDR_INVALID',
          message: '"10.240.0.0/33" is not a valid CIDR: prefix length must be 0-32 for IPv4',
        },
        {
          path: 'network.serviceCidr',
          code: 'SERVICE_CIDR_TOO_LARGE',
          message: '10.0.0.0/8 is larger than /12, the largest service CIDR AKS accepts',
        },
      ]),
    );
    expect((await ctx.request.get('/v1/plans')).body).toEqual({ items: [], nextCursor: null });
  });

  it('refuses unknown fields with 422 UNKNOWN_FIELD naming each path', async () => {
    const res = await ctx.request.post('/v1/plans').send({
      name: 'extra',
      network: { plugin: PLUGIN, nodeSubnet: '10.240.0.0/24', foo: 1 },
      nodePools: [{ name: 'system', nodeCount: 1, bar: 2 }],
      baz: 3,
    });

    expectProblem(
      res,
      problem(422, 'UNKNOWN_FIELD', 'network.foo: unknown field "foo"', '/v1/plans', [
        { path: 'network.foo', code: 'UNKNOWN_FIELD', message: 'unknown field "foo"' },
        { path: 'nodePools[0].bar', code: 'UNKNOWN_FIELD', message: 'unknown field "bar"' },
        { path: 'baz', code: 'UNKNOWN_FIELD', message: 'unknown field "baz"' },
      ]),
    );
  });

  it('refuses podCidr with azure-cni-node-subnet: 422 FIELD_NOT_FOR_PLUGIN', async () => {
    const res = await ctx.request.post('/v1/plans').send({
      name: 'pod-cidr',
      network: { plugin: PLUGIN, nodeSubnet: '10.240.0.0/24', podCidr: '10.244.0.0/16' },
      nodePools: [{ name: 'system', nodeCount: 1 }],
    });

    const message = 'network.podCidr does not apply to the azure-cni-node-subnet plugin';
    expectProblem(
      res,
      problem(422, 'FIELD_NOT_FOR_PLUGIN', message, '/v1/plans', [
        { path: 'network.podCidr', code: 'FIELD_NOT_FOR_PLUGIN', message },
      ]),
    );
  });

  it('refuses a CIDR with host bits set: 422 CIDR_HOST_BITS_SET suggesting the canonical form', async () => {
    const res = await ctx.request.post('/v1/plans').send(smallDesign('host-bits', '10.240.0.5/24'));

    const message = '"10.240.0.5/24" has host bits set; did you mean 10.240.0.0/24?';
    expectProblem(
      res,
      problem(422, 'CIDR_HOST_BITS_SET', message, '/v1/plans', [
        { path: 'network.nodeSubnet', code: 'CIDR_HOST_BITS_SET', message },
      ]),
    );
  });

  it('plans Azure CNI Overlay, the AKS default, when no plugin is named', async () => {
    const res = await ctx.request
      .post('/v1/plans')
      .send({ name: 'overlay', nodePools: [{ name: 'system', nodeCount: 1 }] });

    expect(res.status).toBe(201);
    expect(res.body.spec.network).toEqual(
      expandedNetwork({ plugin: 'azure-cni-overlay', ipFamilies: ['ipv4'], podCidr: '10.244.0.0/16' }),
    );
    expect(res.body.defaultsApplied).toEqual(
      expect.arrayContaining([
        'network.plugin',
        'network.podCidr',
        'network.nodeSubnet',
        'nodePools[0].maxPods',
      ]),
    );
    expect(res.body.spec.nodePools[0].maxPods).toBe(250);
  });

  it('refuses a body missing required fields: 422 FIELD_REQUIRED for each', async () => {
    const res = await ctx.request.post('/v1/plans').send({ network: { plugin: PLUGIN } });

    expectProblem(
      res,
      problem(422, 'FIELD_REQUIRED', expect.stringMatching(/^name: /), '/v1/plans', [
        { path: 'name', code: 'FIELD_REQUIRED', message: expect.any(String) },
        { path: 'nodePools', code: 'FIELD_REQUIRED', message: expect.any(String) },
      ]),
    );
  });

  it('refuses a value of the wrong type: 422 INVALID_TYPE with the field path', async () => {
    const res = await ctx.request.post('/v1/plans').send({
      name: 'types',
      network: { plugin: PLUGIN },
      nodePools: [{ name: 'system', nodeCount: 'three' }],
    });

    expectProblem(
      res,
      problem(422, 'INVALID_TYPE', expect.stringMatching(/^nodePools\[0\]\.nodeCount: /), '/v1/plans', [
        { path: 'nodePools[0].nodeCount', code: 'INVALID_TYPE', message: expect.any(String) },
      ]),
    );
  });
});

describe('GET /v1/plans', () => {
  it('is empty before any plan exists', async () => {
    const res = await ctx.request.get('/v1/plans');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [], nextCursor: null });
  });

  it('pages through 3 plans oldest first with limit and cursor; nextCursor is null on the last page', async () => {
    const a = await create(smallDesign('plan-a', '10.1.0.0/24'));
    const b = await create(smallDesign('plan-b', '10.2.0.0/24'));
    const c = await create(smallDesign('plan-c', '10.3.0.0/24'));
    expect([a, b, c]).toEqual([
      smallPlan('plan-a', '10.1.0.0/24'),
      smallPlan('plan-b', '10.2.0.0/24'),
      smallPlan('plan-c', '10.3.0.0/24'),
    ]);

    const first = await ctx.request.get('/v1/plans?limit=2');
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ items: [a, b], nextCursor: expect.any(String) });

    const second = await ctx.request.get('/v1/plans').query({ limit: 2, cursor: first.body.nextCursor });
    expect(second.status).toBe(200);
    expect(second.body).toEqual({ items: [c], nextCursor: null });

    const one = await ctx.request.get('/v1/plans?limit=1');
    const two = await ctx.request.get('/v1/plans').query({ limit: 1, cursor: one.body.nextCursor });
    const three = await ctx.request.get('/v1/plans').query({ limit: 1, cursor: two.body.nextCursor });
    expect([one.body.items, two.body.items, three.body.items]).toEqual([[a], [b], [c]]);
    expect(three.body.nextCursor).toBeNull();
  });

  it('gives nextCursor null when the page ends exactly at the last plan, and lists all by default', async () => {
    const a = await create(smallDesign('plan-a', '10.1.0.0/24'));
    const b = await create(smallDesign('plan-b', '10.2.0.0/24'));
    const c = await create(smallDesign('plan-c', '10.3.0.0/24'));

    expect((await ctx.request.get('/v1/plans?limit=3')).body).toEqual({ items: [a, b, c], nextCursor: null });
    expect((await ctx.request.get('/v1/plans')).body).toEqual({ items: [a, b, c], nextCursor: null });
  });

  it('refuses a cursor it did not issue: 400 CURSOR_INVALID', async () => {
    const res = await ctx.request.get('/v1/plans?cursor=not-a-cursor');

    const message = '"not-a-cursor" is not a cursor this service issued';
    expectProblem(
      res,
      problem(400, 'CURSOR_INVALID', message, '/v1/plans?cursor=not-a-cursor', [
        { path: 'cursor', code: 'CURSOR_INVALID', message },
      ]),
    );
  });

  it('refuses a well-formed but forged cursor (negative position): 400 CURSOR_INVALID', async () => {
    const forged = Buffer.from(JSON.stringify({ after: -1 })).toString('base64url');

    const res = await ctx.request.get(`/v1/plans?cursor=${forged}`);

    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('CURSOR_INVALID');
  });

  it('refuses limit=0 and unknown query parameters with 400', async () => {
    const zero = await ctx.request.get('/v1/plans?limit=0');
    expectProblem(
      zero,
      problem(400, 'VALUE_OUT_OF_RANGE', expect.stringMatching(/^limit: /), '/v1/plans?limit=0', [
        { path: 'limit', code: 'VALUE_OUT_OF_RANGE', message: expect.any(String) },
      ]),
    );

    const unknown = await ctx.request.get('/v1/plans?sort=name');
    expectProblem(
      unknown,
      problem(400, 'UNKNOWN_FIELD', 'sort: unknown field "sort"', '/v1/plans?sort=name', [
        { path: 'sort', code: 'UNKNOWN_FIELD', message: 'unknown field "sort"' },
      ]),
    );
  });
});

describe('GET /v1/plans/{id}', () => {
  it('reads a plan with its ETag', async () => {
    const created = await create(exampleDesign());

    const res = await ctx.request.get(`/v1/plans/${created.id}`);

    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe(etagOf(created));
    expect(res.body).toEqual({
      ...examplePlan(),
      id: created.id,
      createdAt: created.createdAt,
      updatedAt: created.createdAt,
    });
  });

  it('answers 404 PLAN_NOT_FOUND for an unknown id', async () => {
    const res = await ctx.request.get('/v1/plans/00000000-0000-0000-0000-000000000000');

    expectProblem(
      res,
      problem(
        404,
        'PLAN_NOT_FOUND',
        'no plan with id or name "00000000-0000-0000-0000-000000000000"',
        '/v1/plans/00000000-0000-0000-0000-000000000000',
      ),
    );
  });
  it('answers 404 PLAN_NOT_FOUND problem+json for a 120-character id (ids up to 128 are accepted)', async () => {
    const id = 'x'.repeat(120);

    const res = await ctx.request.get(`/v1/plans/${id}`);

    expectProblem(res, problem(404, 'PLAN_NOT_FOUND', `no plan with id or name "${id}"`, `/v1/plans/${id}`));
  });
});

describe('PUT /v1/plans/{id}', () => {
  /** The example grown to 4 current nodes and 6 at most. */
  function grownExample() {
    const design = exampleDesign();
    design.nodePools = [{ name: 'system', nodeCount: 4, maxCount: 6, maxPods: 30, maxSurge: 1 }];
    return design;
  }

  it('replaces the spec with If-Match "1": 200, revision 2, ETag "2.<id>"; GET shows the new revision', async () => {
    const created = await create(exampleDesign());

    const res = await ctx.request.put(`/v1/plans/${created.id}`).set('If-Match', '"1"').send(grownExample());

    const spec = exampleSpec();
    spec.nodePools = [
      {
        name: 'system',
        mode: 'System',
        osType: 'Linux',
        nodeCount: 4,
        maxCount: 6,
        maxPods: 30,
        maxSurge: 1,
      },
    ];
    const expected = {
      ...planBody(
        {
          spec,
          defaultsApplied: EXAMPLE_DEFAULTS,
          capacity: {
            verdict: 'at-risk',
            ranges: [
              {
                kind: 'node-subnet',
                cidr: '10.240.0.0/24',
                total: 256,
                azureReserved: 5,
                usable: 251,
                required: { current: 127, atMaxCount: 189, duringUpgrade: 220 },
                free: 31,
                utilization: 0.876,
                nodeSlots: 8,
                verdict: 'at-risk',
                explain:
                  '(6 max + 1 surge) x (1 node + 30 pods) + 2 load balancers + 1 private endpoint = 220 of 251 usable',
                recommendedPrefixLength: 24,
              },
              DEFAULT_SERVICE_CAPACITY,
            ],
            publicIps: DEFAULT_PUBLIC_IPS,
            recommendation: { nodeSubnetPrefixLength: 24, podCidrPrefixLength: null },
            maxReach: [nodeSubnetReach('system', 6, 7)],
          },
        },
        2,
      ),
      id: created.id,
      createdAt: created.createdAt,
    };
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe(`"2.${created.id}"`);
    const changes = [
      { path: 'nodePools[0].nodeCount', from: 3, to: 4 },
      { path: 'nodePools[0].maxCount', from: 5, to: 6 },
    ];
    expect(res.body).toEqual({ ...expected, changes });
    expect(res.body.updatedAt >= created.createdAt).toBe(true);

    const read = await ctx.request.get(`/v1/plans/${created.id}`);
    expect(read.headers.etag).toBe(`"2.${created.id}"`);
    const { changes: _listed, ...plan } = res.body;
    expect(read.body).toEqual(plan);
  });

  it('lets exactly one of 10 concurrent replacements with If-Match "1" win; the other nine get 412', async () => {
    const created = await create(exampleDesign());

    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        ctx.request.put(`/v1/plans/${created.id}`).set('If-Match', '"1"').send(grownExample()),
      ),
    );

    expect(responses.map((r) => r.status).sort()).toEqual([200, 412, 412, 412, 412, 412, 412, 412, 412, 412]);
    for (const res of responses.filter((r) => r.status === 412)) {
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('REVISION_MISMATCH');
    }
    const read = await ctx.request.get(`/v1/plans/${created.id}`);
    expect(read.headers.etag).toBe(`"2.${created.id}"`);
    const { changes: _listed, ...winner } = responses.find((r) => r.status === 200)?.body ?? {};
    expect(read.body).toEqual(winner);
  });

  it('requires If-Match: 428 IF_MATCH_REQUIRED, and the plan stays at revision 1', async () => {
    const created = await create(exampleDesign());

    const res = await ctx.request.put(`/v1/plans/${created.id}`).send(grownExample());

    expectProblem(
      res,
      problem(
        428,
        'IF_MATCH_REQUIRED',
        'this change requires If-Match with the ETag of the revision you read',
        `/v1/plans/${created.id}`,
        [
          {
            code: 'IF_MATCH_REQUIRED',
            path: 'if-match',
            message: 'this change requires If-Match with the ETag of the revision you read',
          },
        ],
      ),
    );
    expect((await ctx.request.get(`/v1/plans/${created.id}`)).body).toEqual(created);
  });

  it('refuses a stale ETag: 412 REVISION_MISMATCH after someone else replaced the plan', async () => {
    const created = await create(exampleDesign());
    const first = await ctx.request
      .put(`/v1/plans/${created.id}`)
      .set('If-Match', '"1"')
      .send(grownExample());
    expect(first.status).toBe(200);

    const res = await ctx.request.put(`/v1/plans/${created.id}`).set('If-Match', '"1"').send(exampleDesign());

    expectProblem(
      res,
      problem(
        412,
        'REVISION_MISMATCH',
        `If-Match "1" does not match the current ETag "2.${created.id}"; read it again and retry`,
        `/v1/plans/${created.id}`,
      ),
    );
    const read = await ctx.request.get(`/v1/plans/${created.id}`);
    expect(read.headers.etag).toBe(`"2.${created.id}"`);
    const { changes: _listed, ...firstPlan } = first.body;
    expect(read.body).toEqual(firstPlan);
  });

  it('writes nothing for an invalid replacement: 422, and GET still shows revision 1', async () => {
    const created = await create(exampleDesign());
    const invalid = exampleDesign();
    invalid.network.nodeSubnet = '10.240.0.1/24';

    const res = await ctx.request.put(`/v1/plans/${created.id}`).set('If-Match', '"1"').send(invalid);

    const message = '"10.240.0.1/24" has host bits set; did you mean 10.240.0.0/24?';
    expectProblem(
      res,
      problem(422, 'CIDR_HOST_BITS_SET', message, `/v1/plans/${created.id}`, [
        { path: 'network.nodeSubnet', code: 'CIDR_HOST_BITS_SET', message },
      ]),
    );
    const read = await ctx.request.get(`/v1/plans/${created.id}`);
    expect(read.headers.etag).toBe(etagOf(created));
    expect(read.body).toEqual(created);
  });

  it("refuses renaming to another plan's name: 409 PLAN_NAME_TAKEN, nothing written", async () => {
    await create(smallDesign('taken', '10.1.0.0/24'));
    const mine = await create(smallDesign('mine', '10.2.0.0/24'));

    const res = await ctx.request
      .put(`/v1/plans/${mine.id}`)
      .set('If-Match', '"1"')
      .send(smallDesign('taken', '10.2.0.0/24'));

    expectProblem(
      res,
      problem(
        409,
        'PLAN_NAME_TAKEN',
        `a plan named "taken" already exists; names are unique across every team`,
        `/v1/plans/${mine.id}`,
        [taken('PLAN_NAME_TAKEN', 'a plan named "taken"')],
      ),
    );
    expect((await ctx.request.get(`/v1/plans/${mine.id}`)).body).toEqual(mine);
  });

  it('renames a plan: lookups answer with the new name', async () => {
    const created = await create(smallDesign('before', '10.1.0.0/24'));

    const res = await ctx.request
      .put(`/v1/plans/${created.id}`)
      .set('If-Match', '"1"')
      .send(smallDesign('after', '10.1.0.0/24'));

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: created.id,
      name: 'after',
      revision: 2,
      createdAt: created.createdAt,
    });
    expect(res.body.changes).toEqual([{ path: 'name', from: 'before', to: 'after' }]);
    expect((await ctx.request.get('/v1/lookup?ip=10.1.0.255')).body).toEqual(
      answer('10.1.0.255', [
        { planId: created.id, planName: 'after', role: 'azure-reserved', range: '10.1.0.0/24' },
      ]),
    );
  });

  it.each([
    ['move', '10.2.0.0/24'],
    ['shrink', '10.1.0.0/25'],
    ['grow', '10.1.0.0/23'],
  ])(
    'refuses to %s a node subnet in use: 409 NODE_SUBNET_CHANGE_REFUSED, nothing written',
    async (_verb, next) => {
      const created = await create(smallDesign('mover', '10.1.0.0/24'));

      const res = await ctx.request
        .put(`/v1/plans/${created.id}`)
        .set('If-Match', '"1"')
        .send(smallDesign('mover', next));

      const message = `pool "system" uses 10.1.0.0/24: a subnet's CIDR cannot change once a node pool uses it, so not to ${next}; add a pool on a new subnet instead`;
      expectProblem(
        res,
        problem(409, 'NODE_SUBNET_CHANGE_REFUSED', message, `/v1/plans/${created.id}`, [
          { path: 'nodePools[0].nodeSubnet', code: 'NODE_SUBNET_CHANGE_REFUSED', message },
        ]),
      );
      expect((await ctx.request.get(`/v1/plans/${created.id}`)).body).toEqual(created);
    },
  );

  it('refuses to turn API Server VNet Integration off: 409 API_SERVER_SUBNET_CHANGE_REFUSED, nothing written', async () => {
    const small = smallDesign('integrated', '10.1.0.0/24');
    const without = { ...small, network: { ...small.network, vnetAddressSpace: ['10.1.0.0/16'] } };
    const platformSubnets = [{ role: 'api-server', name: 'api-server', cidr: '10.1.1.0/28' }];
    const created = await create({ ...without, platformSubnets });

    const res = await ctx.request.put(`/v1/plans/${created.id}`).set('If-Match', '"1"').send(without);

    const message =
      'API Server VNet Integration cannot be turned off once enabled: keep its subnet api-server (10.1.1.0/28)';
    expectProblem(
      res,
      problem(409, 'API_SERVER_SUBNET_CHANGE_REFUSED', message, `/v1/plans/${created.id}`, [
        { path: 'platformSubnets', code: 'API_SERVER_SUBNET_CHANGE_REFUSED', message },
      ]),
    );
    const stored = await ctx.request.get(`/v1/plans/${created.id}`);
    expect([stored.body.revision, stored.body.spec.platformSubnets]).toEqual([1, platformSubnets]);
  });

  it('updates a node-subnet plan to overlay, as AKS does, and lookups follow: pods leave the node subnet', async () => {
    const created = await create(exampleDesign());
    expect((await ctx.request.get('/v1/lookup?ip=10.240.0.5')).body.matches[0]).toMatchObject({
      role: 'pod',
    });
    const body = exampleDesign();
    const network = { ...body.network, plugin: 'azure-cni-overlay', podCidr: '192.168.0.0/16' };

    const res = await ctx.request
      .put(`/v1/plans/${created.id}`)
      .set('If-Match', '"1"')
      .send({ ...body, network });

    expect(res.status).toBe(200);
    expect(res.body.changes).toContainEqual({
      path: 'network.plugin',
      from: 'azure-cni-node-subnet',
      to: 'azure-cni-overlay',
    });
    // Node 1 now sits at .5, and pods are in the pod CIDR.
    expect((await ctx.request.get('/v1/lookup?ip=10.240.0.5')).body.matches[0]).toMatchObject({
      role: 'node',
      nodeIndex: 1,
    });
    expect((await ctx.request.get('/v1/lookup?ip=192.168.0.9')).body.matches[0]).toMatchObject({
      role: 'pod',
    });
    // And there is no way back.
    const back = await ctx.request.put(`/v1/plans/${created.id}`).set('If-Match', '"2"').send(body);
    expect([back.status, back.body.code]).toEqual([409, 'PLUGIN_CHANGE_REFUSED']);
  });

  it("takes back a plan's own spec as meaning the same: a subnet of AKS's VNet stays AKS's", async () => {
    const design = {
      name: 'managed',
      network: { plugin: 'azure-cni-overlay' },
      nodePools: [{ name: 'system', nodeCount: 3 }],
      outbound: { type: 'managedNATGateway', managedOutboundIps: 2 },
    };
    const created = await create(design);
    expect(created.defaultsApplied).toContain('network.nodeSubnet');

    const same = await ctx.request
      .put(`/v1/plans/${created.id}`)
      .set('If-Match', '"1"')
      .send(created.spec as object);

    expect([same.status, same.body.revision, same.body.changes]).toEqual([200, 1, []]);
    expect(same.body.defaultsApplied).toContain('network.nodeSubnet');
    // A calculation of the spec means the same too, and its export creates no subnet.
    const calculated = await ctx.request.post('/v1/calculations').send(created.spec as object);
    expect([calculated.status, calculated.body.defaultsApplied]).toEqual([200, ['network.nodeSubnet']]);
    const script = await ctx.request.post('/v1/calculations/exports/az-cli').send(created.spec as object);
    expect(script.text).not.toContain('subnet create');
    // A PUT cannot move the cluster into a VNet of one's own, which userDefinedRouting needs.
    const spec = created.spec as { outbound: object; network: object };
    const udr = await ctx.request
      .put(`/v1/plans/${created.id}`)
      .set('If-Match', '"1"')
      .send({ ...spec, outbound: { type: 'userDefinedRouting' } });
    expect([udr.status, udr.body.code, udr.body.errors?.[0]?.path]).toEqual([
      409,
      'NODE_SUBNET_CHANGE_REFUSED',
      'network.nodeSubnet',
    ]);
    // Created so, the same subnet is the client's own: with its VNet named, or with egress of its own.
    const balanced = { ...spec, outbound: { type: 'loadBalancer' } };
    const own = {
      ...balanced,
      name: 'own',
      network: { ...spec.network, vnetAddressSpace: ['10.224.0.0/12'] },
    };
    const named = await ctx.request.post('/v1/plans').send(own);
    expect([named.status, named.body.defaultsApplied]).toEqual([
      201,
      expect.not.arrayContaining(['network.nodeSubnet']),
    ]);
    const routed = await ctx.request.post('/v1/plans').send({
      ...spec,
      name: 'routed',
      outbound: { type: 'userDefinedRouting', firewallPrivateIp: '10.225.0.4' },
    });
    expect([routed.status, routed.body.defaultsApplied]).toEqual([
      201,
      expect.not.arrayContaining(['network.nodeSubnet']),
    ]);
    // And a PUT of the plan in its own VNet does not move it into AKS's, without a word.
    const back = await ctx.request
      .put(`/v1/plans/${named.body.id}`)
      .set('If-Match', '"1"')
      .send({ ...balanced, name: 'own', nodePools: [{ name: 'system', nodeCount: 4 }] });
    expect([back.status, back.body.code]).toEqual([409, 'NODE_SUBNET_CHANGE_REFUSED']);
  });

  it('judges the VNet a plan is in by what names one, not by its node subnet alone', async () => {
    // A pod subnet is the client's own VNet, though the node subnet was left to the default.
    const podSubnet = {
      name: 'pods',
      network: { plugin: 'azure-cni-pod-subnet', podSubnet: '10.225.0.0/16' },
      nodePools: [{ name: 'system', nodeCount: 3 }],
    };
    const created = await create(podSubnet);
    const same = await ctx.request
      .put(`/v1/plans/${created.id}`)
      .set('If-Match', '"1"')
      .send(created.spec as object);
    expect([same.status, same.body.revision]).toEqual([200, 1]);
    // A plan in AKS's VNet cannot move into one's own by replacing its pools and subnet at once.
    const managed = await create({ name: 'managed-move', nodePools: [{ name: 'system', nodeCount: 3 }] });
    const moved = await ctx.request
      .put(`/v1/plans/${managed.id}`)
      .set('If-Match', '"1"')
      .send({
        name: 'managed-move',
        network: { vnetAddressSpace: ['10.200.0.0/13'], nodeSubnet: '10.201.0.0/24' },
        outbound: { type: 'userDefinedRouting', firewallPrivateIp: '10.202.0.4' },
        nodePools: [{ name: 'sys2', nodeCount: 3 }],
      });
    expect([moved.status, moved.body.errors?.map((e: { path: string }) => e.path)]).toEqual([
      409,
      ['network.nodeSubnet'],
    ]);
  });

  it('accepts If-Match "*" as any current revision', async () => {
    const created = await create(smallDesign('star'));

    const res = await ctx.request
      .put(`/v1/plans/${created.id}`)
      .set('If-Match', '*')
      .send(smallDesign('star2'));

    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe(`"2.${created.id}"`);
    expect(res.body).toEqual({
      ...smallPlan('star2'),
      id: created.id,
      revision: 2,
      createdAt: created.createdAt,
      changes: [{ path: 'name', from: 'star', to: 'star2' }],
    });
  });

  it('writes nothing for a replacement that changes nothing: same revision, same ETag, no audit entry', async () => {
    const created = await create(smallDesign('same'));
    const audited = async () => (await ctx.request.get('/v1/audit')).body.items.length;
    const before = await audited();

    const res = await ctx.request
      .put(`/v1/plans/${created.id}`)
      .set('If-Match', '"1"')
      .send(smallDesign('same'));

    expect([res.status, res.headers.etag, res.body.revision, res.body.changes]).toEqual([
      200,
      etagOf(created),
      1,
      [],
    ]);
    expect(await audited()).toBe(before);
    // Still judged against the revision read: a stale one is 412 even when nothing would change.
    const stale = await ctx.request
      .put(`/v1/plans/${created.id}`)
      .set('If-Match', '"7"')
      .send(smallDesign('same'));
    expect(stale.status).toBe(412);
  });

  it('lists a new order of the pools as a change: pools take addresses in spec order', async () => {
    const pools = [
      { name: 'system', nodeCount: 2, mode: 'System' },
      { name: 'apps', nodeCount: 2, mode: 'User' },
    ];
    const design = {
      name: 'order',
      network: { plugin: 'azure-cni-overlay', nodeSubnet: '10.90.0.0/24' },
      nodePools: pools,
    };
    const created = await create(design);

    const res = await ctx.request
      .put(`/v1/plans/${created.id}`)
      .set('If-Match', '"1"')
      .send({ ...design, nodePools: [pools[1], pools[0]] });

    expect([res.status, res.body.revision]).toEqual([200, 2]);
    expect(res.body.changes).toEqual([
      { path: 'nodePools', from: ['system', 'apps'], to: ['apps', 'system'] },
    ]);
  });

  it('answers 404 PLAN_NOT_FOUND for an unknown id', async () => {
    const res = await ctx.request
      .put('/v1/plans/no-such-plan')
      .set('If-Match', '"1"')
      .send(smallDesign('ghost'));

    expectProblem(
      res,
      problem(404, 'PLAN_NOT_FOUND', 'no plan with id or name "no-such-plan"', '/v1/plans/no-such-plan'),
    );
    expect((await ctx.request.get('/v1/plans')).body).toEqual({ items: [], nextCursor: null });
  });
  it("keeps an existing pool's maxPods a replacement leaves out: the overlay migration sent as the same short design", async () => {
    const short = (plugin: string) => ({
      name: 'migrating',
      network: { plugin },
      nodePools: [
        { name: 'system', nodeCount: 3 },
        ...(plugin === 'kubenet' ? [] : [{ name: 'apps', nodeCount: 2 }]),
      ],
    });
    const created = await ctx.request.post('/v1/plans').send(short('kubenet'));
    expect(created.body.spec.nodePools[0].maxPods).toBe(110);
    const res = await ctx.request
      .put('/v1/plans/migrating')
      .set('If-Match', '"1"')
      .send(short('azure-cni-overlay'));
    expect(res.status).toBe(200);
    // The existing pool keeps 110; the new pool takes overlay's default, 250.
    expect(res.body.spec.nodePools.map((p: { maxPods: number }) => p.maxPods)).toEqual([110, 250]);
    expect(res.body.defaultsApplied).toEqual(
      expect.arrayContaining(['nodePools[0].maxPods', 'nodePools[1].maxPods']),
    );
    // Given, a different value is still a change AKS refuses.
    const given = short('azure-cni-overlay');
    given.nodePools[0] = { ...given.nodePools[0], maxPods: 50 } as (typeof given.nodePools)[0];
    const refused = await ctx.request.put('/v1/plans/migrating').set('If-Match', '"2"').send(given);
    expect([refused.status, refused.body.code]).toEqual([409, 'MAX_PODS_CHANGE_REFUSED']);
  });
  it('lists no rule a refused replacement would break only without the plan it replaces', async () => {
    const design = (network: object = {}) => ({
      name: 'vnet12',
      network: {
        plugin: 'azure-cni-overlay',
        vnetAddressSpace: ['10.240.0.0/12'],
        nodeSubnet: '10.240.0.0/24',
        ...network,
      },
      nodePools: [{ name: 'system', nodeCount: 3 }],
    });
    await ctx.request
      .post('/v1/plans')
      .send(design({ podCidr: '100.64.0.0/16' }))
      .expect(201);
    // Without its pod CIDR the PUT keeps 100.64.0.0/16; the default 10.244.0.0/16 would be in the VNet.
    const refused = await ctx.request
      .put('/v1/plans/vnet12')
      .set('If-Match', '"1"')
      .send({ ...design(), extra: 1 });
    expect([refused.status, refused.body.errors.map((e: { code: string }) => e.code)]).toEqual([
      422,
      ['UNKNOWN_FIELD'],
    ]);
    expect((await ctx.request.put('/v1/plans/vnet12').set('If-Match', '"1"').send(design())).status).toBe(
      200,
    );
  });

  it('keeps both pod CIDRs of a dual-stack plan a replacement leaves out', async () => {
    const design = (network: object = {}) => ({
      name: 'dual',
      network: { plugin: 'azure-cni-overlay', ipFamilies: ['ipv4', 'ipv6'], ...network },
      nodePools: [{ name: 'system', nodeCount: 3 }],
    });
    const podCidrs = ['10.100.0.0/16', 'fd00:100::/64'];
    await ctx.request.post('/v1/plans').send(design({ podCidrs })).expect(201);
    const res = await ctx.request.put('/v1/plans/dual').set('If-Match', '"1"').send(design());
    expect([res.status, res.body.spec.network.podCidrs, res.body.changes]).toEqual([200, podCidrs, []]);
    // The IPv4 one given alone, the IPv6 one is kept (dual-stack pod CIDRs cannot change).
    const given = await ctx.request
      .put('/v1/plans/dual')
      .set('If-Match', '"1"')
      .send(design({ podCidr: '10.100.0.0/16' }));
    expect([given.status, given.body.spec.network.podCidrs, given.body.changes]).toEqual([200, podCidrs, []]);
    // The pair given alone names the IPv4 one: a change to it is refused as a change, not as a
    // mismatch with a podCidr the caller never sent.
    const grown = await ctx.request
      .put('/v1/plans/dual')
      .set('If-Match', '"1"')
      .send(design({ podCidrs: ['10.100.0.0/15', 'fd00:100::/64'] }));
    expect([grown.status, grown.body.code, grown.body.errors?.[0]?.path]).toEqual([
      409,
      'POD_CIDR_CHANGE_REFUSED',
      'network.podCidrs[0]',
    ]);
    const same = await ctx.request.put('/v1/plans/dual').set('If-Match', '"1"').send(design({ podCidrs }));
    expect([same.status, same.body.spec.network.podCidr, same.body.changes]).toEqual([200, podCidrs[0], []]);
  });

  it("keeps the pod CIDR a replacement leaves out: kubenet to overlay keeps the cluster's pod CIDR", async () => {
    const design = (plugin: string, network: object = {}) => ({
      name: 'keeps-pods',
      network: { plugin, ...network },
      nodePools: [{ name: 'system', nodeCount: 3, maxPods: 110 }],
    });
    await ctx.request
      .post('/v1/plans')
      .send(design('kubenet', { podCidr: '192.168.0.0/16' }))
      .expect(201);
    const res = await ctx.request
      .put('/v1/plans/keeps-pods')
      .set('If-Match', '"1"')
      .send(design('azure-cni-overlay'));
    expect(res.status).toBe(200);
    expect(res.body.spec.network.podCidr).toBe('192.168.0.0/16');
    expect(res.body.defaultsApplied).toContain('network.podCidr');
    expect(res.body.changes).toEqual([
      { path: 'network.plugin', from: 'kubenet', to: 'azure-cni-overlay' },
      { path: 'network.ipFamilies', from: null, to: ['ipv4'] },
    ]);
    // Sent again without it, an overlay plan keeps it too: no change, no new revision.
    const again = await ctx.request
      .put('/v1/plans/keeps-pods')
      .set('If-Match', '"2"')
      .send(design('azure-cni-overlay'));
    expect([again.status, again.body.revision, again.body.changes]).toEqual([200, 2, []]);
  });
});

describe('GET /v1/plans/{id} with If-None-Match', () => {
  it('answers 304 with no body while the ETag is current, and 200 once the plan changed', async () => {
    const created = await create(smallDesign('cached'));
    const read = await ctx.request.get(`/v1/plans/${created.id}`);
    expect(read.headers.etag).toBe(etagOf(created));

    const unchanged = await ctx.request.get(`/v1/plans/${created.id}`).set('If-None-Match', '"1"');
    expect(unchanged.status).toBe(304);
    expect(unchanged.text).toBe('');
    expect(unchanged.headers.etag).toBe(etagOf(created));
    // Not the length of a body that was never sent ("null" was 4 bytes).
    expect(unchanged.headers['content-length']).toBeUndefined();

    const scaled = { ...smallDesign('cached'), nodePools: [{ name: 'system', nodeCount: 3 }] };
    const put = await ctx.request.put(`/v1/plans/${created.id}`).set('If-Match', '"1"').send(scaled);
    expect(put.status).toBe(200);
    const changed = await ctx.request.get(`/v1/plans/${created.id}`).set('If-None-Match', '"0", "1"');
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).toBe(`"2.${created.id}"`);
    expect(changed.body.revision).toBe(2);
  });
});

describe('DELETE /v1/plans/{id}', () => {
  it('deletes: 204 with no body, then GET, DELETE, nodes and capacity answer 404', async () => {
    const created = await create(smallDesign('doomed'));

    const res = await ctx.request.delete(`/v1/plans/${created.id}`);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');

    const notFound = (path: string) =>
      problem(
        404,
        'PLAN_NOT_FOUND',
        `no plan with id or name "${created.id}"`,
        `/v1/plans/${created.id}${path}`,
      );
    expectProblem(await ctx.request.get(`/v1/plans/${created.id}`), notFound(''));
    expectProblem(await ctx.request.delete(`/v1/plans/${created.id}`), notFound(''));
    expectProblem(await ctx.request.get(`/v1/plans/${created.id}/nodes`), notFound('/nodes'));
    expectProblem(await ctx.request.get(`/v1/plans/${created.id}/capacity`), notFound('/capacity'));
    expect((await ctx.request.get('/v1/plans')).body).toEqual({ items: [], nextCursor: null });
  });

  it("tells a plan from one created again under its name: the deleted one's ETag is stale", async () => {
    const first = await create(smallDesign('reborn'));
    expect((await ctx.request.delete('/v1/plans/reborn')).status).toBe(204);
    const second = await create(smallDesign('reborn'));
    expect(second.revision).toBe(1);
    const scaled = { ...smallDesign('reborn'), nodePools: [{ name: 'system', nodeCount: 3 }] };

    // A copy of the first plan is not the second's, nor may its holder overwrite or delete it.
    expect((await ctx.request.get('/v1/plans/reborn').set('If-None-Match', etagOf(first))).status).toBe(200);
    expectProblem(
      await ctx.request.put('/v1/plans/reborn').set('If-Match', etagOf(first)).send(scaled),
      problem(
        412,
        'REVISION_MISMATCH',
        `If-Match ${etagOf(first)} does not match the current ETag ${etagOf(second)}; read it again and retry`,
        '/v1/plans/reborn',
      ),
    );
    expect((await ctx.request.delete('/v1/plans/reborn').set('If-Match', etagOf(first))).status).toBe(412);
    // The revision alone, the tag of earlier releases, still names the current revision.
    expect((await ctx.request.get('/v1/plans/reborn').set('If-None-Match', 'W/"1"')).status).toBe(304);
    const put = await ctx.request.put('/v1/plans/reborn').set('If-Match', '"1"').send(scaled);
    expect([put.status, put.headers.etag]).toEqual([200, `"2.${second.id}"`]);
    // A client may list every tag it holds: ten of these fit the header's limit.
    const held = [...Array.from({ length: 9 }, (_, i) => `"${i + 3}.${second.id}"`), etagOf(put.body)];
    const listed = await ctx.request
      .put('/v1/plans/reborn')
      .set('If-Match', held.join(', '))
      .send(smallDesign('reborn'));
    expect(listed.status).toBe(200);
    const cached = await ctx.request
      .get('/v1/plans/reborn')
      .set('If-None-Match', [...held, etagOf(listed.body)].join(', '));
    expect(cached.status).toBe(304);
  });

  it('honours If-Match: 412 REVISION_MISMATCH when stale, nothing deleted; deletes when current', async () => {
    const created = await create(smallDesign('guarded'));
    const scaled = { ...smallDesign('guarded'), nodePools: [{ name: 'system', nodeCount: 3 }] };
    const put = await ctx.request.put(`/v1/plans/${created.id}`).set('If-Match', '"1"').send(scaled);
    expect(put.status).toBe(200);

    const stale = await ctx.request.delete(`/v1/plans/${created.id}`).set('If-Match', '"1"');
    expectProblem(
      stale,
      problem(
        412,
        'REVISION_MISMATCH',
        `If-Match "1" does not match the current ETag "2.${created.id}"; read it again and retry`,
        `/v1/plans/${created.id}`,
      ),
    );
    expect((await ctx.request.get(`/v1/plans/${created.id}`)).status).toBe(200);

    expect((await ctx.request.delete(`/v1/plans/${created.id}`).set('If-Match', 'W/"2"')).status).toBe(204);
    expect((await ctx.request.get(`/v1/plans/${created.id}`)).status).toBe(404);
  });

  it('frees the name for a new plan', async () => {
    const created = await create(smallDesign('reused'));
    await ctx.request.delete(`/v1/plans/${created.id}`).expect(204);

    const again = await ctx.request.post('/v1/plans').send(smallDesign('reused'));

    expect(again.status).toBe(201);
    expect(again.body).toEqual(smallPlan('reused'));
    expect(again.body.id).not.toBe(created.id);
  });

  it('removes the plan from lookups while other plans still match', async () => {
    const doomed = await create(smallDesign('doomed', '10.1.0.0/24'));
    const kept = await create(smallDesign('kept', '10.2.0.0/24'));

    await ctx.request.delete(`/v1/plans/${doomed.id}`).expect(204);

    expect((await ctx.request.get('/v1/lookup?ip=10.1.0.8')).body).toEqual(answer('10.1.0.8', []));
    expect((await ctx.request.get('/v1/lookup?ip=10.0.0.10')).body).toEqual(
      answer('10.0.0.10', [{ planId: kept.id, planName: 'kept', role: 'dns-service', range: '10.0.0.0/16' }]),
    );
  });

  it('answers 404 PLAN_NOT_FOUND for an unknown id', async () => {
    const res = await ctx.request.delete('/v1/plans/no-such-plan');

    expectProblem(
      res,
      problem(404, 'PLAN_NOT_FOUND', 'no plan with id or name "no-such-plan"', '/v1/plans/no-such-plan'),
    );
  });
});

describe('plan resources stay the same between create and read', () => {
  it('keeps the warnings of a create when the plan is read back (dockerBridgeCidr ignored)', async () => {
    const design = smallDesign('bridge');
    const withBridge = { ...design, network: { ...design.network, dockerBridgeCidr: '172.17.0.1/16' } };

    const res = await ctx.request.post('/v1/plans').send(withBridge);

    const spec = smallSpec('bridge');
    const expected = planBody({
      spec: { ...spec, network: { ...spec.network, dockerBridgeCidr: '172.17.0.1/16' } },
      defaultsApplied: SMALL_DEFAULTS,
      capacity: smallCapacity(),
      warnings: [
        {
          code: 'DOCKER_BRIDGE_CIDR_IGNORED',
          message:
            'network.dockerBridgeCidr is kept but ignored: AKS no longer uses a Docker bridge since API 2023-04-01',
        },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual(expected);
    // api.md: a plan resource (GET, and the body of create/update) has the same warnings.
    expect((await ctx.request.get(`/v1/plans/${res.body.id}`)).body).toEqual(res.body);
  });
});
