/**
 * Platform subnets (aks-networking.md section 7): fixed names, minimum sizes, defaults,
 * placement inside the VNet, lookups, and where Azure puts private endpoints and the API server.
 */
import { describe, expect, it } from 'vitest';
import type { PlanInput, PlatformSubnetInput } from '../../../src/domain/design/spec.js';
import { IpAddress } from '../../../src/domain/ip/index.js';
import { planDesign } from '../../../src/domain/plan/planner.js';
import { expectOnlyProblem } from '../helpers.js';

/** The egress walkthrough's UDR lab: VNet 10.42.0.0/16, the AKS subnet 10.42.1.0/24, 3 nodes. */
function lab(platformSubnets: PlatformSubnetInput[], extra: Partial<PlanInput> = {}): PlanInput {
  return {
    name: 'udr-lab',
    network: {
      plugin: 'azure-cni-node-subnet',
      vnetAddressSpace: ['10.42.0.0/16'],
      nodeSubnet: '10.42.1.0/24',
    },
    nodePools: [{ name: 'system', nodeCount: 3 }],
    platformSubnets,
    ...extra,
  };
}

const lookup = (input: PlanInput, ip: string) => planDesign(input).model.lookup(IpAddress.parse(ip));

describe('the UDR lab: egress through Azure Firewall', () => {
  const input = lab([{ role: 'azure-firewall', cidr: '10.42.2.0/24' }], {
    outbound: { type: 'userDefinedRouting' },
  });

  it('routes 0.0.0.0/0 to the firewall at the first usable address of AzureFirewallSubnet', () => {
    const vnet = planDesign(input).model.vnet();
    expect(vnet.firewallPrivateIp).toBe('10.42.2.4');
    expect(vnet.routeTables).toHaveLength(1);
    const [table] = vnet.routeTables;
    expect(table?.subnets.map(String)).toEqual(['10.42.1.0/24']);
    expect(
      table?.routes.map((r) => [r.name, String(r.addressPrefix), r.nextHopType, r.nextHopIp?.toString()]),
    ).toEqual([['default-to-firewall', '0.0.0.0/0', 'VirtualAppliance', '10.42.2.4']]);
    expect(vnet.firewallRules.map((r) => r.name)).toEqual([
      'aks-fqdn-tag',
      'aks-tunnel-udp',
      'aks-tunnel-tcp',
      'aks-ntp',
    ]);
    // A private cluster reaches its API server in the VNet: no tunnel to a public endpoint.
    const privateCluster = planDesign({ ...input, network: { ...input.network, privateCluster: true } });
    expect(privateCluster.model.vnet().firewallRules.map((r) => r.name)).toEqual(['aks-fqdn-tag', 'aks-ntp']);
  });

  it('lists no firewall rules when the design names no firewall: no AzureFirewallSubnet, no firewallPrivateIp', () => {
    const vnet = planDesign(lab([], { outbound: { type: 'userDefinedRouting' } })).model.vnet();
    expect([vnet.firewallPrivateIp, vnet.firewallRules]).toEqual([null, []]);
  });

  it('answers 10.42.2.4 as the firewall, the rest of its subnet by name, and Azure reserved addresses', () => {
    expect(lookup(input, '10.42.2.4')).toEqual([
      {
        role: 'firewall',
        kind: 'platform-subnet',
        range: expect.anything(),
        name: 'AzureFirewallSubnet',
        subnetRole: 'azure-firewall',
      },
    ]);
    expect(lookup(input, '10.42.2.5').map((m) => [m.role, m.name])).toEqual([
      ['platform-subnet', 'AzureFirewallSubnet'],
    ]);
    for (const ip of ['10.42.2.0', '10.42.2.3', '10.42.2.255']) {
      expect(
        lookup(input, ip).map((m) => m.role),
        ip,
      ).toEqual(['azure-reserved']);
    }
  });

  it('names the default name and applies no size default to a subnet given by CIDR', () => {
    const { spec, defaultsApplied } = planDesign(input);
    expect(spec.platformSubnets).toEqual([
      { role: 'azure-firewall', cidr: '10.42.2.0/24', name: 'AzureFirewallSubnet' },
    ]);
    expect(defaultsApplied).toContain('platformSubnets[0].name');
    expect(defaultsApplied).not.toContain('platformSubnets[0].prefixLength');
  });

  it('adds the DNAT return route for public services when the firewall public IP is known, and says so', () => {
    const withServices = lab([{ role: 'azure-firewall', cidr: '10.42.2.0/24' }], {
      outbound: {
        type: 'userDefinedRouting',
        publicLoadBalancerServices: 2,
        firewallPublicIp: '20.10.10.10',
      },
    });
    const planned = planDesign(withServices);
    const routes = planned.model.vnet().routeTables[0]?.routes ?? [];
    expect(routes.map((r) => [String(r.addressPrefix), r.nextHopType])).toEqual([
      ['0.0.0.0/0', 'VirtualAppliance'],
      ['20.10.10.10/32', 'Internet'],
    ]);
    const warning = planned.warnings.find((w) => w.code === 'UDR_ASYMMETRIC_ROUTING');
    expect(warning?.message).toContain('20.10.10.10/32 -> Internet in the route table keeps');
    expect(lookup(withServices, '20.10.10.10')).toEqual([
      { role: 'firewall', kind: 'known-ip', range: expect.anything() },
    ]);
  });

  it('adds no DNAT return route without public services: nothing is exposed through the firewall', () => {
    const planned = planDesign(
      lab([{ role: 'azure-firewall', cidr: '10.42.2.0/24' }], {
        outbound: { type: 'userDefinedRouting', firewallPublicIp: '20.10.10.10' },
      }),
    );
    const routes = planned.model.vnet().routeTables[0]?.routes ?? [];
    expect(routes.map((r) => [String(r.addressPrefix), r.nextHopType])).toEqual([
      ['0.0.0.0/0', 'VirtualAppliance'],
    ]);
  });

  it('warns that egress has nowhere to go when userDefinedRouting names no firewall', () => {
    const nowhere = planDesign({
      ...lab([]),
      outbound: { type: 'userDefinedRouting', publicLoadBalancerServices: 1 },
    });
    const codes = nowhere.warnings.map((w) => w.code);
    expect(codes).toContain('UDR_NO_NEXT_HOP');
    expect(nowhere.warnings.find((w) => w.code === 'UDR_ASYMMETRIC_ROUTING')?.message).toContain(
      'asymmetric unless',
    );
    expect(nowhere.model.vnet().routeTables[0]?.routes).toEqual([]);
  });

  it('routes to a firewall outside the VNet (a hub) by its given private IP, which lookups name', () => {
    const hub = lab([], { outbound: { type: 'userDefinedRouting', firewallPrivateIp: '10.50.1.4' } });
    expect(planDesign(hub).model.vnet().routeTables[0]?.routes[0]?.nextHopIp?.toString()).toBe('10.50.1.4');
    expect(lookup(hub, '10.50.1.4').map((m) => [m.role, m.kind])).toEqual([['firewall', 'known-ip']]);
  });
});

describe('role rules: names and sizes', () => {
  it.each([
    ['azure-firewall', '10.42.2.0/27', 26],
    ['azure-firewall-management', '10.42.2.0/27', 26],
    ['bastion', '10.42.2.0/27', 26],
    ['api-server', '10.42.2.0/29', 28],
    ['application-gateway-for-containers', '10.42.2.0/25', 24],
  ] as const)('refuses a %s subnet of %s: below /%i', (role, cidr, smallest) => {
    const error = expectOnlyProblem(
      lab([{ role, cidr }]),
      'PLATFORM_SUBNET_TOO_SMALL',
      'platformSubnets[0].cidr',
    );
    const given = cidr.split('/')[1];
    expect(error.message).toBe(`a ${role} subnet must be at least a /${smallest}; /${given} was given`);
  });

  it.each([
    ['azure-firewall', 26],
    ['bastion', 26],
    ['api-server', 28],
    ['application-gateway-for-containers', 24],
    ['gateway', 29],
    ['application-gateway', 29],
    ['private-endpoints', 29],
    ['internal-load-balancers', 29],
    ['other', 29],
  ] as const)('accepts a %s subnet at its minimum /%i', (role, smallest) => {
    const base = smallest <= 24 ? '10.42.2.0' : '10.42.2.0';
    expect(() => planDesign(lab([{ role, cidr: `${base}/${smallest}` }]))).not.toThrow();
  });

  it('refuses a size given without a CIDR that is below the minimum, naming prefixLength', () => {
    expectOnlyProblem(
      lab([{ role: 'bastion', prefixLength: 27 }]),
      'PLATFORM_SUBNET_TOO_SMALL',
      'platformSubnets[0].prefixLength',
    );
  });

  it('refuses another name for a role Azure names, and a fixed name for another role', () => {
    expectOnlyProblem(
      lab([{ role: 'bastion', name: 'bastion' }]),
      'PLATFORM_SUBNET_NAME_FIXED',
      'platformSubnets[0].name',
    );
    expectOnlyProblem(
      lab([{ role: 'other', name: 'GatewaySubnet', prefixLength: 28 }]),
      'PLATFORM_SUBNET_NAME_FIXED',
      'platformSubnets[0].name',
    );
  });

  it('refuses two subnets of one name (two firewalls are two AzureFirewallSubnets)', () => {
    expectOnlyProblem(
      lab([{ role: 'azure-firewall' }, { role: 'azure-firewall' }]),
      'PLATFORM_SUBNET_NAME_TAKEN',
      'platformSubnets[1].name',
    );
  });

  it('refuses a name Azure would not take', () => {
    expectOnlyProblem(
      lab([{ role: 'other', name: 'bad name', prefixLength: 28 }]),
      'PLATFORM_SUBNET_NAME_INVALID',
      'platformSubnets[0].name',
    );
  });

  it('needs a size for role other, and a CIDR and size that agree', () => {
    expectOnlyProblem(
      lab([{ role: 'other', name: 'tools' }]),
      'PLATFORM_SUBNET_SIZE_REQUIRED',
      'platformSubnets[0].prefixLength',
    );
    expectOnlyProblem(
      lab([{ role: 'bastion', cidr: '10.42.2.0/26', prefixLength: 25 }]),
      'PLATFORM_SUBNET_SIZE_MISMATCH',
      'platformSubnets[0].prefixLength',
    );
  });

  it('refuses explicit subnets that overlap the cluster subnet or each other, or leave the VNet', () => {
    expectOnlyProblem(
      lab([{ role: 'bastion', cidr: '10.42.1.0/26' }]),
      'SUBNETS_OVERLAP',
      'platformSubnets[0].cidr',
    );
    expectOnlyProblem(
      lab([
        { role: 'bastion', cidr: '10.42.2.0/26' },
        { role: 'gateway', cidr: '10.42.2.32/27' },
      ]),
      'SUBNETS_OVERLAP',
      'platformSubnets[1].cidr',
    );
    expectOnlyProblem(
      lab([{ role: 'bastion', cidr: '10.43.2.0/26' }]),
      'SUBNET_OUTSIDE_VNET',
      'platformSubnets[0].cidr',
    );
  });

  it('warns below the recommended size: a gateway under /27, an application gateway under /24', () => {
    const planned = planDesign(
      lab([
        { role: 'gateway', cidr: '10.42.2.0/28' },
        { role: 'application-gateway', prefixLength: 26 },
      ]),
    );
    expect(planned.warnings.filter((w) => w.code === 'PLATFORM_SUBNET_BELOW_RECOMMENDED')).toHaveLength(2);
    // At the recommended size itself, given by CIDR or by size: no warning.
    const atRecommended = planDesign(
      lab([
        { role: 'gateway', cidr: '10.42.2.0/27' },
        { role: 'application-gateway', cidr: '10.42.3.0/24' },
        { role: 'bastion', prefixLength: 26 },
      ]),
    );
    expect(atRecommended.warnings.map((w) => w.code)).not.toContain('PLATFORM_SUBNET_BELOW_RECOMMENDED');
  });
});

describe('defaults and placement', () => {
  it('gives each role its default size and name, and places them after the given subnets, largest first', () => {
    const planned = planDesign(
      lab([
        { role: 'private-endpoints' },
        { role: 'bastion' },
        { role: 'gateway' },
        { role: 'application-gateway' },
        { role: 'api-server' },
      ]),
    );
    expect(planned.spec.platformSubnets?.map((s) => [s.name, s.prefixLength])).toEqual([
      ['private-endpoints', 27],
      ['AzureBastionSubnet', 26],
      ['GatewaySubnet', 27],
      ['application-gateway', 24],
      ['api-server', 28],
    ]);
    const subnets = planned.model.vnet().subnets.filter((s) => s.placed);
    expect(subnets.map((s) => [s.name, s.cidr?.toString()])).toEqual([
      // Equal sizes go in design order: private-endpoints before GatewaySubnet.
      ['private-endpoints', '10.42.3.64/27'],
      ['AzureBastionSubnet', '10.42.3.0/26'],
      ['GatewaySubnet', '10.42.3.96/27'],
      ['application-gateway', '10.42.2.0/24'],
      ['api-server', '10.42.3.128/28'],
    ]);
  });

  it('lists a subnet without room with cidr null, the VNet exhausted and the addresses missing', () => {
    const tight: PlanInput = {
      ...lab([{ role: 'bastion' }, { role: 'application-gateway' }]),
      network: {
        plugin: 'azure-cni-node-subnet',
        vnetAddressSpace: ['10.42.0.0/23'],
        nodeSubnet: '10.42.1.0/24',
      },
    };
    const planned = planDesign(tight);
    const vnet = planned.model.vnet();
    // Largest first: the /24 takes the one /24 left, and the /26 finds no room.
    expect(vnet.subnets.map((s) => [s.name, s.cidr?.toString() ?? null])).toEqual([
      ['aks-nodes', '10.42.1.0/24'],
      ['AzureBastionSubnet', null],
      ['application-gateway', '10.42.0.0/24'],
    ]);
    expect(vnet.verdict).toBe('exhausted');
    expect(vnet.addressSpace.map((a) => [a.inSubnets, a.free, a.verdict])).toEqual([[512, 0, 'exhausted']]);
    expect(vnet.missingAddresses).toBe(64);
    expect(vnet.vnetPrefixLength).toBe(22);
    expect(planned.model.capacity().verdict).toBe('exhausted');
    expect(vnet.freeBlocks).toEqual([]);
  });

  it('without a VNet places nothing and recommends the smallest VNet that holds every subnet', () => {
    const planned = planDesign({
      name: 'no-vnet',
      network: { plugin: 'azure-cni-node-subnet', nodeSubnet: '10.42.1.0/24' },
      nodePools: [{ name: 'system', nodeCount: 3 }],
      platformSubnets: [{ role: 'azure-firewall' }, { role: 'bastion' }],
    });
    const vnet = planned.model.vnet();
    expect(vnet.subnets.filter((s) => s.placed).map((s) => s.cidr)).toEqual([null, null]);
    expect(vnet.verdict).toBe('ok');
    expect(vnet.missingAddresses).toBe(0);
    expect(vnet.vnetPrefixLength).toBe(23);
    expect(planned.model.capacity().recommendation.vnetPrefixLength).toBe(23);
  });
});

describe('where Azure puts reservations', () => {
  it('puts private endpoints into a private-endpoints subnet, out of the node subnet', () => {
    const withPe = lab([{ role: 'private-endpoints', cidr: '10.42.4.0/27' }], {
      reservations: { privateEndpoints: 2 },
    });
    const planned = planDesign(withPe);
    const [nodes] = planned.model.capacity().ranges;
    expect(nodes?.explain).not.toContain('private endpoint');
    expect(lookup(withPe, '10.42.4.4').map((m) => m.role)).toEqual(['private-endpoint']);
    expect(lookup(withPe, '10.42.4.5').map((m) => m.role)).toEqual(['private-endpoint']);
    expect(lookup(withPe, '10.42.4.6').map((m) => m.role)).toEqual(['platform-subnet']);
    const without = planDesign(lab([], { reservations: { privateEndpoints: 2 } }));
    expect(without.model.capacity().ranges[0]?.explain).toContain('2 private endpoints');
  });

  it('puts internal load balancer frontends into an internal-load-balancers subnet, out of the node subnet', () => {
    // azure-load-balancer-internal-subnet: the Services' annotation names the subnet.
    const withIlb = lab([{ role: 'internal-load-balancers', name: 'ilb', cidr: '10.42.5.0/28' }], {
      reservations: { internalLoadBalancers: 2 },
    });
    const planned = planDesign(withIlb);
    const [nodes] = planned.model.capacity().ranges;
    expect(nodes?.explain).not.toContain('load balancer');
    // The surge slot follows the current nodes (3 x (1 + 30 pods) from .4) at once, at .97.
    expect(lookup(withIlb, '10.42.1.97').map((m) => [m.role, m.nodeIndex])).toEqual([['node', 3]]);
    expect(lookup(withIlb, '10.42.5.4').map((m) => m.role)).toEqual(['load-balancer']);
    expect(lookup(withIlb, '10.42.5.5').map((m) => m.role)).toEqual(['load-balancer']);
    expect(lookup(withIlb, '10.42.5.6').map((m) => m.role)).toEqual(['platform-subnet']);
    expect(planned.model.vnet().subnets.find((s) => s.name === 'ilb')?.holds).toBe(
      '2 internal load balancer frontends',
    );
    // Without one they follow the current nodes in the node subnet, as before.
    const without = lab([], { reservations: { internalLoadBalancers: 2 } });
    expect(planDesign(without).model.capacity().ranges[0]?.explain).toContain('2 load balancers');
    expect(lookup(without, '10.42.1.97').map((m) => m.role)).toEqual(['load-balancer']);
  });

  it("puts a private cluster's API server into the api-server subnet (API server VNet integration)", () => {
    const privateCluster = (platformSubnets: PlatformSubnetInput[]) =>
      planDesign({
        ...lab(platformSubnets),
        network: {
          plugin: 'azure-cni-node-subnet',
          vnetAddressSpace: ['10.42.0.0/16'],
          nodeSubnet: '10.42.1.0/24',
          privateCluster: true,
        },
      });
    expect(privateCluster([]).model.capacity().ranges[0]?.explain).toContain('API server endpoint');
    expect(privateCluster([{ role: 'api-server' }]).model.capacity().ranges[0]?.explain).not.toContain(
      'API server endpoint',
    );
  });
});

describe('public IPs', () => {
  it('counts the EXTERNAL-IP walkthrough: one managed outbound IP and three public services make 4', () => {
    const planned = planDesign({ ...lab([]), outbound: { publicLoadBalancerServices: 3 } });
    expect(planned.model.capacity().publicIps).toEqual({
      outbound: 1,
      outboundIpv6: 0,
      loadBalancerServices: 3,
      ingress: 0,
      firewall: 0,
      egressGateway: 0,
      nodePublicIps: 0,
      total: 4,
    });
  });

  it("counts ingress IPs and the firewall's, and none for outbound with userDefinedRouting", () => {
    const planned = planDesign(
      lab([{ role: 'azure-firewall' }], {
        outbound: { type: 'userDefinedRouting', publicLoadBalancerServices: 1 },
        ingress: { publicIps: 2 },
      }),
    );
    expect(planned.model.capacity().publicIps).toEqual({
      outbound: 0,
      outboundIpv6: 0,
      loadBalancerServices: 1,
      ingress: 2,
      firewall: 1,
      egressGateway: 0,
      nodePublicIps: 0,
      total: 4,
    });
  });

  it("counts a dual-stack load balancer's IPv6 outbound IP, AKS's default, and none behind a NAT gateway", () => {
    const dualStack = (outbound?: PlanInput['outbound']) =>
      planDesign({
        ...lab([]),
        network: { ...lab([]).network, plugin: 'azure-cni-overlay', ipFamilies: ['ipv4', 'ipv6'] },
        ...(outbound === undefined ? {} : { outbound }),
      }).model.capacity().publicIps;
    expect(dualStack()).toMatchObject({ outbound: 1, outboundIpv6: 1, total: 2 });
    expect(dualStack({ managedOutboundIps: 3 })).toMatchObject({ outbound: 3, outboundIpv6: 1, total: 4 });
    expect(dualStack({ type: 'userDefinedRouting' })).toMatchObject({ outboundIpv6: 0, total: 0 });
  });

  it("answers a recorded outbound public IP with the plan's role for it", () => {
    const recorded = lab([], { outbound: { managedOutboundIps: 2, publicIps: ['20.1.1.1', '20.1.1.2'] } });
    expect(lookup(recorded, '20.1.1.2').map((m) => [m.role, m.kind])).toEqual([
      ['outbound-public-ip', 'known-ip'],
    ]);
    expectOnlyProblem(
      lab([], { outbound: { managedOutboundIps: 1, publicIps: ['20.1.1.1', '20.1.1.2'] } }),
      'OUTBOUND_PUBLIC_IPS_TOO_MANY',
      'outbound.publicIps',
    );
  });

  it('warns when public services and ingress pass what one Standard Load Balancer takes', () => {
    const planned = planDesign({
      ...lab([]),
      outbound: { publicLoadBalancerServices: 250 },
      ingress: { publicIps: 51 },
    });
    expect(planned.warnings.map((w) => w.code)).toContain('LOAD_BALANCER_FRONTENDS_LIMIT');
  });

  it('counts internal load-balanced services in the limit too: 300 per cluster (quotas-skus-regions)', () => {
    const services = (publicLoadBalancerServices: number, internalLoadBalancers: number) =>
      planDesign({
        ...lab([]),
        outbound: { publicLoadBalancerServices },
        reservations: { internalLoadBalancers },
      }).warnings.filter((w) => w.code === 'LOAD_BALANCER_FRONTENDS_LIMIT');
    expect(services(200, 101)).toEqual([
      {
        code: 'LOAD_BALANCER_FRONTENDS_LIMIT',
        message:
          '301 load-balanced services (200 public, ingress included, 101 internal); AKS takes at most 300 per cluster on the Standard Load Balancer',
      },
    ]);
    expect(services(0, 301)).toHaveLength(1);
    expect(services(200, 100)).toEqual([]);
    expect(services(0, 300)).toEqual([]);
  });
});

describe('what a review of the first cut found', () => {
  const noVnet = (extra: Partial<PlanInput>): PlanInput => ({
    name: 'no-vnet',
    network: { plugin: 'azure-cni-node-subnet', nodeSubnet: '10.42.1.0/24', privateCluster: true },
    nodePools: [{ name: 'system', nodeCount: 3 }],
    ...extra,
  });

  it('keeps reservations in the node subnet while their subnet has no CIDR', () => {
    const planned = planDesign(
      noVnet({
        platformSubnets: [{ role: 'private-endpoints' }, { role: 'api-server' }],
        reservations: { privateEndpoints: 5 },
      }),
    );
    const explain = planned.model.capacity().ranges[0]?.explain ?? '';
    expect(explain).toContain('5 private endpoints');
    expect(explain).toContain('API server endpoint');
  });

  it('warns when private endpoints overflow their subnet, and gives them to the first such subnet only', () => {
    const input = lab(
      [
        { role: 'private-endpoints', cidr: '10.42.2.0/29' },
        { role: 'private-endpoints', name: 'more-endpoints', cidr: '10.42.3.0/29' },
      ],
      { reservations: { privateEndpoints: 5 } },
    );
    expect(planDesign(input).warnings.map((w) => w.code)).toContain('PRIVATE_ENDPOINTS_SUBNET_FULL');
    expect(lookup(input, '10.42.2.4').map((m) => m.role)).toEqual(['private-endpoint']);
    expect(lookup(input, '10.42.3.4').map((m) => m.role)).toEqual(['platform-subnet']);
  });

  it("refuses a subnet under the cluster's pod or service CIDR, and places none there", () => {
    const overlay = (cidr: string) => ({
      name: 'overlay',
      network: { plugin: 'azure-cni-overlay' as const, nodeSubnet: '10.42.1.0/24' },
      nodePools: [{ name: 'system', nodeCount: 3 }],
      platformSubnets: [{ role: 'bastion' as const, cidr }],
    });
    expectOnlyProblem(
      overlay('10.244.0.0/26'),
      'PLATFORM_SUBNET_OVERLAPS_CLUSTER_RANGE',
      'platformSubnets[0].cidr',
    );
    expectOnlyProblem(
      overlay('10.0.0.0/26'),
      'PLATFORM_SUBNET_OVERLAPS_CLUSTER_RANGE',
      'platformSubnets[0].cidr',
    );
    const wide = planDesign({
      name: 'wide',
      network: {
        plugin: 'azure-cni-node-subnet',
        vnetAddressSpace: ['10.0.0.0/15'],
        nodeSubnet: '10.1.0.0/24',
      },
      nodePools: [{ name: 'system', nodeCount: 3 }],
      platformSubnets: [{ role: 'other', name: 'big', prefixLength: 16 }],
    });
    // The only free /16 of the VNet is the default service CIDR 10.0.0.0/16: no room.
    expect(wide.model.vnet().subnets.find((s) => s.name === 'big')?.cidr).toBeNull();
  });

  it('refuses public IPs that are private or repeated, and a firewall IP Azure reserves', () => {
    expectOnlyProblem(
      lab([], { outbound: { managedOutboundIps: 2, publicIps: ['10.1.1.1'] } }),
      'PUBLIC_IP_INVALID',
      'outbound.publicIps[0]',
    );
    expectOnlyProblem(
      lab([], { outbound: { managedOutboundIps: 2, publicIps: ['20.1.1.1', '20.1.1.1'] } }),
      'PUBLIC_IP_INVALID',
      'outbound.publicIps[1]',
    );
    const udr = (firewallPrivateIp: string) =>
      lab([{ role: 'azure-firewall', cidr: '10.42.2.0/26' }], {
        outbound: { type: 'userDefinedRouting', firewallPrivateIp },
      });
    expectOnlyProblem(udr('10.42.2.0'), 'FIREWALL_IP_INVALID', 'outbound.firewallPrivateIp');
    expectOnlyProblem(udr('0.0.0.0'), 'FIREWALL_IP_INVALID', 'outbound.firewallPrivateIp');
    expect(() => planDesign(udr('10.42.2.4'))).not.toThrow();
    // An appliance in another platform subnet: not on an address Azure keeps there either.
    const beside = (firewallPrivateIp: string) =>
      lab([{ role: 'internal-load-balancers', cidr: '10.51.1.0/27' }], {
        network: { ...lab([]).network, vnetAddressSpace: ['10.42.0.0/16', '10.51.0.0/16'] },
        outbound: { type: 'userDefinedRouting', firewallPrivateIp },
      });
    expect(
      expectOnlyProblem(beside('10.51.1.31'), 'FIREWALL_IP_INVALID', 'outbound.firewallPrivateIp').problems[0]
        ?.message,
    ).toBe(
      '10.51.1.31 is one of the addresses Azure reserves in 10.51.1.0/27: its first usable address is 10.51.1.4',
    );
    expect(() => planDesign(beside('10.51.1.20'))).not.toThrow();
  });

  it("refuses a firewall IP inside the cluster's own subnets, pod or service CIDRs", () => {
    const udr = (firewallPrivateIp: string, network: Partial<PlanInput['network']> = {}) =>
      lab([], {
        network: { ...lab([]).network, ...network },
        outbound: { type: 'userDefinedRouting', firewallPrivateIp },
      });
    const refusal = (input: PlanInput) =>
      expectOnlyProblem(input, 'FIREWALL_IP_INVALID', 'outbound.firewallPrivateIp').problems[0]?.message;
    // The node subnet's route table would send the appliance's own traffic back to it.
    expect(refusal(udr('10.42.1.5'))).toContain('10.42.1.0/24 (network.nodeSubnet)');
    // The default service CIDR, 10.0.0.0/16, is the cluster's and no Azure address.
    expect(refusal(udr('10.0.0.50'))).toContain('service CIDR 10.0.0.0/16');
    const overlay = { plugin: 'azure-cni-overlay' as const, podCidr: '10.244.0.0/16' };
    expect(refusal(udr('10.244.3.4', overlay))).toContain('pod CIDR 10.244.0.0/16');
    const podSubnet = { plugin: 'azure-cni-pod-subnet' as const, podSubnet: '10.42.64.0/18' };
    expect(refusal(udr('10.42.64.9', podSubnet))).toContain('10.42.64.0/18 (network.podSubnet)');
    // Elsewhere in the VNet (a hub's appliance, or AzureFirewallSubnet) it is accepted.
    expect(() => planDesign(udr('10.42.200.4'))).not.toThrow();
    expect(() => planDesign(udr('10.42.2.4', overlay))).not.toThrow();
  });

  it('warns that the default route has no next hop when the firewall subnet found no room', () => {
    const planned = planDesign(
      noVnet({ platformSubnets: [{ role: 'azure-firewall' }], outbound: { type: 'userDefinedRouting' } }),
    );
    expect(planned.warnings.map((w) => w.code)).toContain('UDR_NO_NEXT_HOP');
  });

  it('recommends a VNet that holds the given subnets where they are', () => {
    const planned = planDesign(noVnet({ platformSubnets: [{ role: 'bastion', cidr: '10.200.0.0/26' }] }));
    expect(planned.model.vnet().vnetPrefixLength).toBe(8);
  });

  it('keeps fixed names from other roles whatever their case', () => {
    expectOnlyProblem(
      lab([{ role: 'other', name: 'azurefirewallsubnet', prefixLength: 28 }]),
      'PLATFORM_SUBNET_NAME_FIXED',
      'platformSubnets[0].name',
    );
  });
});

describe('the VNet at its edges (rules a mutation round found unwatched)', () => {
  const udr = (firewallPrivateIp: string, platformSubnets: PlatformSubnetInput[] = []) =>
    lab(platformSubnets, { outbound: { type: 'userDefinedRouting', firewallPrivateIp } });

  it('refuses shared (RFC 6598) addresses as public IPs, and multicast as a firewall', () => {
    expectOnlyProblem(
      lab([], { outbound: { managedOutboundIps: 2, publicIps: ['100.64.0.1'] } }),
      'PUBLIC_IP_INVALID',
      'outbound.publicIps[0]',
    );
    expectOnlyProblem(udr('224.0.0.1'), 'FIREWALL_IP_INVALID', 'outbound.firewallPrivateIp');
    expectOnlyProblem(udr('239.255.255.250'), 'FIREWALL_IP_INVALID', 'outbound.firewallPrivateIp');
  });

  it('answers a given firewall IP inside AzureFirewallSubnet once, as the firewall', () => {
    const given = udr('10.42.2.4', [{ role: 'azure-firewall', cidr: '10.42.2.0/26' }]);
    expect(lookup(given, '10.42.2.4')).toEqual([
      {
        role: 'firewall',
        kind: 'platform-subnet',
        range: expect.anything(),
        name: 'AzureFirewallSubnet',
        subnetRole: 'azure-firewall',
      },
    ]);
    expect(
      planDesign(given)
        .model.ranges()
        .filter((r) => r.kind === 'known-ip'),
    ).toEqual([]);
  });

  it('has a next hop with a given firewall IP, though AzureFirewallSubnet found no room', () => {
    const codes = (input: PlanInput) => planDesign(input).warnings.map((w) => w.code);
    const noRoom = (firewallPrivateIp?: string) =>
      lab([{ role: 'other', name: 'rest', prefixLength: 25 }, { role: 'azure-firewall' }], {
        network: { ...lab([]).network, vnetAddressSpace: ['10.42.1.0/24'], nodeSubnet: '10.42.1.0/25' },
        outbound: {
          type: 'userDefinedRouting',
          ...(firewallPrivateIp === undefined ? {} : { firewallPrivateIp }),
        },
      });
    expect(codes(noRoom())).toContain('UDR_NO_NEXT_HOP');
    expect(codes(noRoom('10.50.0.4'))).not.toContain('UDR_NO_NEXT_HOP');
  });

  it('calls a subnet holding more reservations than it has addresses exhausted, and the plan too', () => {
    const verdicts = (internalLoadBalancers: number, privateEndpoints = 0) => {
      const planned = planDesign(
        lab(
          [
            { role: 'internal-load-balancers', cidr: '10.42.3.0/27' },
            { role: 'private-endpoints', cidr: '10.42.4.0/29' },
          ],
          { reservations: { internalLoadBalancers, privateEndpoints } },
        ),
      );
      return [planned.model.vnet().verdict, planned.model.capacity().verdict];
    };
    // 27 usable: 27 fit; 28 do not, as INTERNAL_LOAD_BALANCERS_SUBNET_FULL says.
    expect(verdicts(27)).toEqual(['ok', 'ok']);
    expect(verdicts(28)).toEqual(['exhausted', 'exhausted']);
    // The private endpoints' /29 holds 3.
    expect(verdicts(0, 4)).toEqual(['exhausted', 'exhausted']);
  });

  it("numbers the cluster's subnet in the VNet view when a platform subnet has its name", () => {
    const vnet = planDesign(lab([{ role: 'other', name: 'AKS-Nodes', cidr: '10.42.7.0/28' }])).model.vnet();
    expect(vnet.subnets.map((s) => s.name)).toEqual(['aks-nodes-2', 'AKS-Nodes']);
  });

  it('says only the subnet that holds the reservations holds them', () => {
    const vnet = planDesign(
      lab(
        [
          { role: 'internal-load-balancers', name: 'ilb1', cidr: '10.42.5.0/28' },
          { role: 'internal-load-balancers', name: 'ilb2', cidr: '10.42.6.0/28' },
          { role: 'private-endpoints', name: 'nowhere', prefixLength: 8 },
        ],
        { reservations: { internalLoadBalancers: 1, privateEndpoints: 2 } },
      ),
    ).model.vnet();
    expect(vnet.subnets.filter((s) => s.role !== 'aks-nodes').map((s) => [s.name, s.holds])).toEqual([
      ['ilb1', '1 internal load balancer frontend'],
      ['ilb2', 'internal load balancer frontends (none planned here)'],
      // Without room it holds nothing: the private endpoints stay in the node subnet.
      ['nowhere', 'private endpoints (none planned here)'],
    ]);
  });

  it('fills an internal-load-balancers subnet to its last usable address without a warning', () => {
    const frontends = (internalLoadBalancers: number) =>
      planDesign(
        lab([{ role: 'internal-load-balancers', cidr: '10.42.3.0/29' }], {
          reservations: { internalLoadBalancers },
        }),
      ).warnings.filter((w) => w.code === 'INTERNAL_LOAD_BALANCERS_SUBNET_FULL');
    expect(frontends(3)).toEqual([]);
    expect(frontends(4).map((w) => w.message)).toEqual([
      '4 internal load balancer frontends do not fit internal-load-balancers (10.42.3.0/29): 3 usable addresses',
    ]);
  });

  it('fills a private-endpoints subnet to its last usable address without a warning', () => {
    const endpoints = (privateEndpoints: number) =>
      planDesign(
        lab([{ role: 'private-endpoints', cidr: '10.42.3.0/29' }], { reservations: { privateEndpoints } }),
      ).warnings.map((w) => w.code);
    expect(endpoints(3)).not.toContain('PRIVATE_ENDPOINTS_SUBNET_FULL');
    expect(endpoints(4)).toContain('PRIVATE_ENDPOINTS_SUBNET_FULL');
  });
});
