import { describe, expect, it } from 'vitest';
import { createPlan, useTestApp } from './support/app.js';
import { answer, exampleDesign, smallDesign } from './support/designs.js';
import { expectProblem, problem } from './support/problems.js';

const ctx = useTestApp();

const create = async (body: object): Promise<string> => (await createPlan(ctx.request, body)).id;

/**
 * The api.md example in 10.240.0.0/24: Azure keeps .0-.3 and .255; 5 max + 1 surge = 6 slots
 * of 31 from .4 (node IPs .4, .35, .66, .97, .128, .159); then load balancers .190 and .191,
 * the private endpoint .192, and .193-.254 unassigned.
 */
async function lookup(ip: string) {
  const res = await ctx.request.get('/v1/lookup').query({ ip });
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  return res.body;
}

describe('GET /v1/lookup', () => {
  it('names the roles of addresses in the node subnet and the service CIDR', async () => {
    const planId = await create(exampleDesign());
    const planName = 'prod-weu-1';
    const subnet = '10.240.0.0/24';
    const service = '10.0.0.0/16';
    const inNode = (role: string, nodeIndex: number, nodeIp: string) => ({
      planId,
      planName,
      role,
      pool: 'system',
      nodeIndex,
      nodeIp,
      source: 'predicted',
      range: subnet,
    });
    const other = (role: string, range = subnet) => ({ planId, planName, role, range });

    const cases: [string, object[]][] = [
      ['10.240.0.8', [inNode('pod', 0, '10.240.0.4')]],
      ['10.240.0.4', [inNode('node', 0, '10.240.0.4')]],
      ['10.240.0.35', [inNode('node', 1, '10.240.0.35')]],
      ['10.240.0.34', [inNode('pod', 0, '10.240.0.4')]],
      // Creation order: 3 current nodes, then 2 load balancers and 1 private endpoint, then growth and surge.
      ['10.240.0.97', [other('load-balancer')]],
      ['10.240.0.98', [other('load-balancer')]],
      ['10.240.0.99', [other('private-endpoint')]],
      ['10.240.0.100', [inNode('node', 3, '10.240.0.100')]],
      ['10.240.0.162', [inNode('node', 5, '10.240.0.162')]],
      ['10.240.0.192', [inNode('pod', 5, '10.240.0.162')]],
      ['10.240.0.0', [other('azure-reserved')]],
      ['10.240.0.3', [other('azure-reserved')]],
      ['10.240.0.255', [other('azure-reserved')]],
      ['10.240.0.193', [other('unassigned')]],
      ['10.240.0.254', [other('unassigned')]],
      ['10.0.0.1', [other('kubernetes-api-service', service)]],
      ['10.0.0.10', [other('dns-service', service)]],
      ['10.0.5.5', [other('service', service)]],
    ];
    for (const [ip, matches] of cases) {
      expect({ ip, body: await lookup(ip) }).toEqual({ ip, body: answer(ip, matches) });
    }
  });

  it('answers an IPv4-mapped IPv6 address (as dual-stack sockets log IPv4 peers) as the IPv4 address', async () => {
    await create(exampleDesign());
    const node = await lookup('10.240.0.35');
    for (const mapped of ['::ffff:10.240.0.35', '::FFFF:af0:23', '0:0:0:0:0:ffff:0af0:0023']) {
      expect({ mapped, body: await lookup(mapped) }).toEqual({ mapped, body: node });
    }
    const batch = await ctx.request.post('/v1/lookup').send({ ips: ['::ffff:10.240.0.35', '10.240.0.35'] });
    expect(batch.body.results[0]).toEqual(batch.body.results[1]);
    // Other IPv6 text with a dotted tail is IPv6; a bad dotted tail is no address.
    expect((await lookup('64:ff9b::10.240.0.35')).ip).toBe('64:ff9b::af0:23');
    const bad = await ctx.request.get('/v1/lookup').query({ ip: '::ffff:10.240.0.256' });
    expect([bad.status, bad.body.code]).toEqual([400, 'IP_INVALID']);
    expect(bad.body.detail).toBe(
      '"::ffff:10.240.0.256" is not a valid IPv6 address: its IPv4 part "10.240.0.256" is not valid: octet 256 is out of range 0-255',
    );
  });

  it('answers an empty match list, not a 404, for an address in no plan', async () => {
    await create(exampleDesign());

    expect(await lookup('192.168.1.1')).toEqual(answer('192.168.1.1', []));
    // Inside the VNet but outside every range the plan occupies.
    expect(await lookup('10.240.1.1')).toEqual(answer('10.240.1.1', []));
  });

  it('answers an empty match list when no plan exists at all', async () => {
    expect(await lookup('10.0.0.10')).toEqual(answer('10.0.0.10', []));
  });

  it('matches every plan sharing the default service CIDR at 10.0.0.10', async () => {
    const a = await create(smallDesign('plan-a', '10.1.0.0/24'));
    const b = await create(smallDesign('plan-b', '10.2.0.0/24'));

    const body = await lookup('10.0.0.10');

    const byName = (x: { planName: string }, y: { planName: string }) => x.planName.localeCompare(y.planName);
    expect({ ...body, matches: [...body.matches].sort(byName) }).toEqual(
      answer('10.0.0.10', [
        { planId: a, planName: 'plan-a', role: 'dns-service', range: '10.0.0.0/16' },
        { planId: b, planName: 'plan-b', role: 'dns-service', range: '10.0.0.0/16' },
      ]),
    );
  });

  it('answers with the address in canonical form (IPv6 lowercased and compressed)', async () => {
    expect(await lookup('2001:DB8:0:0:0:0:0:1')).toEqual(answer('2001:db8::1', []));
  });

  it('refuses an invalid address: 400 IP_INVALID problem+json naming ip', async () => {
    const res = await ctx.request.get('/v1/lookup?ip=10.0.0.256');

    const message = '"10.0.0.256" is not a valid IPv4 address: octet 256 is out of range 0-255';
    expectProblem(
      res,
      problem(400, 'IP_INVALID', message, '/v1/lookup?ip=10.0.0.256', [
        { path: 'ip', code: 'IP_INVALID', message },
      ]),
    );
  });

  it('refuses non-canonical text: a leading zero and a CIDR are not addresses', async () => {
    for (const ip of ['010.0.0.1', '10.0.0.0/24']) {
      const res = await ctx.request.get('/v1/lookup').query({ ip });
      expectProblem(
        res,
        problem(400, 'IP_INVALID', expect.any(String), `/v1/lookup?ip=${encodeURIComponent(ip)}`, [
          { path: 'ip', code: 'IP_INVALID', message: expect.stringContaining(`"${ip}"`) },
        ]),
      );
    }
  });

  it('requires ?ip: 400 FIELD_REQUIRED', async () => {
    const res = await ctx.request.get('/v1/lookup');

    expectProblem(
      res,
      problem(400, 'FIELD_REQUIRED', expect.stringMatching(/^ip: /), '/v1/lookup', [
        { path: 'ip', code: 'FIELD_REQUIRED', message: expect.any(String) },
      ]),
    );
  });
});

describe('a slot that does not fit', () => {
  const roles = async (ips: string[]) =>
    (await ctx.request.post('/v1/lookup').send({ ips })).body.results.map(
      (r: { matches: { role: string; nodeIndex?: number }[] }) => r.matches.map((m) => [m.role, m.nodeIndex]),
    );

  it('is no node at any of its addresses: its node IP as much as its pod CIDR', async () => {
    // 2 nodes, max 3, surge 1: 4 slots. The IPv6 pod CIDR /79 holds two /80s: slots 2 and 3 do not fit.
    const id = await create({
      name: 'short-v6',
      network: {
        plugin: 'azure-cni-overlay',
        ipFamilies: ['ipv4', 'ipv6'],
        nodeSubnet: '10.61.0.0/24',
        podCidrs: ['10.253.0.0/16', 'fd00:1::/79'],
        serviceCidrs: ['10.106.0.0/16', 'fd00:2::/108'],
        dnsServiceIp: '10.106.0.10',
      },
      nodePools: [{ name: 'a', nodeCount: 2, maxCount: 3, maxSurge: 1 }],
    });
    const slots = (await ctx.request.get(`/v1/plans/${id}/nodes`)).body.items;
    expect(slots.map((s: { fits: boolean; nodeIp: string }) => [s.nodeIp, s.fits])).toEqual([
      ['10.61.0.4', true],
      ['10.61.0.5', true],
      ['10.61.0.6', false],
      ['10.61.0.7', false],
    ]);
    expect(await roles(['10.61.0.5', '10.253.1.9', '10.61.0.6', '10.253.2.1', '10.61.0.7'])).toEqual([
      [['node', 1]],
      [['pod', 1]],
      [['unassigned', undefined]],
      [['unassigned', undefined]],
      [['unassigned', undefined]],
    ]);
    const single = await ctx.request.get('/v1/lookup').query({ ip: '10.61.0.6' });
    expect(single.body.matches.map((m: { role: string }) => m.role)).toEqual(['unassigned']);
  });

  it('has no node IP in a static-block plan whose blocks ran out', async () => {
    // maxPods 250 takes 16 /28 blocks a node; a /24 pod subnet holds 14 (its first and last are Azure's).
    await create({
      name: 'no-blocks',
      network: {
        plugin: 'azure-cni-pod-subnet',
        podIpAllocation: 'static-block',
        nodeSubnet: '10.91.0.0/24',
        podSubnet: '10.92.0.0/24',
      },
      nodePools: [{ name: 'a', nodeCount: 2, maxPods: 250, maxSurge: 0 }],
    });
    expect(await roles(['10.91.0.4', '10.91.0.5', '10.92.0.20'])).toEqual([
      [['unassigned', undefined]],
      [['unassigned', undefined]],
      [['unassigned', undefined]],
    ]);
  });
});

describe('POST /v1/lookup', () => {
  it('answers several addresses in input order, duplicates included', async () => {
    const planId = await create(exampleDesign());
    const planName = 'prod-weu-1';

    const res = await ctx.request
      .post('/v1/lookup')
      .send({ ips: ['10.0.0.10', '192.168.1.1', '10.240.0.4', '10.240.0.98', '10.0.0.10'] });

    const dns = { planId, planName, role: 'dns-service', range: '10.0.0.0/16' };
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      results: [
        answer('10.0.0.10', [dns]),
        answer('192.168.1.1', []),
        answer('10.240.0.4', [
          {
            planId,
            planName,
            role: 'node',
            source: 'predicted',
            pool: 'system',
            nodeIndex: 0,
            nodeIp: '10.240.0.4',
            range: '10.240.0.0/24',
          },
        ]),
        answer('10.240.0.98', [{ planId, planName, role: 'load-balancer', range: '10.240.0.0/24' }]),
        answer('10.0.0.10', [dns]),
      ],
    });
  });

  it('answers exactly 10,000 addresses', async () => {
    await create(exampleDesign());
    const ips = Array.from({ length: 10_000 }, (_, i) => `10.240.${(i >> 8) & 255}.${i & 255}`);

    const res = await ctx.request.post('/v1/lookup').send({ ips });

    expect(res.status).toBe(200);
    expect(res.body.results).toHaveLength(10_000);
    expect(res.body.results.map((r: { ip: string }) => r.ip)).toEqual(ips);
    expect(res.body.results[8]).toEqual(
      answer('10.240.0.8', [
        {
          planId: expect.any(String),
          planName: 'prod-weu-1',
          role: 'pod',
          source: 'predicted',
          pool: 'system',
          nodeIndex: 0,
          nodeIp: '10.240.0.4',
          range: '10.240.0.0/24',
        },
      ]),
    );
    expect(res.body.results[9_999]).toEqual(answer('10.240.39.15', []));
  });

  it('refuses invalid entries: 422 IP_INVALID (a body error, like every other) naming each ips[i]', async () => {
    const res = await ctx.request
      .post('/v1/lookup')
      .send({ ips: ['10.240.0.4', 'not-an-ip', '10.1.2.3/24'] });

    const first = '"not-an-ip" is not a valid IPv4 address: expected 4 dot-separated octets, found 1';
    expectProblem(
      res,
      problem(422, 'IP_INVALID', first, '/v1/lookup', [
        { path: 'ips[1]', code: 'IP_INVALID', message: first },
        { path: 'ips[2]', code: 'IP_INVALID', message: expect.stringContaining('"10.1.2.3/24"') },
      ]),
    );
  });

  it('names bad addresses far into a batch at their own index, the first one as the detail', async () => {
    const ips = Array.from({ length: 10_000 }, (_, i) => `fd00::${i.toString(16)}`);
    ips[1_234] = 'fd00::g';
    ips[9_999] = '10.0.0.256';

    const res = await ctx.request.post('/v1/lookup').send({ ips });

    expect([res.status, res.body.detail]).toEqual([422, res.body.errors[0].message]);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['ips[1234]', 'ips[9999]']);
  });

  it('refuses more than 10,000 addresses: 422', async () => {
    const ips = Array.from({ length: 10_001 }, () => '10.0.0.1');

    const res = await ctx.request.post('/v1/lookup').send({ ips });

    expectProblem(
      res,
      problem(422, 'VALUE_OUT_OF_RANGE', expect.stringMatching(/^ips: /), '/v1/lookup', [
        { path: 'ips', code: 'VALUE_OUT_OF_RANGE', message: expect.any(String) },
      ]),
    );
  });

  it('refuses an empty list and a body without ips: 422', async () => {
    expectProblem(
      await ctx.request.post('/v1/lookup').send({ ips: [] }),
      problem(422, 'VALUE_OUT_OF_RANGE', expect.stringMatching(/^ips: /), '/v1/lookup', [
        { path: 'ips', code: 'VALUE_OUT_OF_RANGE', message: expect.any(String) },
      ]),
    );
    expectProblem(
      await ctx.request.post('/v1/lookup').send({}),
      problem(422, 'FIELD_REQUIRED', expect.stringMatching(/^ips: /), '/v1/lookup', [
        { path: 'ips', code: 'FIELD_REQUIRED', message: expect.any(String) },
      ]),
    );
  });
});
