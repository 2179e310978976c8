import { describe, expect, it } from 'vitest';
import { createPlan, useTestApp } from './support/app.js';
import { smallDesign } from './support/designs.js';
import { expectProblem, problem } from './support/problems.js';

const ctx = useTestApp();

const labelled = (name: string, labels: Record<string, string>, subnet = '10.240.0.0/24') => ({
  ...smallDesign(name, subnet),
  labels,
});

const names = (body: { items: { name: string }[] }) => body.items.map((p) => p.name);

describe('labels of plans', () => {
  it('stores and returns labels, changes them with PUT, and removes those a PUT leaves out', async () => {
    const plan = await createPlan(ctx.request, labelled('pay', { team: 'payments', env: 'prod' }));
    expect(plan.labels).toEqual({ team: 'payments', env: 'prod' });
    expect((await ctx.request.get('/v1/plans/pay')).body.labels).toEqual({ team: 'payments', env: 'prod' });

    const put = await ctx.request
      .put('/v1/plans/pay')
      .set('If-Match', '"1"')
      .send(labelled('pay', { team: 'billing' }));
    expect(put.status).toBe(200);
    expect(put.body.labels).toEqual({ team: 'billing' });

    const bare = await ctx.request.put('/v1/plans/pay').set('If-Match', '"2"').send(smallDesign('pay'));
    expect(bare.body.labels).toEqual({});
  });

  it('filters by label equality and presence (AND), and by exact name', async () => {
    await createPlan(ctx.request, labelled('a', { team: 'payments', env: 'prod' }, '10.1.0.0/24'));
    await createPlan(ctx.request, labelled('b', { team: 'payments' }, '10.2.0.0/24'));
    await createPlan(ctx.request, labelled('c', { team: 'search', env: 'prod' }, '10.3.0.0/24'));

    const get = async (query: string) => (await ctx.request.get(`/v1/plans?${query}`)).body;
    expect(names(await get('label=team=payments'))).toEqual(['a', 'b']);
    expect(names(await get('label=team=payments&label=env=prod'))).toEqual(['a']);
    expect(names(await get('label=env'))).toEqual(['a', 'c']);
    expect(names(await get('label=env&label=team=search'))).toEqual(['c']);
    expect(names(await get('label=team=nobody'))).toEqual([]);
    expect(names(await get('name=b'))).toEqual(['b']);
    expect(names(await get('name=b&label=env'))).toEqual([]);
  });

  it('refuses labels Kubernetes would refuse: 422 LABELS_INVALID at each key, nothing stored', async () => {
    const res = await ctx.request
      .post('/v1/plans')
      .send(labelled('bad', { 'team!': 'x', env: 'not ok', 'example.com/owner': 'ok', '/x': 'y' }));

    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { code: string; path: string }) => [e.code, e.path])).toEqual([
      ['LABELS_INVALID', 'labels["team!"]'],
      ['LABELS_INVALID', 'labels.env'],
      ['LABELS_INVALID', 'labels["/x"]'],
    ]);
    expect((await ctx.request.get('/v1/plans')).body.items).toEqual([]);
  });

  it("lists bad labels beside the design's own problems, in one answer, on create and on replace", async () => {
    const design = {
      ...labelled('both', { 'team!': 'x' }),
      nodePools: [{ name: 'system', nodeCount: 3, maxPods: 5000 }],
    };
    const paths = (res: { body: { errors: { code: string; path: string }[] } }) =>
      res.body.errors.map((e) => [e.code, e.path]);
    const created = await ctx.request.post('/v1/plans').send(design);
    expect([created.status, ...paths(created)]).toEqual([
      422,
      ['LABELS_INVALID', 'labels["team!"]'],
      ['MAX_PODS_OUT_OF_RANGE', 'nodePools[0].maxPods'],
    ]);
    const stored = await ctx.request.post('/v1/plans').send(labelled('both', {}));
    expect(stored.status).toBe(201);
    const replaced = await ctx.request.put('/v1/plans/both').set('If-Match', '"1"').send(design);
    expect([replaced.status, ...paths(replaced)]).toEqual([
      422,
      ['LABELS_INVALID', 'labels["team!"]'],
      ['MAX_PODS_OUT_OF_RANGE', 'nodePools[0].maxPods'],
    ]);
  });

  it('refuses more than 32 labels', async () => {
    const many = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, 'v']));
    const res = await ctx.request.post('/v1/plans').send(labelled('many', many));
    expect(res.status).toBe(422);
    expect(res.body.errors[0]).toMatchObject({ code: 'LABELS_INVALID', path: 'labels' });
  });

  it('answers a selector that cannot be read with 400 LABEL_SELECTOR_INVALID', async () => {
    const res = await ctx.request.get('/v1/plans?label=team=pay%20ments');
    expectProblem(
      res,
      problem(
        400,
        'LABEL_SELECTOR_INVALID',
        expect.stringContaining('label selector "team=pay ments"'),
        '/v1/plans?label=team=pay%20ments',
        [{ path: 'label', code: 'LABEL_SELECTOR_INVALID', message: expect.any(String) }],
      ),
    );
  });
});

describe('plans by name', () => {
  it('answers every /v1/plans/{idOrName} route by name as by id', async () => {
    const plan = await createPlan(ctx.request, smallDesign('by-name'));
    for (const path of ['', '/nodes', '/capacity', '/drift']) {
      const byName = await ctx.request.get(`/v1/plans/by-name${path}`);
      const byId = await ctx.request.get(`/v1/plans/${plan.id}${path}`);
      expect(byName.status).toBe(200);
      expect(byName.body).toEqual(byId.body);
    }
    expect((await ctx.request.delete('/v1/plans/by-name')).status).toBe(204);
    expect((await ctx.request.get(`/v1/plans/${plan.id}`)).status).toBe(404);
  });

  it('refuses a plan name that looks like an id', async () => {
    const res = await ctx.request.post('/v1/plans').send(smallDesign('4f1c2a10-8a8e-4c39-9f5e-0d6b7c2e1a00'));
    expect(res.status).toBe(422);
    expect(res.body.errors[0]).toMatchObject({ code: 'PLAN_NAME_INVALID', path: 'name' });
  });
});

describe('pages of every list', () => {
  it('pages plans with limit and an opaque cursor, and says where the next page is in Link', async () => {
    for (const n of [1, 2, 3]) await createPlan(ctx.request, smallDesign(`p${n}`, `10.${n}.0.0/24`));

    const first = await ctx.request.get('/v1/plans?limit=2&label=');
    expect(first.status).toBe(400);

    const page1 = await ctx.request.get('/v1/plans?limit=2');
    expect(names(page1.body)).toEqual(['p1', 'p2']);
    expect(page1.headers.link).toBe(`</v1/plans?limit=2&cursor=${page1.body.nextCursor}>; rel="next"`);
    const next = (page1.headers.link as string).slice(1, (page1.headers.link as string).indexOf('>'));
    const page2 = await ctx.request.get(next);
    expect(names(page2.body)).toEqual(['p3']);
    expect(page2.body.nextCursor).toBeNull();
    expect(page2.headers.link).toBeUndefined();
  });

  it('defaults to 50 items and refuses more than 200 a page', async () => {
    expect((await ctx.request.get('/v1/plans?limit=201')).status).toBe(400);
    expect((await ctx.request.get('/v1/spaces?limit=0')).status).toBe(400);
  });

  it('pages spaces, filtered by labels and name', async () => {
    for (const [n, env] of [
      [1, 'prod'],
      [2, 'dev'],
      [3, 'prod'],
    ] as const) {
      const res = await ctx.request
        .post('/v1/spaces')
        .send({ name: `s${n}`, cidrs: [`10.${n}.0.0/16`], labels: { env } });
      expect(res.status).toBe(201);
      expect(res.body.labels).toEqual({ env });
    }
    const page1 = await ctx.request.get('/v1/spaces?label=env=prod&limit=1');
    expect(names(page1.body)).toEqual(['s1']);
    const page2 = await ctx.request.get(`/v1/spaces?label=env=prod&limit=1&cursor=${page1.body.nextCursor}`);
    expect(names(page2.body)).toEqual(['s3']);
    expect(page2.body.nextCursor).toBeNull();
    expect(names((await ctx.request.get('/v1/spaces?name=s2')).body)).toEqual(['s2']);
  });

  it('pages allocations lowest address first, and every Location can be read back', async () => {
    await ctx.request.post('/v1/spaces').send({ name: 'corp', cidrs: ['10.0.0.0/22', 'fd00::/48'] });
    const made = [];
    for (const body of [
      { prefixLength: 64, family: 'ipv6', purpose: 'v6' },
      { prefixLength: 24, purpose: 'a' },
      { prefixLength: 24, purpose: 'b' },
    ]) {
      const res = await ctx.request.post('/v1/spaces/corp/allocations').send(body);
      expect(res.status).toBe(201);
      const read = await ctx.request.get(res.headers.location as string);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(res.body);
      made.push(res.body);
    }
    const page1 = await ctx.request.get('/v1/spaces/corp/allocations?limit=2');
    expect(page1.body.items.map((a: { cidr: string }) => a.cidr)).toEqual(['10.0.0.0/24', '10.0.1.0/24']);
    expect(page1.headers.link).toContain('rel="next"');
    const page2 = await ctx.request.get(
      `/v1/spaces/corp/allocations?limit=2&cursor=${page1.body.nextCursor}`,
    );
    expect(page2.body).toEqual({ items: [made[0]], nextCursor: null });
  });

  it('answers a cursor it did not issue with 400 CURSOR_INVALID', async () => {
    await ctx.request.post('/v1/spaces').send({ name: 'corp', cidrs: ['10.0.0.0/22'] });
    for (const url of [
      '/v1/plans?cursor=nope',
      '/v1/spaces?cursor=e30',
      '/v1/spaces/corp/allocations?cursor=e30',
      '/v1/conflicts?cursor=x',
      // Positions a list never reaches: before the first, after less than none.
      `/v1/audit?cursor=${Buffer.from('{"before":-1,"l":"audit"}').toString('base64url')}`,
      `/v1/audit?cursor=${Buffer.from('{"before":0}').toString('base64url')}`,
      `/v1/plans?cursor=${Buffer.from('{"after":-1,"l":"plans"}').toString('base64url')}`,
    ]) {
      const res = await ctx.request.get(url);
      expect(res.status, url).toBe(400);
      expect(res.body.code).toBe('CURSOR_INVALID');
    }
  });

  it("answers one list's cursor sent to another with 400 CURSOR_INVALID naming both", async () => {
    for (const [name, cidr] of [
      ['a', '10.1.0.0/16'],
      ['b', '10.2.0.0/16'],
    ]) {
      await ctx.request.post('/v1/spaces').send({ name, cidrs: [cidr] });
    }
    const spaces = await ctx.request.get('/v1/spaces?limit=1');
    expect(spaces.body.nextCursor).toEqual(expect.any(String));
    for (const url of ['/v1/plans', '/v1/tokens', '/v1/audit']) {
      const res = await ctx.request.get(`${url}?cursor=${spaces.body.nextCursor}`);
      expect(res.status, url).toBe(400);
      expect([res.body.code, res.body.detail], url).toEqual([
        'CURSOR_INVALID',
        expect.stringMatching(/is a cursor of the spaces list, not of (plans|tokens|audit)$/),
      ]);
    }
    const next = await ctx.request.get(`/v1/spaces?limit=1&cursor=${spaces.body.nextCursor}`);
    expect(next.body.items.map((s: { name: string }) => s.name)).toEqual(['b']);
  });

  it('pages conflicts, and node slots with a Link to the next offset', async () => {
    // Nested subnets: three overlapping pairs (plans sharing one subnet would be one item).
    for (const [n, nodeSubnet] of [
      [1, '10.240.0.0/16'],
      [2, '10.240.0.0/20'],
      [3, '10.240.0.0/24'],
    ]) {
      await createPlan(ctx.request, {
        ...smallDesign(`shared${n}`),
        network: { plugin: 'azure-cni-node-subnet', nodeSubnet },
      });
    }
    const conflicts = await ctx.request.get('/v1/conflicts?limit=2');
    expect(conflicts.body.items).toHaveLength(2);
    const rest = await ctx.request.get(`/v1/conflicts?limit=2&cursor=${conflicts.body.nextCursor}`);
    expect(rest.body.items).toHaveLength(1);
    expect(rest.body.nextCursor).toBeNull();

    const slots = await ctx.request.get('/v1/plans/shared1/nodes?limit=2');
    expect(slots.body.total).toBe(3);
    expect(slots.headers.link).toBe('</v1/plans/shared1/nodes?limit=2&offset=2>; rel="next"');
    const last = await ctx.request.get('/v1/plans/shared1/nodes?limit=2&offset=2');
    expect(last.headers.link).toBeUndefined();
  });
});

describe('PUT /v1/spaces/{id}', () => {
  it('renames, relabels and adds a CIDR; refuses to drop a CIDR that holds allocations', async () => {
    await ctx.request.post('/v1/spaces').send({ name: 'corp', cidrs: ['10.0.0.0/16', '10.1.0.0/16'] });
    await ctx.request.post('/v1/spaces/corp/allocations').send({ cidr: '10.1.0.0/24', purpose: 'held' });

    const renamed = await ctx.request
      .put('/v1/spaces/corp')
      .set('If-Match', '"1"')
      .send({
        name: 'corp-2',
        cidrs: ['10.0.0.0/16', '10.1.0.0/16', '10.2.0.0/16'],
        labels: { env: 'prod' },
      });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'corp-2', revision: 2, labels: { env: 'prod' } });
    expect(renamed.headers.etag).toBe(`"2.${renamed.body.id}"`);

    const dropHeld = await ctx.request
      .put('/v1/spaces/corp-2')
      .set('If-Match', '"2"')
      .send({ name: 'corp-2', cidrs: ['10.0.0.0/16'] });
    expect(dropHeld.status).toBe(409);
    expect(dropHeld.body.errors).toEqual([
      {
        path: 'cidrs',
        code: 'SPACE_CIDR_IN_USE',
        message:
          '10.1.0.0/16 still holds allocations (10.1.0.0/24 among them): release them before removing it',
      },
    ]);

    const dropFree = await ctx.request
      .put('/v1/spaces/corp-2')
      .set('If-Match', '"2"')
      .send({ name: 'corp-2', cidrs: ['10.1.0.0/16'] });
    expect(dropFree.status).toBe(200);
    expect(dropFree.body.cidrs).toEqual(['10.1.0.0/16']);
  });

  it('writes nothing for a replacement that changes nothing: same revision, same ETag, no audit entry', async () => {
    const body = {
      name: 'corp',
      description: 'hub',
      cidrs: ['10.0.0.0/16', '10.1.0.0/16'],
      labels: { team: 'net', env: 'prod' },
    };
    await ctx.request.post('/v1/spaces').send(body);
    const audited = async () => (await ctx.request.get('/v1/audit')).body.items.length;
    const before = await audited();

    // The labels in another order are the same labels.
    const same = await ctx.request
      .put('/v1/spaces/corp')
      .set('If-Match', '"1"')
      .send({ ...body, labels: { env: 'prod', team: 'net' } });

    expect([same.status, same.headers.etag, same.body.revision]).toEqual([200, `"1.${same.body.id}"`, 1]);
    expect(await audited()).toBe(before);
    // A stale revision is still refused; a new order of the CIDRs, or no description, is a change.
    expect((await ctx.request.put('/v1/spaces/corp').set('If-Match', '"7"').send(body)).status).toBe(412);
    const reordered = { ...body, cidrs: ['10.1.0.0/16', '10.0.0.0/16'] };
    expect(
      (await ctx.request.put('/v1/spaces/corp').set('If-Match', '"1"').send(reordered)).body.revision,
    ).toBe(2);
    const { description: _none, ...withoutDescription } = reordered;
    const cleared = await ctx.request.put('/v1/spaces/corp').set('If-Match', '"2"').send(withoutDescription);
    expect([cleared.body.revision, cleared.body.description]).toEqual([3, null]);
    expect(await audited()).toBe(before + 2);
  });

  it('requires If-Match: 428 without it, 412 when stale', async () => {
    await ctx.request.post('/v1/spaces').send({ name: 'corp', cidrs: ['10.0.0.0/16'] });
    const body = { name: 'corp', cidrs: ['10.0.0.0/16'] };
    expect((await ctx.request.put('/v1/spaces/corp').send(body)).status).toBe(428);
    expect((await ctx.request.put('/v1/spaces/corp').set('If-Match', '"9"').send(body)).status).toBe(412);
  });
});
