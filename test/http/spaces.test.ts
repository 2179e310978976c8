/**
 * Address spaces and their allocations over HTTP: every route and every refusal, whole bodies,
 * and the new state read back through the API.
 */
import type { Response } from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { Cidr } from '../../src/domain/ip/index.js';
import { FreeSpace } from '../../src/domain/space/free-space.js';
import { useTestApp } from './support/app.js';
import { expectProblem, problem, taken } from './support/problems.js';

const ctx = useTestApp();

interface Space {
  id: string;
  name: string;
  description: string | null;
  cidrs: string[];
  createdAt: string;
}

interface Allocation {
  id: string;
  spaceId: string;
  cidr: string;
  purpose: string;
  planId: string | null;
  createdAt: string;
}

/** The whole body of a space, any id and timestamp. */
function spaceBody(name: string, cidrs: string[], description: string | null = null) {
  return {
    id: expect.any(String),
    name,
    revision: 1,
    labels: {},
    description,
    cidrs,
    createdAt: expect.any(String),
  };
}

/** The whole body of an allocation, any id and timestamp. */
function allocationBody(spaceId: string, cidr: string, purpose: string) {
  return { id: expect.any(String), spaceId, cidr, purpose, planId: null, createdAt: expect.any(String) };
}

function expectJson(res: Response, status: number): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
}

/** Creates a space; fails the test unless it is 201. */
async function createSpace(name: string, cidrs: string[], description?: string): Promise<Space> {
  const res = await ctx.request
    .post('/v1/spaces')
    .send(description === undefined ? { name, cidrs } : { name, cidrs, description });
  expectJson(res, 201);
  return res.body as Space;
}

function allocate(space: string, body: object, idempotencyKey?: string) {
  const req = ctx.request.post(`/v1/spaces/${space}/allocations`);
  return (idempotencyKey === undefined ? req : req.set('Idempotency-Key', idempotencyKey)).send(body);
}

/** A request body for POST /v1/spaces/{id}/allocations. */
interface AllocationInput {
  prefixLength?: number;
  addresses?: number;
  cidr?: string;
  family?: 'ipv4' | 'ipv6';
  purpose: string;
}

/** Allocates; fails the test unless it is 201 with the block expected. */
async function allocated(space: Space, body: AllocationInput, cidr: string): Promise<Allocation> {
  const res = await allocate(space.id, body);
  expectJson(res, 201);
  expect(res.body).toEqual(allocationBody(space.id, cidr, body.purpose));
  return res.body as Allocation;
}

async function listSpaces(): Promise<Space[]> {
  const res = await ctx.request.get('/v1/spaces');
  expectJson(res, 200);
  return res.body.items as Space[];
}

async function listAllocations(space: string): Promise<Allocation[]> {
  const res = await ctx.request.get(`/v1/spaces/${space}/allocations`);
  expectJson(res, 200);
  return res.body.items as Allocation[];
}

async function available(space: string, query = '') {
  const res = await ctx.request.get(`/v1/spaces/${space}/available${query}`);
  expectJson(res, 200);
  return res.body;
}

/** The CIDRs allocated in a space, lowest first, as the API lists them. */
async function allocatedCidrs(space: string): Promise<string[]> {
  return (await listAllocations(space)).map((a) => a.cidr);
}

describe('POST /v1/spaces', () => {
  it('creates a space: 201, Location, the whole body; readable by id, by name and in the list', async () => {
    const res = await ctx.request.post('/v1/spaces').send({
      name: 'corp-vnets',
      cidrs: ['10.0.0.0/8', '100.64.0.0/10'],
      description: 'Blocks for clusters',
    });

    expectJson(res, 201);
    expect(res.body).toEqual(spaceBody('corp-vnets', ['10.0.0.0/8', '100.64.0.0/10'], 'Blocks for clusters'));
    expect(res.headers.location).toBe(`/v1/spaces/${res.body.id}`);
    expect(new Date(res.body.createdAt).toISOString()).toBe(res.body.createdAt);

    const byId = await ctx.request.get(res.headers.location as string);
    expectJson(byId, 200);
    expect(byId.body).toEqual(res.body);
    const byName = await ctx.request.get('/v1/spaces/corp-vnets');
    expectJson(byName, 200);
    expect(byName.body).toEqual(res.body);
    expect(await listSpaces()).toEqual([res.body]);
  });

  it('answers a null description when none is given and keeps the CIDRs in order, canonical', async () => {
    const space = await createSpace('dual.stack_1', ['FD00:0:0::/48', '192.168.0.0/16', '10.0.0.0/24']);
    expect(space).toEqual(spaceBody('dual.stack_1', ['fd00::/48', '192.168.0.0/16', '10.0.0.0/24']));
  });

  it('409 SPACE_NAME_TAKEN for a second space of the same name; the first is unchanged', async () => {
    const first = await createSpace('corp', ['10.0.0.0/16']);

    const res = await ctx.request.post('/v1/spaces').send({ name: 'corp', cidrs: ['172.16.0.0/12'] });

    expectProblem(
      res,
      problem(
        409,
        'SPACE_NAME_TAKEN',
        `a space named "corp" already exists; names are unique across every team`,
        '/v1/spaces',
        [taken('SPACE_NAME_TAKEN', 'a space named "corp"')],
      ),
    );
    expect(await listSpaces()).toEqual([first]);
  });

  it('422 reports every problem at once: the name, host bits, an overlap and a bad CIDR; stores nothing', async () => {
    const res = await ctx.request
      .post('/v1/spaces')
      .send({ name: '-corp', cidrs: ['10.0.0.1/24', '10.0.0.0/16', '10.0.0.0/8', 'x'] });

    const nameMessage = `"-corp" is not a valid space name: 1-64 letters, digits, '.', '-' or '_'`;
    expectProblem(
      res,
      problem(422, 'SPACE_NAME_INVALID', `4 problems, first: ${nameMessage}`, '/v1/spaces', [
        { path: 'name', message: nameMessage, code: 'SPACE_NAME_INVALID' },
        {
          path: 'cidrs[0]',
          message: '"10.0.0.1/24" has host bits set; did you mean 10.0.0.0/24?',
          code: 'CIDR_HOST_BITS_SET',
        },
        {
          path: 'cidrs[2]',
          message: '10.0.0.0/8 (cidrs[2]) overlaps 10.0.0.0/16 (cidrs[1])',
          code: 'SPACE_CIDRS_OVERLAP',
        },
        {
          path: 'cidrs[3]',
          message: '"x" is not a valid CIDR: expected address/prefix-length',
          code: 'CIDR_INVALID',
        },
      ]),
    );
    expect(await listSpaces()).toEqual([]);
  });

  it.each([
    [
      'SPACE_CIDRS_OVERLAP',
      { name: 'corp', cidrs: ['10.0.0.0/16', '192.168.0.0/24', '10.0.1.0/24'] },
      'cidrs[2]',
      '10.0.1.0/24 (cidrs[2]) overlaps 10.0.0.0/16 (cidrs[0])',
    ],
    [
      'SPACE_CIDRS_OVERLAP',
      { name: 'corp', cidrs: ['fd00::/48', 'fd00::/48'] },
      'cidrs[1]',
      'fd00::/48 (cidrs[1]) overlaps fd00::/48 (cidrs[0])',
    ],
    [
      'CIDR_HOST_BITS_SET',
      { name: 'corp', cidrs: ['10.240.0.4/16'] },
      'cidrs[0]',
      '"10.240.0.4/16" has host bits set; did you mean 10.240.0.0/16?',
    ],
    [
      'SPACE_NAME_INVALID',
      { name: 'corp vnets', cidrs: ['10.0.0.0/16'] },
      'name',
      `"corp vnets" is not a valid space name: 1-64 letters, digits, '.', '-' or '_'`,
    ],
    [
      'SPACE_NAME_INVALID',
      { name: 'corp-', cidrs: ['10.0.0.0/16'] },
      'name',
      `"corp-" is not a valid space name: 1-64 letters, digits, '.', '-' or '_'`,
    ],
  ])('422 %s alone: %j', async (code, body, path, message) => {
    const res = await ctx.request.post('/v1/spaces').send(body);

    expectProblem(res, problem(422, code, message, '/v1/spaces', [{ path, message, code }]));
    expect(await listSpaces()).toEqual([]);
  });

  it('accepts IPv4 and IPv6 ranges together: different families never overlap', async () => {
    const space = await createSpace('dual', ['10.0.0.0/8', '::/0']);
    expect(space.cidrs).toEqual(['10.0.0.0/8', '::/0']);
  });

  it('refuses a range no Azure virtual network may hold: 422 RANGE_NOT_ALLOWED_IN_VNET at each', async () => {
    const res = await ctx.request
      .post('/v1/spaces')
      .send({ name: 'odd', cidrs: ['10.0.0.0/8', '0.0.0.0/0', '169.254.0.0/24'] });
    expect([res.status, res.body.errors]).toEqual([
      422,
      [
        {
          code: 'RANGE_NOT_ALLOWED_IN_VNET',
          path: 'cidrs[1]',
          message:
            '0.0.0.0/0 overlaps 224.0.0.0/4, which can never be part of an Azure virtual network: a space holds what VNets may',
        },
        {
          code: 'SPACE_CIDRS_OVERLAP',
          path: 'cidrs[1]',
          message: '0.0.0.0/0 (cidrs[1]) overlaps 10.0.0.0/8 (cidrs[0])',
        },
        {
          code: 'RANGE_NOT_ALLOWED_IN_VNET',
          path: 'cidrs[2]',
          message:
            '169.254.0.0/24 overlaps 169.254.0.0/16, which can never be part of an Azure virtual network: a space holds what VNets may',
        },
        {
          code: 'SPACE_CIDRS_OVERLAP',
          path: 'cidrs[2]',
          message: '169.254.0.0/24 (cidrs[2]) overlaps 0.0.0.0/0 (cidrs[1])',
        },
      ],
    ]);
    expect(await listSpaces()).toEqual([]);
  });
});

describe('GET /v1/spaces and GET /v1/spaces/{id}', () => {
  it('lists no spaces at first, then every space created', async () => {
    expect(await listSpaces()).toEqual([]);

    const a = await createSpace('a', ['10.0.0.0/16']);
    const b = await createSpace('b', ['10.1.0.0/16'], 'second');

    const items = await listSpaces();
    expect(items).toHaveLength(2);
    expect(items).toEqual(expect.arrayContaining([a, b]));
  });

  it('404 SPACE_NOT_FOUND for an unknown id or name', async () => {
    await createSpace('corp', ['10.0.0.0/16']);

    expectProblem(
      await ctx.request.get('/v1/spaces/nope'),
      problem(404, 'SPACE_NOT_FOUND', 'no space with id or name "nope"', '/v1/spaces/nope'),
    );
    const id = '00000000-0000-4000-8000-000000000000';
    expectProblem(
      await ctx.request.get(`/v1/spaces/${id}`),
      problem(404, 'SPACE_NOT_FOUND', `no space with id or name "${id}"`, `/v1/spaces/${id}`),
    );
  });
});

describe('ETags of spaces', () => {
  it('gives a space an ETag, answers 304 to If-None-Match, and guards DELETE with If-Match', async () => {
    const space = await createSpace('corp', ['10.0.0.0/16']);
    const read = await ctx.request.get(`/v1/spaces/${space.id}`);
    const tag = `"1.${space.id}"`;
    expect(read.headers.etag).toBe(tag);

    const unchanged = await ctx.request.get('/v1/spaces/corp').set('If-None-Match', tag);
    expect(unchanged.status).toBe(304);
    expect(unchanged.text).toBe('');
    expect(unchanged.headers['content-length']).toBeUndefined();

    const stale = await ctx.request.delete('/v1/spaces/corp').set('If-Match', '"7"');
    expectProblem(
      stale,
      problem(
        412,
        'REVISION_MISMATCH',
        `If-Match "7" does not match the current ETag ${tag}; read it again and retry`,
        '/v1/spaces/corp',
      ),
    );
    expect((await ctx.request.delete('/v1/spaces/corp').set('If-Match', tag)).status).toBe(204);
  });

  it("tells a space from one created again under its name: the deleted one's ETag is stale", async () => {
    const first = await createSpace('reborn', ['10.0.0.0/16']);
    const firstTag = `"1.${first.id}"`;
    expect((await ctx.request.delete('/v1/spaces/reborn')).status).toBe(204);
    const second = await createSpace('reborn', ['10.1.0.0/16']);
    const body = { name: 'reborn', cidrs: ['10.1.0.0/16', '10.2.0.0/16'] };

    expect((await ctx.request.get('/v1/spaces/reborn').set('If-None-Match', firstTag)).status).toBe(200);
    expectProblem(
      await ctx.request.put('/v1/spaces/reborn').set('If-Match', firstTag).send(body),
      problem(
        412,
        'REVISION_MISMATCH',
        `If-Match ${firstTag} does not match the current ETag "1.${second.id}"; read it again and retry`,
        '/v1/spaces/reborn',
      ),
    );
    expect((await ctx.request.delete('/v1/spaces/reborn').set('If-Match', firstTag)).status).toBe(412);
    // The revision alone, the tag of earlier releases, still names the current revision.
    expect((await ctx.request.get('/v1/spaces/reborn').set('If-None-Match', '"1"')).status).toBe(304);
    expect((await ctx.request.put('/v1/spaces/reborn').set('If-Match', '"1"').send(body)).status).toBe(200);
  });

  it('refuses a space name that looks like an id: 422 SPACE_NAME_INVALID', async () => {
    const res = await ctx.request
      .post('/v1/spaces')
      .send({ name: '4f1c2a10-8a8e-4c39-9f5e-0d6b7c2e1a00', cidrs: ['10.0.0.0/16'] });

    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { path: 'name', code: 'SPACE_NAME_INVALID', message: expect.stringContaining('looks like an id') },
    ]);
  });
});

describe('DELETE /v1/spaces/{id}', () => {
  it('204 with no body; then the space is gone and a second delete is 404', async () => {
    const space = await createSpace('corp', ['10.0.0.0/16']);
    const other = await createSpace('other', ['10.1.0.0/16']);

    const res = await ctx.request.delete(`/v1/spaces/${space.id}`);

    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expectProblem(
      await ctx.request.get(`/v1/spaces/${space.id}`),
      problem(404, 'SPACE_NOT_FOUND', `no space with id or name "${space.id}"`, `/v1/spaces/${space.id}`),
    );
    expect(await listSpaces()).toEqual([other]);
    expectProblem(
      await ctx.request.delete(`/v1/spaces/${space.id}`),
      problem(404, 'SPACE_NOT_FOUND', `no space with id or name "${space.id}"`, `/v1/spaces/${space.id}`),
    );
  });

  it('deletes by name, and the name is free again', async () => {
    await createSpace('corp', ['10.0.0.0/16']);

    expect((await ctx.request.delete('/v1/spaces/corp')).status).toBe(204);

    expect(await listSpaces()).toEqual([]);
    expect(await createSpace('corp', ['10.2.0.0/16'])).toEqual(spaceBody('corp', ['10.2.0.0/16']));
  });

  it('409 SPACE_IN_USE while allocations exist; 204 once they are all released', async () => {
    const space = await createSpace('corp', ['10.0.0.0/16']);
    const a = await allocated(space, { prefixLength: 24, purpose: 'nodes' }, '10.0.0.0/24');
    const b = await allocated(space, { prefixLength: 24, purpose: 'pods' }, '10.0.1.0/24');
    const path = `/v1/spaces/${space.id}`;

    expectProblem(
      await ctx.request.delete(path),
      problem(409, 'SPACE_IN_USE', 'space "corp" still has 2 allocations; release them first', path),
    );
    expect((await ctx.request.delete(`${path}/allocations/${a.id}`)).status).toBe(204);
    expectProblem(
      await ctx.request.delete(path),
      problem(409, 'SPACE_IN_USE', 'space "corp" still has 1 allocation; release them first', path),
    );
    expect(await listSpaces()).toEqual([space]);
    expect(await listAllocations(space.id)).toEqual([b]);

    expect((await ctx.request.delete(`${path}/allocations/${b.id}`)).status).toBe(204);
    expect((await ctx.request.delete(path)).status).toBe(204);
    expect(await listSpaces()).toEqual([]);
  });
});

describe('GET /v1/spaces/{id}/available', () => {
  it('a fresh space: all of it free, how many blocks of the size fit, nothing used', async () => {
    const space = await createSpace('corp', ['10.0.0.0/22']);

    expect(await available(space.id, '?prefixLength=24')).toEqual({
      spaceId: space.id,
      free: ['10.0.0.0/22'],
      freeCount: 1,
      prefixLength: 24,
      fitting: 4,
      utilization: [{ family: 'ipv4', total: 1024, allocated: 0, free: 1024, utilization: 0 }],
    });
  });

  it('after allocations: the free space as the fewest CIDRs lowest first, aligned blocks that fit, use', async () => {
    const space = await createSpace('corp', ['10.0.0.0/22']);
    await allocated(space, { prefixLength: 24, purpose: 'a' }, '10.0.0.0/24');
    await allocated(space, { prefixLength: 26, purpose: 'b' }, '10.0.1.0/26');

    const utilization = [{ family: 'ipv4', total: 1024, allocated: 320, free: 704, utilization: 0.313 }];
    const free = ['10.0.1.64/26', '10.0.1.128/25', '10.0.2.0/23'];
    expect(await available(space.id, '?prefixLength=24')).toEqual({
      spaceId: space.id,
      free,
      freeCount: free.length,
      prefixLength: 24,
      fitting: 2,
      utilization,
    });
    expect(await available('corp', '?prefixLength=26')).toEqual({
      spaceId: space.id,
      free,
      freeCount: free.length,
      prefixLength: 26,
      fitting: 11, // one in .1.64/26, two in .1.128/25, eight in .2.0/23
      utilization,
    });
    expect(await available(space.id, '?prefixLength=23')).toMatchObject({ prefixLength: 23, fitting: 1 });
    expect(await available(space.id, '?prefixLength=22')).toMatchObject({ prefixLength: 22, fitting: 0 });
    expect(await available(space.id, '?prefixLength=32')).toMatchObject({ prefixLength: 32, fitting: 704 });
    expect(await available(space.id)).toEqual({
      spaceId: space.id,
      free,
      freeCount: free.length,
      prefixLength: null,
      fitting: null,
      utilization,
    });
  });

  it('a full space has nothing free and is wholly used', async () => {
    const space = await createSpace('corp', ['10.0.0.0/24']);
    await allocated(space, { prefixLength: 24, purpose: 'all' }, '10.0.0.0/24');

    expect(await available(space.id, '?prefixLength=32')).toEqual({
      spaceId: space.id,
      free: [],
      freeCount: 0,
      prefixLength: 32,
      fitting: 0,
      utilization: [{ family: 'ipv4', total: 256, allocated: 256, free: 0, utilization: 1 }],
    });
  });

  it('dual-stack: the family filter narrows free and fitting; counts beyond 2^53 are strings', async () => {
    const space = await createSpace('dual', ['fd00::/56', '10.0.0.0/24']);
    await allocated(space, { prefixLength: 64, family: 'ipv6', purpose: 'v6' }, 'fd00::/64');
    const utilization = [
      { family: 'ipv4', total: 256, allocated: 0, free: 256, utilization: 0 },
      {
        family: 'ipv6',
        total: '4722366482869645213696',
        allocated: '18446744073709551616',
        free: '4703919738795935662080',
        utilization: 0.004,
      },
    ];
    const free6 = [
      'fd00:0:0:1::/64',
      'fd00:0:0:2::/63',
      'fd00:0:0:4::/62',
      'fd00:0:0:8::/61',
      'fd00:0:0:10::/60',
      'fd00:0:0:20::/59',
      'fd00:0:0:40::/58',
      'fd00:0:0:80::/57',
    ];

    expect(await available(space.id, '?prefixLength=64&family=ipv6')).toEqual({
      spaceId: space.id,
      free: free6,
      freeCount: free6.length,
      prefixLength: 64,
      fitting: 255,
      utilization,
    });
    expect(await available(space.id, '?family=ipv4')).toEqual({
      spaceId: space.id,
      free: ['10.0.0.0/24'],
      freeCount: 1,
      prefixLength: null,
      fitting: null,
      utilization,
    });
    expect(await available(space.id, '?prefixLength=26&family=ipv4')).toMatchObject({ fitting: 4 });
    // No family: IPv4 first, then IPv6; a prefix longer than /32 counts IPv6 blocks.
    expect(await available(space.id, '?prefixLength=60')).toEqual({
      spaceId: space.id,
      free: ['10.0.0.0/24', ...free6],
      freeCount: 1 + free6.length,
      prefixLength: 60,
      fitting: 15,
      utilization,
    });
  });

  it('an IPv6-only space counts IPv6 blocks when no family is named, also for prefixes up to /32', async () => {
    const space = await createSpace('v6', ['2001:db8::/32']);

    expect(await available(space.id, '?prefixLength=48')).toMatchObject({ prefixLength: 48, fitting: 65536 });
    expect(await available(space.id, '?prefixLength=32&family=ipv6')).toMatchObject({ fitting: 1 });
    // Without a family, an IPv6-only space can only mean IPv6 (as for allocations).
    expect(await available(space.id, '?prefixLength=32')).toMatchObject({ prefixLength: 32, fitting: 1 });
    expect(await available(space.id, '?prefixLength=31')).toMatchObject({ prefixLength: 31, fitting: 0 });
  });

  it('lists at most 1,000 free CIDRs of a fragmented space, and says how many there are', async () => {
    const space = await createSpace('frag', ['fd00:99::/32']);
    // Each /128 taken from the middle of a gap leaves up to 96 CIDRs around it.
    for (let k = 1; k <= 20; k++) {
      const cidr = `fd00:99:0:${k.toString(16)}:5555:5555:5555:5555/128`;
      const res = await ctx.request.post(`/v1/spaces/${space.id}/allocations`).send({ cidr, purpose: 'f' });
      expect(res.status, res.text).toBe(201);
    }
    const held = (await listAllocations(space.id)).map((a) => Cidr.parse(a.cidr));
    const all = new FreeSpace([Cidr.parse('fd00:99::/32')], held).blocks();
    expect(all.length).toBeGreaterThan(1000);
    const body = await available(space.id);
    expect(body.freeCount).toBe(all.length);
    expect(body.free).toEqual(all.slice(0, 1000).map(String));
  });

  it('refuses a prefix length longer than the family width as a client error, never a 500', async () => {
    const space = await createSpace('corp', ['10.0.0.0/22']);

    const res = await ctx.request.get(`/v1/spaces/${space.id}/available?prefixLength=40&family=ipv4`);

    // A query parameter's problem is 400 (the README's rule), naming the parameter.
    expect([res.status, res.body.code, res.body.errors]).toEqual([
      400,
      'PREFIX_LENGTH_INVALID',
      [expect.objectContaining({ path: 'prefixLength', code: 'PREFIX_LENGTH_INVALID' })],
    ]);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('404 SPACE_NOT_FOUND for an unknown space', async () => {
    expectProblem(
      await ctx.request.get('/v1/spaces/nope/available?prefixLength=24'),
      problem(
        404,
        'SPACE_NOT_FOUND',
        'no space with id or name "nope"',
        '/v1/spaces/nope/available?prefixLength=24',
      ),
    );
  });
});

describe('POST /v1/spaces/{id}/allocations', () => {
  it('first fit on aligned boundaries, lowest address first: 201, Location, whole body, listed', async () => {
    const space = await createSpace('corp', ['10.0.0.0/22']);

    const res = await allocate(space.id, { prefixLength: 24, purpose: 'node subnet of prod-weu-1' });

    expectJson(res, 201);
    expect(res.body).toEqual(allocationBody(space.id, '10.0.0.0/24', 'node subnet of prod-weu-1'));
    expect(res.headers.location).toBe(`/v1/spaces/${space.id}/allocations/${res.body.id}`);
    expect(new Date(res.body.createdAt).toISOString()).toBe(res.body.createdAt);

    await allocated(space, { prefixLength: 26, purpose: 'b' }, '10.0.1.0/26');
    await allocated(space, { prefixLength: 24, purpose: 'c' }, '10.0.2.0/24'); // 10.0.1.0/24 is partly used
    await allocated(space, { prefixLength: 26, purpose: 'd' }, '10.0.1.64/26'); // the lowest free /26
    await allocated(space, { prefixLength: 25, purpose: 'e' }, '10.0.1.128/25');

    const items = await listAllocations(space.id);
    expect(items).toEqual([
      allocationBody(space.id, '10.0.0.0/24', 'node subnet of prod-weu-1'),
      allocationBody(space.id, '10.0.1.0/26', 'b'),
      allocationBody(space.id, '10.0.1.64/26', 'd'),
      allocationBody(space.id, '10.0.1.128/25', 'e'),
      allocationBody(space.id, '10.0.2.0/24', 'c'),
    ]);
    expect(items[0]).toEqual(res.body);
    expect(new Set(items.map((a) => a.id)).size).toBe(5);
    expect(await available(space.id, '?prefixLength=24')).toEqual({
      spaceId: space.id,
      free: ['10.0.3.0/24'],
      freeCount: 1,
      prefixLength: 24,
      fitting: 1,
      utilization: [{ family: 'ipv4', total: 1024, allocated: 768, free: 256, utilization: 0.75 }],
    });
  });

  it('sizes by usable addresses: the smallest IPv4 prefix that holds them after Azure keeps 5', async () => {
    const space = await createSpace('corp', ['10.0.0.0/16']);

    await allocated(space, { addresses: 1581, purpose: 'a' }, '10.0.0.0/21'); // 1,586 > 1,024
    await allocated(space, { addresses: 251, purpose: 'b' }, '10.0.8.0/24'); // exactly a /24
    await allocated(space, { addresses: 252, purpose: 'c' }, '10.0.10.0/23'); // one more: a /23
    await allocated(space, { addresses: 3, purpose: 'd' }, '10.0.9.0/29'); // Azure's smallest
    await allocated(space, { addresses: 1891, purpose: 'e' }, '10.0.16.0/21');

    expect(await allocatedCidrs(space.id)).toEqual([
      '10.0.0.0/21',
      '10.0.8.0/24',
      '10.0.9.0/29',
      '10.0.10.0/23',
      '10.0.16.0/21',
    ]);
  });

  it('family picks the IPv6 side of a dual-stack space; a size without one is IPv4', async () => {
    const space = await createSpace('dual', ['10.0.0.0/24', 'fd00::/56']);

    await allocated(space, { prefixLength: 64, family: 'ipv6', purpose: 'v6 a' }, 'fd00::/64');
    await allocated(space, { prefixLength: 26, purpose: 'v4 a' }, '10.0.0.0/26');
    await allocated(space, { prefixLength: 60, family: 'ipv6', purpose: 'v6 b' }, 'fd00:0:0:10::/60');
    await allocated(space, { prefixLength: 26, family: 'ipv4', purpose: 'v4 b' }, '10.0.0.64/26');

    expect(await allocatedCidrs(space.id)).toEqual([
      '10.0.0.0/26',
      '10.0.0.64/26',
      'fd00::/64',
      'fd00:0:0:10::/60',
    ]);
  });

  it('an IPv6-only space takes a size without a family as IPv6', async () => {
    const space = await createSpace('v6', ['2001:db8::/32']);

    await allocated(space, { prefixLength: 48, purpose: 'a' }, '2001:db8::/48');
    await allocated(space, { prefixLength: 48, purpose: 'b' }, '2001:db8:1::/48');
  });

  it('addresses the space by name; the allocation names its id', async () => {
    const space = await createSpace('corp', ['10.0.0.0/22']);

    const res = await allocate('corp', { prefixLength: 23, purpose: 'x' });

    expectJson(res, 201);
    expect(res.body).toEqual(allocationBody(space.id, '10.0.0.0/23', 'x'));
    expect(await listAllocations('corp')).toEqual([res.body]);
  });

  it('claims an exact free CIDR; first fit then works around it', async () => {
    const space = await createSpace('corp', ['10.0.0.0/22']);

    await allocated(space, { cidr: '10.0.2.0/24', purpose: 'claimed' }, '10.0.2.0/24');
    await allocated(space, { prefixLength: 23, purpose: 'a' }, '10.0.0.0/23');
    await allocated(space, { prefixLength: 24, purpose: 'b' }, '10.0.3.0/24');

    expect(await allocatedCidrs(space.id)).toEqual(['10.0.0.0/23', '10.0.2.0/24', '10.0.3.0/24']);
  });

  it('refuses a CIDR whose family contradicts the family named beside it; allocates nothing', async () => {
    const space = await createSpace('corp', ['10.0.0.0/22', 'fd00::/48']);
    const detail = 'family ipv6 contradicts cidr 10.0.2.0/24, which is IPv4: leave family out with a cidr';

    expectProblem(
      await allocate(space.id, { cidr: '10.0.2.0/24', family: 'ipv6', purpose: 'x' }),
      problem(422, 'ADDRESS_FAMILY_NOT_SUPPORTED', detail, `/v1/spaces/${space.id}/allocations`, [
        { path: 'family', message: detail, code: 'ADDRESS_FAMILY_NOT_SUPPORTED' },
      ]),
    );
    expect(await listAllocations(space.id)).toEqual([]);
    await allocated(space, { cidr: '10.0.2.0/24', family: 'ipv4', purpose: 'claimed' }, '10.0.2.0/24');
  });

  it.each([
    [{ purpose: 'none' }],
    [{ prefixLength: 24, addresses: 100, purpose: 'two' }],
    [{ prefixLength: 24, cidr: '10.0.0.0/24', purpose: 'two' }],
    [{ addresses: 100, cidr: '10.0.0.0/24', purpose: 'two' }],
    [{ prefixLength: 24, addresses: 100, cidr: '10.0.0.0/24', purpose: 'three' }],
  ])('422 ALLOCATION_SIZE_REQUIRED unless exactly one size is given: %j', async (body) => {
    const space = await createSpace('corp', ['10.0.0.0/22']);
    const path = `/v1/spaces/${space.id}/allocations`;
    const detail = 'give exactly one of prefixLength, addresses or cidr';

    expectProblem(
      await allocate(space.id, body),
      problem(422, 'ALLOCATION_SIZE_REQUIRED', detail, path, [
        { path: 'prefixLength', message: detail, code: 'ALLOCATION_SIZE_REQUIRED' },
      ]),
    );
    expect(await listAllocations(space.id)).toEqual([]);
  });

  it('409 SPACE_EXHAUSTED names the largest free block, then says when the ranges of a family are full', async () => {
    const space = await createSpace('corp', ['10.0.0.0/24']);
    const path = `/v1/spaces/${space.id}/allocations`;
    await allocated(space, { prefixLength: 25, purpose: 'a' }, '10.0.0.0/25');
    await allocated(space, { prefixLength: 26, purpose: 'b' }, '10.0.0.128/26');

    expectProblem(
      await allocate(space.id, { prefixLength: 25, purpose: 'c' }),
      problem(409, 'SPACE_EXHAUSTED', 'no free /25 is left; the largest free block is 10.0.0.192/26', path),
    );
    expectProblem(
      await allocate(space.id, { addresses: 100, purpose: 'c' }), // a /25
      problem(409, 'SPACE_EXHAUSTED', 'no free /25 is left; the largest free block is 10.0.0.192/26', path),
    );

    await allocated(space, { prefixLength: 26, purpose: 'c' }, '10.0.0.192/26');
    expectProblem(
      await allocate(space.id, { prefixLength: 32, purpose: 'd' }),
      problem(
        409,
        'SPACE_EXHAUSTED',
        'no free /32 is left; the largest free block is none (its IPv4 ranges are full)',
        path,
      ),
    );
    expect(await allocatedCidrs(space.id)).toEqual(['10.0.0.0/25', '10.0.0.128/26', '10.0.0.192/26']);
    // A space of both families: a full IPv4 part is not a full space.
    const both = await ctx.request
      .post('/v1/spaces')
      .send({ name: 'both', cidrs: ['10.9.0.0/30', 'fd00::/64'] });
    await allocated(both.body, { prefixLength: 30, purpose: 'all of it' }, '10.9.0.0/30');
    expect((await allocate(both.body.id, { prefixLength: 32, purpose: 'more' })).body.detail).toBe(
      'no free /32 is left; the largest free block is none (its IPv4 ranges are full)',
    );
  });

  it("409 CIDR_TAKEN names the holder's purpose and allocation id", async () => {
    const space = await createSpace('corp', ['10.0.0.0/22']);
    const holder = await allocated(
      space,
      { prefixLength: 24, purpose: 'node subnet of prod-weu-1' },
      '10.0.0.0/24',
    );
    const path = `/v1/spaces/${space.id}/allocations`;

    for (const cidr of ['10.0.0.128/25', '10.0.0.0/24', '10.0.0.0/23']) {
      expectProblem(
        await allocate(space.id, { cidr, purpose: 'late' }),
        problem(
          409,
          'CIDR_TAKEN',
          `${cidr} overlaps 10.0.0.0/24, allocated to "node subnet of prod-weu-1" (allocation ${holder.id})`,
          path,
        ),
      );
    }
    expect(await listAllocations(space.id)).toEqual([holder]);
  });

  it.each([
    ['10.1.0.0/24', "10.1.0.0/24 is not inside the space's 10.0.0.0/22, fd00::/56"],
    ['10.0.0.0/21', "10.0.0.0/21 is not inside the space's 10.0.0.0/22, fd00::/56"],
    ['fd01::/64', "fd01::/64 is not inside the space's 10.0.0.0/22, fd00::/56"],
  ])('422 CIDR_OUTSIDE_SPACE for %s', async (cidr, detail) => {
    const space = await createSpace('corp', ['10.0.0.0/22', 'fd00::/56']);

    expectProblem(
      await allocate(space.id, { cidr, purpose: 'x' }),
      problem(422, 'CIDR_OUTSIDE_SPACE', detail, `/v1/spaces/${space.id}/allocations`, [
        { path: 'cidr', message: detail, code: 'CIDR_OUTSIDE_SPACE' },
      ]),
    );
    expect(await listAllocations(space.id)).toEqual([]);
  });

  it.each([
    ['CIDR_HOST_BITS_SET', '10.0.0.1/24', '"10.0.0.1/24" has host bits set; did you mean 10.0.0.0/24?'],
    ['CIDR_INVALID', '10.0.0.0', '"10.0.0.0" is not a valid CIDR: expected address/prefix-length'],
  ])('422 %s for a claimed CIDR that does not parse: %s', async (code, cidr, detail) => {
    const space = await createSpace('corp', ['10.0.0.0/22']);

    expectProblem(
      await allocate(space.id, { cidr, purpose: 'x' }),
      problem(422, code, detail, `/v1/spaces/${space.id}/allocations`, [
        { path: 'cidr', message: detail, code },
      ]),
    );
  });

  it.each([
    ['IPv4', ['10.0.0.0/22'], { prefixLength: 33 }, 33],
    ['IPv4, named', ['10.0.0.0/22', 'fd00::/56'], { prefixLength: 64, family: 'ipv4' }, 64],
  ] as const)(
    '422 PREFIX_LENGTH_INVALID: longer than the family width (%s)',
    async (_, cidrs, size, prefixLength) => {
      const space = await createSpace('corp', [...cidrs]);
      const detail = expect.stringMatching(new RegExp(`^/${prefixLength} `));

      expectProblem(
        await allocate(space.id, { ...size, purpose: 'x' }),
        problem(422, 'PREFIX_LENGTH_INVALID', detail, `/v1/spaces/${space.id}/allocations`, [
          { path: 'prefixLength', message: detail, code: 'PREFIX_LENGTH_INVALID' },
        ]),
      );
      expect(await listAllocations(space.id)).toEqual([]);
    },
  );

  it('reads a prefix length only IPv6 has as IPv6 in a dual space, as /available does', async () => {
    const space = await createSpace('dual', ['10.0.0.0/22', 'fd00::/56']);

    expect(await available(space.id, '?prefixLength=64')).toMatchObject({ prefixLength: 64, fitting: 256 });
    await allocated(space, { prefixLength: 64, purpose: 'v6' }, 'fd00::/64');
  });

  it('refuses addresses in IPv6 as the wrong family, and a /64 count in an IPv4-only space', async () => {
    const dual = await createSpace('dual', ['10.0.0.0/22', 'fd00::/56']);
    const v6 = await allocate(dual.id, { addresses: 100, family: 'ipv6', purpose: 'x' });
    expect([v6.status, v6.body.code, v6.body.errors?.[0]?.path]).toEqual([
      422,
      'ADDRESS_FAMILY_NOT_SUPPORTED',
      'addresses',
    ]);
    const v4 = await createSpace('v4', ['10.1.0.0/22']);
    const counted = await ctx.request.get(`/v1/spaces/${v4.id}/available?prefixLength=64`);
    expect([counted.status, counted.body.code]).toEqual([400, 'PREFIX_LENGTH_INVALID']);
  });

  it('grants the family width itself: a single address', async () => {
    const space = await createSpace('dual', ['10.0.0.0/22', 'fd00::/56']);

    await allocated(space, { prefixLength: 32, purpose: 'v4' }, '10.0.0.0/32');
    await allocated(space, { prefixLength: 128, family: 'ipv6', purpose: 'v6' }, 'fd00::/128');
    await allocated(space, { prefixLength: 32, purpose: 'v4' }, '10.0.0.1/32');
  });

  it('422 for a prefixLength beyond any family, refused by the body schema', async () => {
    const space = await createSpace('dual', ['10.0.0.0/22', 'fd00::/56']);

    const res = await allocate(space.id, { prefixLength: 129, family: 'ipv6', purpose: 'x' });

    expectProblem(
      res,
      problem(
        422,
        'VALUE_OUT_OF_RANGE',
        'prefixLength: Too big: expected number to be <=128',
        `/v1/spaces/${space.id}/allocations`,
        [
          {
            path: 'prefixLength',
            message: 'Too big: expected number to be <=128',
            code: 'VALUE_OUT_OF_RANGE',
          },
        ],
      ),
    );
    expect(await listAllocations(space.id)).toEqual([]);
  });

  it.each([
    [['10.0.0.0/22'], { prefixLength: 21 }, 'no free /21 is left; the largest free block is 10.0.0.0/22'],
    [
      ['10.0.0.0/24', '10.1.0.0/20'],
      { prefixLength: 19 },
      'no free /19 is left; the largest free block is 10.1.0.0/20',
    ],
    [
      ['10.0.0.0/8', 'fd00::/56'],
      { prefixLength: 48, family: 'ipv6' },
      'no free /48 is left; the largest free block is fd00::/56',
    ],
    [['10.0.0.0/24'], { addresses: 300 }, 'no free /23 is left; the largest free block is 10.0.0.0/24'],
  ])(
    '409 SPACE_EXHAUSTED for a block wider than every range of the space: %j, %j',
    async (cidrs, size, detail) => {
      const space = await createSpace('corp', cidrs);

      expectProblem(
        await allocate(space.id, { ...size, purpose: 'x' }),
        problem(409, 'SPACE_EXHAUSTED', detail, `/v1/spaces/${space.id}/allocations`),
      );
      expect(await listAllocations(space.id)).toEqual([]);
    },
  );

  it('404 SPACE_NOT_FOUND for an unknown space', async () => {
    expectProblem(
      await allocate('nope', { prefixLength: 24, purpose: 'x' }),
      problem(404, 'SPACE_NOT_FOUND', 'no space with id or name "nope"', '/v1/spaces/nope/allocations'),
    );
  });
});

describe('Idempotency-Key on POST /v1/spaces/{id}/allocations', () => {
  it('the same key and body answer the same 201 and body, and allocate once', async () => {
    const space = await createSpace('corp', ['10.0.0.0/22']);
    const body = { prefixLength: 24, purpose: 'nodes' };

    const first = await allocate(space.id, body, 'key-1');
    expectJson(first, 201);
    expect(first.body).toEqual(allocationBody(space.id, '10.0.0.0/24', 'nodes'));
    expect(first.headers['idempotent-replayed']).toBeUndefined();

    const again = await allocate(space.id, body, 'key-1');
    expectJson(again, 201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.location).toBe(first.headers.location);
    expect(again.headers['idempotent-replayed']).toBe('true');

    // Field order, and a default spelled out, do not make a different request.
    for (const same of [
      { purpose: 'nodes', prefixLength: 24 },
      { prefixLength: 24, family: 'ipv4', purpose: 'nodes' },
    ]) {
      const replay = await allocate(space.id, same, 'key-1');
      expectJson(replay, 201);
      expect(replay.body).toEqual(first.body);
      expect(replay.headers['idempotent-replayed']).toBe('true');
    }

    expect(await listAllocations(space.id)).toEqual([first.body]);
  });

  it('replays even when the space has since filled up', async () => {
    const space = await createSpace('corp', ['10.0.0.0/24']);
    const first = await allocate(space.id, { prefixLength: 24, purpose: 'all' }, 'key-1');
    expectJson(first, 201);

    const again = await allocate(space.id, { prefixLength: 24, purpose: 'all' }, 'key-1');

    expectJson(again, 201);
    expect(again.body).toEqual(first.body);
  });

  it('422 IDEMPOTENCY_KEY_REUSED for the same key with a different body; nothing more is allocated', async () => {
    const space = await createSpace('corp', ['10.0.0.0/22']);
    const first = await allocate(space.id, { prefixLength: 24, purpose: 'nodes' }, 'key-1');
    expectJson(first, 201);
    const path = `/v1/spaces/${space.id}/allocations`;
    const detail = 'Idempotency-Key "key-1" was used with a different request in the last 24 hours';

    for (const body of [
      { prefixLength: 25, purpose: 'nodes' },
      { prefixLength: 24, purpose: 'pods' },
      { cidr: '10.0.0.0/24', purpose: 'nodes' },
    ]) {
      expectProblem(
        await allocate(space.id, body, 'key-1'),
        problem(422, 'IDEMPOTENCY_KEY_REUSED', detail, path, [
          { path: 'Idempotency-Key', code: 'IDEMPOTENCY_KEY_REUSED', message: detail },
        ]),
      );
    }
    expect(await listAllocations(space.id)).toEqual([first.body]);

    // Another key is another request.
    const other = await allocate(space.id, { prefixLength: 24, purpose: 'nodes' }, 'key-2');
    expectJson(other, 201);
    expect(other.body).toEqual(allocationBody(space.id, '10.0.1.0/24', 'nodes'));
    expect(other.body.id).not.toBe(first.body.id);
  });

  it('remembers a key for 24 hours; once its allocation is released, 409 IDEMPOTENCY_KEY_RELEASED', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const space = await createSpace('corp', ['10.0.0.0/22']);
      const body = { prefixLength: 24, purpose: 'nodes' };
      const first = await allocate(space.id, body, 'key-1');
      expect((await ctx.request.delete(first.headers.location as string)).status).toBe(204);
      // Another caller now holds the block the key was answered.
      const taken = await allocate(space.id, { prefixLength: 24, purpose: 'theirs' });
      expect(taken.body.cidr).toBe(first.body.cidr);

      vi.advanceTimersByTime(23 * 60 * 60 * 1000);
      const replay = await allocate(space.id, body, 'key-1');
      const detail =
        'the allocation Idempotency-Key "key-1" made has been released since; send a new key to allocate again';
      expectProblem(
        replay,
        problem(409, 'IDEMPOTENCY_KEY_RELEASED', detail, `/v1/spaces/${space.id}/allocations`, [
          { path: 'Idempotency-Key', code: 'IDEMPOTENCY_KEY_RELEASED', message: detail },
        ]),
      );
      expect(await listAllocations(space.id)).toEqual([taken.body]);

      vi.advanceTimersByTime(2 * 60 * 60 * 1000);
      const fresh = await allocate(space.id, body, 'key-1');
      expectJson(fresh, 201);
      expect(fresh.body.id).not.toBe(first.body.id);
      expect(fresh.headers['idempotent-replayed']).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it('without a key, the same body twice allocates twice', async () => {
    const space = await createSpace('corp', ['10.0.0.0/22']);

    await allocated(space, { prefixLength: 24, purpose: 'nodes' }, '10.0.0.0/24');
    await allocated(space, { prefixLength: 24, purpose: 'nodes' }, '10.0.1.0/24');
  });

  it('keys belong to their caller across spaces: the same key in another space is another request, 422', async () => {
    const a = await createSpace('a', ['10.0.0.0/24']);
    const b = await createSpace('b', ['10.1.0.0/24']);

    const inA = await allocate(a.id, { prefixLength: 25, purpose: 'x' }, 'shared');
    const inB = await allocate(b.id, { prefixLength: 25, purpose: 'x' }, 'shared');

    expectJson(inA, 201);
    expect(inA.body).toEqual(allocationBody(a.id, '10.0.0.0/25', 'x'));
    // A pipeline retrying against the wrong space gets no second block.
    expect([inB.status, inB.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    expect(await listAllocations(b.id)).toEqual([]);
  });
});

describe('GET /v1/spaces/{id}/allocations', () => {
  it('lists nothing for a new space, and 404 for an unknown one', async () => {
    const space = await createSpace('corp', ['10.0.0.0/22']);

    const res = await ctx.request.get(`/v1/spaces/${space.id}/allocations`);
    expectJson(res, 200);
    expect(res.body).toEqual({ items: [], nextCursor: null });

    expectProblem(
      await ctx.request.get('/v1/spaces/nope/allocations'),
      problem(404, 'SPACE_NOT_FOUND', 'no space with id or name "nope"', '/v1/spaces/nope/allocations'),
    );
  });

  it("lists only the space's own allocations", async () => {
    const a = await createSpace('a', ['10.0.0.0/24']);
    const b = await createSpace('b', ['10.1.0.0/24']);
    const inA = await allocated(a, { prefixLength: 26, purpose: 'a' }, '10.0.0.0/26');
    const inB = await allocated(b, { prefixLength: 26, purpose: 'b' }, '10.1.0.0/26');

    expect(await listAllocations(a.id)).toEqual([inA]);
    expect(await listAllocations('b')).toEqual([inB]);
  });
});

describe('DELETE /v1/spaces/{id}/allocations/{allocationId}', () => {
  it('204, then the allocation is gone: 404 ALLOCATION_NOT_FOUND, and its block is allocatable again', async () => {
    const space = await createSpace('corp', ['10.0.0.0/22']);
    const first = await allocated(space, { prefixLength: 24, purpose: 'a' }, '10.0.0.0/24');
    const second = await allocated(space, { prefixLength: 24, purpose: 'b' }, '10.0.1.0/24');
    const path = `/v1/spaces/${space.id}/allocations/${first.id}`;

    const res = await ctx.request.delete(path);

    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(await listAllocations(space.id)).toEqual([second]);
    expect(await available(space.id, '?prefixLength=24')).toEqual({
      spaceId: space.id,
      free: ['10.0.0.0/24', '10.0.2.0/23'],
      freeCount: 2,
      prefixLength: 24,
      fitting: 3,
      utilization: [{ family: 'ipv4', total: 1024, allocated: 256, free: 768, utilization: 0.25 }],
    });
    expectProblem(
      await ctx.request.delete(path),
      problem(404, 'ALLOCATION_NOT_FOUND', `no allocation ${first.id} in space ${space.id}`, path),
    );

    const again = await allocated(space, { prefixLength: 24, purpose: 'c' }, '10.0.0.0/24');
    expect(again.id).not.toBe(first.id);
    await allocated(space, { cidr: '10.0.2.0/24', purpose: 'd' }, '10.0.2.0/24');
    expect(await allocatedCidrs(space.id)).toEqual(['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24']);
  });

  it('a released claimed block can be claimed again', async () => {
    const space = await createSpace('corp', ['10.0.0.0/22']);
    const claimed = await allocated(space, { cidr: '10.0.1.0/24', purpose: 'a' }, '10.0.1.0/24');

    expect((await ctx.request.delete(`/v1/spaces/corp/allocations/${claimed.id}`)).status).toBe(204);

    await allocated(space, { cidr: '10.0.1.0/24', purpose: 'b' }, '10.0.1.0/24');
  });

  it('404 ALLOCATION_NOT_FOUND for an unknown id and for an allocation of another space', async () => {
    const a = await createSpace('a', ['10.0.0.0/24']);
    const b = await createSpace('b', ['10.1.0.0/24']);
    const inB = await allocated(b, { prefixLength: 25, purpose: 'b' }, '10.1.0.0/25');

    const wrongSpace = `/v1/spaces/${a.id}/allocations/${inB.id}`;
    expectProblem(
      await ctx.request.delete(wrongSpace),
      problem(404, 'ALLOCATION_NOT_FOUND', `no allocation ${inB.id} in space ${a.id}`, wrongSpace),
    );
    const unknown = `/v1/spaces/${a.id}/allocations/nope`;
    expectProblem(
      await ctx.request.delete(unknown),
      problem(404, 'ALLOCATION_NOT_FOUND', `no allocation nope in space ${a.id}`, unknown),
    );
    expect(await listAllocations(b.id)).toEqual([inB]);
  });

  it('404 SPACE_NOT_FOUND for an unknown space', async () => {
    expectProblem(
      await ctx.request.delete('/v1/spaces/nope/allocations/x'),
      problem(404, 'SPACE_NOT_FOUND', 'no space with id or name "nope"', '/v1/spaces/nope/allocations/x'),
    );
  });
});
