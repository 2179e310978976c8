/**
 * The egress walkthrough's UDR lab as a story over HTTP: VNet 10.42.0.0/16, AKS subnet
 * 10.42.1.0/24, AzureFirewallSubnet 10.42.2.0/24, userDefinedRouting, 3 nodes.
 */
import { describe, expect, it } from 'vitest';
import { createPlan, useTestApp } from './support/app.js';

const ctx = useTestApp();

const lab = (name: string, nodeSubnet: string, extra: object = {}) => ({
  name,
  network: { plugin: 'azure-cni-overlay', vnetAddressSpace: ['10.42.0.0/16'], nodeSubnet },
  nodePools: [{ name: 'system', nodeCount: 3 }],
  platformSubnets: [{ role: 'azure-firewall', cidr: '10.42.2.0/24' }, { role: 'bastion' }],
  outbound: { type: 'userDefinedRouting' },
  ...extra,
});

describe('the VNet around a cluster', () => {
  it('routes egress to the firewall at 10.42.2.4, and a lookup of 10.42.2.4 names the firewall', async () => {
    await createPlan(ctx.request, lab('udr-lab', '10.42.1.0/24'));

    const vnet = await ctx.request.get('/v1/plans/udr-lab/vnet');
    expect(vnet.status).toBe(200);
    expect(vnet.body.firewallPrivateIp).toBe('10.42.2.4');
    expect(vnet.body.routeTables).toEqual([
      {
        name: 'udr-lab-routes',
        subnets: ['10.42.1.0/24'],
        routes: [
          {
            name: 'default-to-firewall',
            addressPrefix: '0.0.0.0/0',
            nextHopType: 'VirtualAppliance',
            nextHopIp: '10.42.2.4',
          },
        ],
      },
    ]);
    expect(vnet.body.subnets.map((s: { name: string; cidr: string }) => [s.name, s.cidr])).toEqual([
      ['aks-nodes', '10.42.1.0/24'],
      ['AzureFirewallSubnet', '10.42.2.0/24'],
      ['AzureBastionSubnet', '10.42.3.0/26'],
    ]);

    const firewall = await ctx.request.get('/v1/lookup?ip=10.42.2.4');
    expect(firewall.body.matches).toEqual([
      {
        planId: expect.any(String),
        planName: 'udr-lab',
        role: 'firewall',
        range: '10.42.2.0/24',
        name: 'AzureFirewallSubnet',
        subnetRole: 'azure-firewall',
      },
    ]);
    const bastion = await ctx.request.post('/v1/lookup').send({ ips: ['10.42.3.10', '10.42.3.0'] });
    expect(
      bastion.body.results.map((r: { matches: { role: string; name: string }[] }) =>
        r.matches.map((m) => [m.role, m.name]),
      ),
    ).toEqual([[['platform-subnet', 'AzureBastionSubnet']], [['azure-reserved', 'AzureBastionSubnet']]]);
  });

  it("answers a stored plan's internal load balancer frontends in their own subnet", async () => {
    await createPlan(ctx.request, {
      ...lab('ilb-lab', '10.42.1.0/24'),
      platformSubnets: [{ role: 'internal-load-balancers', name: 'ilb', prefixLength: 28 }],
      outbound: { type: 'loadBalancer' },
      reservations: { internalLoadBalancers: 2 },
    });
    const vnet = await ctx.request.get('/v1/plans/ilb-lab/vnet');
    expect(vnet.body.subnets[1]).toMatchObject({
      name: 'ilb',
      role: 'internal-load-balancers',
      cidr: '10.42.2.0/28',
      holds: '2 internal load balancer frontends',
    });
    const found = await ctx.request.post('/v1/lookup').send({ ips: ['10.42.2.5', '10.42.2.6'] });
    expect(
      found.body.results.map((r: { matches: { role: string; name: string }[] }) =>
        r.matches.map((m) => [m.role, m.name]),
      ),
    ).toEqual([[['load-balancer', 'ilb']], [['platform-subnet', 'ilb']]]);
  });

  it('warns on the replacement that moves reservations to another subnet, and only there', async () => {
    const design = (platformSubnets: object[]) => ({
      ...lab('moving', '10.42.1.0/24'),
      platformSubnets,
      outbound: { type: 'loadBalancer' },
      reservations: { internalLoadBalancers: 2, privateEndpoints: 1 },
    });
    const moves = (res: { body: { warnings: { code: string; message: string }[] } }) =>
      res.body.warnings.filter((w) => w.code === 'RESERVATIONS_MOVED').map((w) => w.message);
    const created = await ctx.request.post('/v1/plans').send(design([]));
    expect(moves(created)).toEqual([]);

    const ilb = { role: 'internal-load-balancers', name: 'ilb', cidr: '10.42.2.0/28' };
    const added = await ctx.request
      .put('/v1/plans/moving')
      .set('If-Match', String(created.headers.etag))
      .send(design([ilb]));
    expect(added.status).toBe(200);
    expect(moves(added)).toEqual([
      "internal load balancer frontends are planned in subnet ilb (10.42.2.0/28) now, not in the first pool's node subnet 10.42.1.0/24: those that exist stay there, taking addresses the plan no longer counts, until their Services are annotated service.beta.kubernetes.io/azure-load-balancer-internal-subnet: ilb",
    ]);
    // The plan as read again is consistent: the move is said on the answer that made it.
    expect(moves(await ctx.request.get('/v1/plans/moving'))).toEqual([]);

    // A subnet of the role listed before the holder takes them; private endpoints stay put.
    const first = { role: 'internal-load-balancers', name: 'ilb-new', cidr: '10.42.3.0/28' };
    const pe = { role: 'private-endpoints', name: 'pe', cidr: '10.42.4.0/28' };
    const again = await ctx.request
      .put('/v1/plans/moving')
      .set('If-Match', String(added.headers.etag))
      .send(design([first, ilb]));
    expect(moves(again)).toEqual([
      expect.stringContaining(
        'planned in subnet ilb-new (10.42.3.0/28) now, not in subnet ilb (10.42.2.0/28)',
      ),
    ]);
    const unmoved = await ctx.request
      .put('/v1/plans/moving')
      .set('If-Match', String(again.headers.etag))
      .send(design([first, ilb, { role: 'other', name: 'x', cidr: '10.42.5.0/28' }]));
    expect([unmoved.status, moves(unmoved)]).toEqual([200, []]);
    const endpoints = await ctx.request
      .put('/v1/plans/moving')
      .set('If-Match', String(unmoved.headers.etag))
      .send(design([first, ilb, pe]));
    expect(moves(endpoints)).toEqual([
      expect.stringMatching(
        /^private endpoints are planned in subnet pe .* until each is moved to subnet pe/,
      ),
    ]);
    const back = await ctx.request
      .put('/v1/plans/moving')
      .set('If-Match', String(endpoints.headers.etag))
      .send(design([ilb, pe]));
    expect(moves(back)).toEqual([expect.stringContaining('not in subnet ilb-new (10.42.3.0/28)')]);
    const dropped = await ctx.request
      .put('/v1/plans/moving')
      .set('If-Match', String(back.headers.etag))
      .send(design([pe]));
    expect(moves(dropped)).toEqual([
      expect.stringContaining(
        'until their Services drop the annotation service.beta.kubernetes.io/azure-load-balancer-internal-subnet',
      ),
    ]);
  });

  it('sees clusters sharing a platform subnet take more than it has: SHARED_PLATFORM_SUBNET_FULL', async () => {
    const sharing = (name: string, nodeSubnet: string, platformSubnets: object[], reservations = {}) =>
      createPlan(ctx.request, {
        ...lab(name, nodeSubnet),
        platformSubnets,
        outbound: { type: 'loadBalancer' },
        reservations,
      });
    const apiServer = { role: 'api-server', cidr: '10.42.9.0/27' };
    const endpoints = { role: 'private-endpoints', name: 'pe', cidr: '10.42.10.0/28' };
    // Three API servers in a /27 (27 usable, AKS reserves 9 each), private endpoints 6 + 5 in a /28.
    await sharing('one', '10.42.1.0/24', [apiServer, endpoints], { privateEndpoints: 6 });
    await sharing('two', '10.42.2.0/24', [apiServer, endpoints], { privateEndpoints: 5 });
    await sharing('three', '10.42.3.0/24', [apiServer]);
    expect((await ctx.request.get('/v1/conflicts')).body.items).toEqual([]);

    await sharing('four', '10.42.4.0/24', [apiServer, endpoints], { privateEndpoints: 1 });
    const conflicts = await ctx.request.get('/v1/conflicts');
    expect(
      conflicts.body.items.map((c: { code: string; message: string; sides: { holderCount: number }[] }) => [
        c.code,
        c.message.split(':')[0],
        c.sides.map((side) => side.holderCount),
      ]),
    ).toEqual([
      [
        'SHARED_PLATFORM_SUBNET_FULL',
        'platform-subnet 10.42.9.0/27 is shared by 4 plans taking 36 addresses of its 27 usable',
        [4],
      ],
      [
        'SHARED_PLATFORM_SUBNET_FULL',
        'platform-subnet 10.42.10.0/28 is shared by 3 plans taking 12 addresses of its 11 usable',
        [3],
      ],
    ]);
  });

  it('lets two clusters of one VNet share its platform subnets, and names overlapping ones', async () => {
    await createPlan(ctx.request, lab('east', '10.42.1.0/24'));
    await createPlan(
      ctx.request,
      lab('west', '10.42.4.0/24', { platformSubnets: [{ role: 'azure-firewall', cidr: '10.42.2.0/24' }] }),
    );
    const shared = await ctx.request.get('/v1/conflicts');
    expect(shared.body.items).toEqual([]);

    await createPlan(ctx.request, {
      ...lab('north', '10.42.5.0/24'),
      platformSubnets: [{ role: 'bastion', cidr: '10.42.2.0/26' }],
    });
    const conflicts = await ctx.request.get('/v1/conflicts');
    expect(conflicts.body.items.map((c: { code: string }) => c.code)).toEqual(['SUBNETS_OVERLAP']);

    await createPlan(ctx.request, {
      ...lab('south', '10.42.6.0/24'),
      platformSubnets: [{ role: 'other', name: 'hub-firewall', cidr: '10.42.2.0/24' }],
    });
    const renamed = await ctx.request.get('/v1/conflicts');
    expect(renamed.body.items.map((c: { code: string }) => c.code)).toContain('PLATFORM_SUBNET_NAMES_DIFFER');
  });

  it('keeps a placed firewall subnet where it was when a replacement adds a larger subnet first', async () => {
    const firewall = { role: 'azure-firewall' };
    const design = (platformSubnets: object[]) => ({ ...lab('kept', '10.42.1.0/24'), platformSubnets });
    const created = await createPlan(ctx.request, design([firewall]));
    const placed = async () =>
      (await ctx.request.get('/v1/plans/kept/vnet')).body.subnets.map((s: { name: string; cidr: string }) => [
        s.name,
        s.cidr,
      ]);
    expect(await placed()).toContainEqual(['AzureFirewallSubnet', '10.42.2.0/26']);
    const grown = design([{ role: 'application-gateway', prefixLength: 24 }, firewall]);

    const res = await ctx.request.put(`/v1/plans/${created.id}`).set('If-Match', '"1"').send(grown);

    expect(res.status).toBe(200);
    // Both written where they are: the kept one, and the new one placed around it.
    expect(res.body.changes).toEqual([
      {
        path: 'platformSubnets[0]',
        from: null,
        to: {
          role: 'application-gateway',
          name: 'application-gateway',
          prefixLength: 24,
          cidr: '10.42.3.0/24',
        },
      },
      { path: 'platformSubnets[1].cidr', from: null, to: '10.42.2.0/26' },
    ]);
    expect(await placed()).toEqual(
      expect.arrayContaining([
        ['AzureFirewallSubnet', '10.42.2.0/26'],
        ['application-gateway', '10.42.3.0/24'],
      ]),
    );
    expect((await ctx.request.get('/v1/plans/kept/vnet')).body.firewallPrivateIp).toBe('10.42.2.4');
    // The same replacement again changes nothing: the revision stays.
    const again = await ctx.request.put(`/v1/plans/${created.id}`).set('If-Match', '"2"').send(grown);
    expect([again.status, again.body.revision, again.body.changes]).toEqual([200, 2, []]);
    // A pool's subnet given where the firewall is: refused, saying why the firewall is there.
    const onIt = await ctx.request
      .put(`/v1/plans/${created.id}`)
      .set('If-Match', '"2"')
      .send({
        ...design([firewall]),
        nodePools: [{ name: 'system', nodeCount: 3, nodeSubnet: '10.42.2.0/25' }],
      });
    expect(onIt.status).toBe(422);
    expect(onIt.body.errors.map((e: { message: string }) => e.message)).toContainEqual(
      expect.stringContaining(
        '(10.42.2.0/26 is where the plan had this subnet, kept there as Azure keeps a created subnet: give it a cidr to move it)',
      ),
    );
  });

  it('refuses a firewall subnet below /26, naming the role, the size given and the minimum', async () => {
    const res = await ctx.request
      .post('/v1/plans')
      .send(
        lab('small', '10.42.1.0/24', { platformSubnets: [{ role: 'azure-firewall', cidr: '10.42.2.0/27' }] }),
      );
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toEqual([
      {
        code: 'PLATFORM_SUBNET_TOO_SMALL',
        path: 'platformSubnets[0].cidr',
        message: 'a azure-firewall subnet must be at least a /26; /27 was given',
      },
    ]);
  });

  it('answers vnet in a calculation too, with a subnet that found no room', async () => {
    /** A /22 VNet with the firewall beside the cluster's /24, and more subnets to place. */
    const inSlash22 = (name: string, more: object[]) =>
      ctx.request.post('/v1/calculations').send({
        ...lab(name, '10.42.1.0/24'),
        network: {
          plugin: 'azure-cni-overlay',
          vnetAddressSpace: ['10.42.0.0/22'],
          nodeSubnet: '10.42.1.0/24',
        },
        platformSubnets: [{ role: 'azure-firewall', cidr: '10.42.2.0/24' }, ...more],
      });
    const res = await inSlash22('tight', [{ role: 'application-gateway' }, { role: 'bastion' }]);
    expect(res.status).toBe(200);
    expect(res.body.vnet.subnets.map((s: { name: string; cidr: string | null }) => [s.name, s.cidr])).toEqual(
      [
        ['aks-nodes', '10.42.1.0/24'],
        ['AzureFirewallSubnet', '10.42.2.0/24'],
        ['application-gateway', '10.42.3.0/24'],
        ['AzureBastionSubnet', '10.42.0.0/26'],
      ],
    );
    const full = await inSlash22('full', [
      { role: 'application-gateway' },
      { role: 'other', name: 'tools', prefixLength: 24 },
      { role: 'bastion' },
    ]);
    expect(full.body.vnet.verdict).toBe('exhausted');
    expect(full.body.vnet.missingAddresses).toBe(64);
    expect(full.body.capacity.verdict).toBe('exhausted');
  });
});
