import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { MAX_VNET_PREFIXES } from '../../../src/domain/design/spec.js';
import { DomainError } from '../../../src/domain/errors.js';
import { planFromAz } from '../../../src/domain/imports/az-cluster.js';
import { planDesign } from '../../../src/domain/plan/planner.js';
import * as az from './az-fixtures.js';

describe('a plan from az JSON', () => {
  it('Azure CNI Overlay with Cilium, dual-stack, autoscaler, private cluster, load balancer egress', () => {
    const { design, warnings } = planFromAz({
      cluster: az.overlayCilium,
      subnets: [az.subnet('aks-nodes', '10.240.0.0/22')],
      vnet: az.vnet,
    });
    expect(design).toEqual({
      name: 'aks-edge',
      network: {
        plugin: 'azure-cni-overlay',
        dataplane: 'cilium',
        nodeSubnet: '10.240.0.0/22',
        ipFamilies: ['ipv4', 'ipv6'],
        podCidrs: ['10.244.0.0/16', 'fd12:3456:789a::/64'],
        serviceCidrs: ['10.0.0.0/16', 'fd12:3456:789a:1::/108'],
        dnsServiceIp: '10.0.0.10',
        privateCluster: true,
        vnetAddressSpace: ['10.240.0.0/14'],
      },
      nodePools: [
        {
          name: 'system',
          mode: 'System',
          osType: 'Linux',
          nodeCount: 3,
          minCount: 3,
          maxCount: 6,
          maxPods: 250,
          maxSurge: '10%',
        },
        { name: 'user', mode: 'User', osType: 'Linux', nodeCount: 2, maxPods: 250, maxSurge: '33%' },
      ],
      outbound: {
        type: 'loadBalancer',
        managedOutboundIps: 2,
        allocatedOutboundPorts: 1024,
        idleTimeoutMinutes: 30,
      },
    });
    expect(warnings).toEqual([]);
    expect(planDesign(design).model.capacity().verdict).toBe('ok');
  });

  it('a pod subnet in static blocks, pools on their own subnets, NAT gateway egress', () => {
    const { design } = planFromAz({
      cluster: az.podSubnetStatic,
      subnets: [
        az.subnet('aks-nodes', '10.10.0.0/24'),
        az.subnet('aks-pods', '10.11.0.0/20'),
        az.subnet('batch-nodes', '10.10.1.0/24'),
        az.subnet('batch-pods', '10.12.0.0/20'),
      ],
    });
    expect(design.network).toEqual({
      plugin: 'azure-cni-pod-subnet',
      nodeSubnet: '10.10.0.0/24',
      podSubnet: '10.11.0.0/20',
      podIpAllocation: 'static-block',
      serviceCidr: '10.0.0.0/16',
      dnsServiceIp: '10.0.0.10',
    });
    expect(design.nodePools[1]).toEqual({
      name: 'batch',
      mode: 'User',
      osType: 'Linux',
      nodeCount: 4,
      maxPods: 47,
      maxSurge: 1,
      nodeSubnet: '10.10.1.0/24',
      podSubnet: '10.12.0.0/20',
    });
    expect(design.outbound).toEqual({ type: 'userAssignedNATGateway' });
    expect(() => planDesign(design)).not.toThrow();
  });

  it('kubenet with its pod CIDR behind user-defined routing; the network policy is a warning', () => {
    const { design, warnings } = planFromAz({
      cluster: az.kubenet,
      subnets: [az.subnet('legacy-nodes', '10.20.0.0/24')],
    });
    expect(design.network).toEqual({
      plugin: 'kubenet',
      nodeSubnet: '10.20.0.0/24',
      podCidr: '10.244.0.0/16',
      serviceCidr: '10.21.0.0/16',
      dnsServiceIp: '10.21.0.10',
    });
    expect(design.outbound).toEqual({ type: 'userDefinedRouting' });
    expect(warnings).toEqual([
      {
        path: 'cluster.networkProfile.networkPolicy',
        message: 'network policy calico is not part of the address plan',
      },
    ]);
  });

  it("names the VNet of a subnet of one's own that is AKS's default subnet, when no VNet JSON is given", () => {
    const subnets = [az.subnet('aks-nodes', '10.224.0.0/16')];
    const { design, warnings } = planFromAz({ cluster: az.overlayCilium, subnets });
    expect(design.network).toMatchObject({
      nodeSubnet: '10.224.0.0/16',
      vnetAddressSpace: ['10.224.0.0/16'],
    });
    expect(warnings.map((w) => w.path)).toEqual(['vnet']);
    expect(
      planDesign(design)
        .model.ranges()
        .some((r) => r.inAksCreatedVnet === true),
    ).toBe(false);
    // With the VNet JSON, its address space is taken; another subnet needs nothing.
    const withVnet = planFromAz({
      cluster: az.overlayCilium,
      subnets,
      vnet: { ...az.vnet, addressSpace: { addressPrefixes: ['10.224.0.0/12'] } },
    });
    expect([withVnet.design.network?.vnetAddressSpace, withVnet.warnings]).toEqual([['10.224.0.0/12'], []]);
    const other = planFromAz({
      cluster: az.overlayCilium,
      subnets: [az.subnet('aks-nodes', '10.240.0.0/22')],
    });
    expect([other.design.network?.vnetAddressSpace, other.warnings]).toEqual([undefined, []]);
  });

  it('says when a pool lives in a VNet AKS manages, and takes a given name', () => {
    const { design, warnings } = planFromAz({ name: 'portal', cluster: az.managedVnet });
    expect(design.name).toBe('portal');
    expect(design.network?.nodeSubnet).toBeUndefined();
    expect(warnings).toEqual([
      {
        path: 'cluster.agentPoolProfiles[0].vnetSubnetId',
        message:
          "pool agentpool is in an AKS-managed VNet: its node subnet is the planner's default, check it",
      },
    ]);
  });

  it('a static egress gateway pool: its mode and public IP prefix length', () => {
    const { design } = planFromAz({ cluster: az.gatewayPool });
    expect(design.nodePools[1]).toMatchObject({
      name: 'egw',
      mode: 'Gateway',
      nodeCount: 2,
      gatewayPrefixSize: 30,
    });
    expect(planDesign(design).spec.nodePools[1]?.gatewayPrefixSize).toBe(30);
    // A prefix length of another type is said, and the default planned.
    const [system, gateway] = az.gatewayPool.agentPoolProfiles;
    const asText = {
      ...az.gatewayPool,
      agentPoolProfiles: [system, { ...(gateway as object), gatewayProfile: { publicIpPrefixSize: '30' } }],
    };
    const { design: defaulted, warnings } = planFromAz({ cluster: asText });
    expect(defaulted.nodePools[1]).not.toHaveProperty('gatewayPrefixSize');
    expect(warnings).toContainEqual({
      path: 'cluster.agentPoolProfiles[1].gatewayProfile.publicIpPrefixSize',
      message: expect.stringContaining("pool egw's public IP prefix planned as the default /31"),
    });
    // So is a gateway profile that is no object.
    const notAnObject = {
      ...az.gatewayPool,
      agentPoolProfiles: [system, { ...(gateway as object), gatewayProfile: 30 }],
    };
    expect(planFromAz({ cluster: notAnObject }).warnings).toContainEqual({
      path: 'cluster.agentPoolProfiles[1].gatewayProfile',
      message: "30 is not an object: pool egw's public IP prefix planned as the default /31",
    });
  });

  it('a managed NAT gateway in the VNet AKS manages: its IPs and idle timeout, and a design AKS accepts', () => {
    const natted = {
      ...az.managedVnet,
      networkProfile: {
        ...az.managedVnet.networkProfile,
        outboundType: 'managedNATGateway',
        natGatewayProfile: { idleTimeoutInMinutes: 10, managedOutboundIpProfile: { count: 3 } },
      },
    };
    const { design } = planFromAz({ name: 'natted', cluster: natted });
    expect(design.outbound).toEqual({
      type: 'managedNATGateway',
      managedOutboundIps: 3,
      idleTimeoutMinutes: 10,
    });
    expect(() => planDesign(design)).not.toThrow();
  });

  it.each(['none', 'block'])(
    'a network isolated cluster (outbound type %s): no outbound IPs to read',
    (type) => {
      const isolated = {
        ...az.managedVnet,
        networkProfile: { ...az.managedVnet.networkProfile, outboundType: type },
      };
      const { design, warnings } = planFromAz({ name: 'isolated', cluster: isolated });
      expect(design.outbound).toEqual({ type });
      expect(warnings.map((w) => w.path)).not.toContain('cluster.networkProfile.outboundType');
      expect(planDesign(design).model.capacity().publicIps.outbound).toBe(0);
    },
  );

  it('leaves out a VNet address space none of whose prefixes is text (a design takes none or some)', () => {
    const { design } = planFromAz({
      cluster: az.overlayCilium,
      subnets: [az.subnet('aks-nodes', '10.240.0.0/22')],
      vnet: { ...az.vnet, addressSpace: { addressPrefixes: [null, null] } },
    });
    expect(design.network?.vnetAddressSpace).toBeUndefined();
    expect(() => planDesign(design)).not.toThrow();
  });

  it("refuses a VNet of more address prefixes than a plan's VNet takes, before planning it", () => {
    const prefixes = (count: number) =>
      Array.from({ length: count }, (_, k) => `10.${240 + (k >> 8)}.${k & 255}.0/24`);
    const withPrefixes = (count: number) => () =>
      planFromAz({
        cluster: az.overlayCilium,
        subnets: [az.subnet('aks-nodes', '10.240.0.0/24')],
        vnet: { ...az.vnet, addressSpace: { addressPrefixes: prefixes(count) } },
      });
    expect(withPrefixes(MAX_VNET_PREFIXES)().design.network?.vnetAddressSpace).toHaveLength(
      MAX_VNET_PREFIXES,
    );
    expect(withPrefixes(MAX_VNET_PREFIXES + 1)).toThrow(
      expect.objectContaining({
        code: 'AZ_CLUSTER_INVALID',
        problems: [expect.objectContaining({ path: 'vnet.addressSpace.addressPrefixes' })],
      }),
    );
  });

  it('refuses a subnet id without its JSON, naming every one', () => {
    const refused = (() => {
      try {
        planFromAz({ cluster: az.podSubnetStatic, subnets: [az.subnet('aks-nodes', '10.10.0.0/24')] });
      } catch (error) {
        return error as DomainError;
      }
      throw new Error('accepted');
    })();
    expect(refused.code).toBe('AZ_SUBNET_MISSING');
    expect(refused.problems.map((p) => p.path)).toEqual([
      'cluster.agentPoolProfiles[0].podSubnetId',
      'cluster.agentPoolProfiles[1].vnetSubnetId',
      'cluster.agentPoolProfiles[1].podSubnetId',
    ]);
    expect(refused.problems[0]?.message).toBe(
      `no subnet JSON in subnets for ${az.subnetId('aks-pods')}: add \`az network vnet subnet show --ids '${az.subnetId('aks-pods')}' -o json\``,
    );
  });

  it('suggests a command whose subnet id the shell cannot run, whatever the id holds', () => {
    // Real ids hold neither; a crafted az JSON may, and a reader copies the suggestion.
    const id = `${az.subnetId('s')} $(echo ran) '#`;
    const pool = { ...(az.overlayCilium.agentPoolProfiles[0] as object), vnetSubnetId: id };
    const refused = (() => {
      try {
        planFromAz({ cluster: { ...az.overlayCilium, agentPoolProfiles: [pool] }, subnets: [] });
      } catch (error) {
        return error as DomainError;
      }
      throw new Error('accepted');
    })();
    const suggested = /`az network vnet subnet show --ids (.*) -o json`$/.exec(
      refused.problems[0]?.message ?? '',
    );
    expect(execFileSync('bash', ['-c', `printf %s ${suggested?.[1]}`], { encoding: 'utf8' })).toBe(id);
  });

  it.each([
    [{ cluster: { name: 'x' } }, 'AZ_CLUSTER_INVALID', 'cluster'],
    [{ cluster: [] }, 'AZ_CLUSTER_INVALID', 'cluster'],
    [{ cluster: az.kubenet, subnets: [{ name: 'no id' }] }, 'AZ_CLUSTER_INVALID', 'subnets[0]'],
    [
      { cluster: { ...az.managedVnet, networkProfile: { networkPlugin: 'none' } } },
      'AZ_PLUGIN_UNSUPPORTED',
      'cluster.networkProfile.networkPlugin',
    ],
    [
      { cluster: { ...az.managedVnet, agentPoolProfiles: Array(101).fill({ name: 'a' }) } },
      'TOO_MANY_NODE_POOLS',
      'cluster.agentPoolProfiles',
    ],
  ])('refuses what is not az JSON it can plan (%#)', (input, code, path) => {
    expect(() => planFromAz(input)).toThrow(DomainError);
    try {
      planFromAz(input);
    } catch (error) {
      expect([(error as DomainError).code, (error as DomainError).problems[0]?.path]).toEqual([code, path]);
    }
  });
});

describe('what an import cannot carry is said', () => {
  it('outbound IP prefixes, IPv6 outbound IPs and a second subnet prefix are warnings', () => {
    const cluster = {
      ...az.kubenet,
      networkProfile: {
        ...az.kubenet.networkProfile,
        outboundType: 'loadBalancer',
        loadBalancerProfile: {
          managedOutboundIPs: null,
          outboundIPPrefixes: { publicIPPrefixes: [{ id: '/subscriptions/x/publicIPPrefixes/egress' }] },
        },
      },
    };
    const subnet = {
      ...az.subnet('legacy-nodes', '10.20.0.0/24'),
      addressPrefixes: ['10.20.0.0/24', 'fd00:20::/64'],
    };
    const { warnings } = planFromAz({ cluster, subnets: [subnet] });
    expect(warnings.map((w) => w.path)).toEqual([
      'subnets[0].addressPrefixes',
      'cluster.networkProfile.networkPolicy',
      'cluster.networkProfile.loadBalancerProfile.outboundIPPrefixes',
    ]);
    expect(warnings[0]?.message).toBe(
      'subnet legacy-nodes has more prefixes (fd00:20::/64): the plan uses 10.20.0.0/24',
    );
    // However many prefixes a subnet has, its warning names three.
    const many = Array.from({ length: 200 }, (_, i) => `10.${30 + Math.floor(i / 256)}.${i % 256}.0/24`);
    const wide = planFromAz({
      cluster,
      subnets: [{ ...subnet, addressPrefixes: ['10.20.0.0/24', ...many] }],
    });
    expect(wide.warnings[0]?.message).toBe(
      'subnet legacy-nodes has more prefixes (10.30.0.0/24, 10.30.1.0/24, 10.30.2.0/24 and 197 more): the plan uses 10.20.0.0/24',
    );
    // Nor do long texts where prefixes belong make it long.
    const long = planFromAz({
      cluster,
      subnets: [{ ...subnet, addressPrefixes: ['10.20.0.0/24', 'x'.repeat(100_000), 'y'.repeat(100_000)] }],
    });
    expect(long.warnings[0]?.message.length).toBeLessThan(300);
    const dual = planFromAz({
      cluster: {
        ...az.overlayCilium,
        networkProfile: {
          ...az.overlayCilium.networkProfile,
          loadBalancerProfile: { managedOutboundIPs: { count: 2, countIpv6: 2 } },
        },
      },
      subnets: [az.subnet('aks-nodes', '10.240.0.0/22')],
    });
    expect(dual.warnings).toEqual([
      {
        path: 'cluster.networkProfile.loadBalancerProfile.managedOutboundIPs.countIpv6',
        message:
          "2 IPv6 outbound IP(s): the plan counts 1, AKS's default, among public IPs; SNAT capacity counts the IPv4 ones",
      },
    ]);
    // A dual-stack cluster's default, 1, is what the plan counts: nothing to say; 3 is said.
    const dualStack = (countIpv6: number) =>
      planFromAz({
        cluster: {
          ...az.overlayCilium,
          networkProfile: {
            ...az.overlayCilium.networkProfile,
            ipFamilies: ['IPv4', 'IPv6'],
            loadBalancerProfile: { managedOutboundIPs: { count: 2, countIpv6 } },
          },
        },
        subnets: [az.subnet('aks-nodes', '10.240.0.0/22')],
      }).warnings.filter((w) => w.path.endsWith('countIpv6'));
    expect(dualStack(1)).toEqual([]);
    // A cluster naming IPv6 alone is planned as IPv4 (a warning says so): its count of 1 is said too.
    const ipv6Only = planFromAz({
      cluster: {
        ...az.overlayCilium,
        networkProfile: {
          ...az.overlayCilium.networkProfile,
          ipFamilies: ['IPv6'],
          loadBalancerProfile: { managedOutboundIPs: { count: 2, countIpv6: 1 } },
        },
      },
      subnets: [az.subnet('aks-nodes', '10.240.0.0/22')],
    }).warnings.filter((w) => w.path.endsWith('countIpv6'));
    expect(ipv6Only.map((w) => w.message)).toEqual([
      "1 IPv6 outbound IP(s): the plan counts 0, AKS's default, among public IPs; SNAT capacity counts the IPv4 ones",
    ]);
    expect(dualStack(3).map((w) => w.message)).toEqual([
      "3 IPv6 outbound IP(s): the plan counts 1, AKS's default, among public IPs; SNAT capacity counts the IPv4 ones",
    ]);
  });
});

describe('ARM enum values', () => {
  const overlay = (networkProfile: object, pool: object = {}) => ({
    ...az.overlayCilium,
    networkProfile: { ...az.overlayCilium.networkProfile, ...networkProfile },
    agentPoolProfiles: (az.overlayCilium.agentPoolProfiles as object[]).map((p) => ({ ...p, ...pool })),
  });
  const subnets = [az.subnet('aks-nodes', '10.240.0.0/22')];

  it('are read case-insensitively, as ARM reads them', () => {
    const exact = planFromAz({ cluster: az.overlayCilium, subnets });
    const capitalised = planFromAz({
      cluster: overlay(
        {
          networkPlugin: 'Azure',
          networkPluginMode: 'Overlay',
          networkDataplane: 'Cilium',
          networkPolicy: 'Cilium',
          outboundType: 'LoadBalancer',
        },
        { osType: 'linux' },
      ),
      subnets,
    });
    expect(capitalised).toEqual(exact);
    expect(capitalised.design.network?.podCidrs).toEqual(['10.244.0.0/16', 'fd12:3456:789a::/64']);
    const blocks = planFromAz({
      cluster: {
        ...az.podSubnetStatic,
        agentPoolProfiles: (az.podSubnetStatic.agentPoolProfiles as { mode: string }[]).map((p) => ({
          ...p,
          mode: p.mode.toLowerCase(),
          podIpAllocationMode: 'staticblock',
        })),
      },
      subnets: ['aks-nodes', 'aks-pods', 'batch-nodes', 'batch-pods'].map((s, i) =>
        az.subnet(s, `10.${10 + i}.0.0/22`),
      ),
    });
    expect([blocks.design.network?.podIpAllocation, blocks.design.nodePools.map((p) => p.mode)]).toEqual([
      'static-block',
      ['System', 'User'],
    ]);
    expect(blocks.warnings).toEqual([]);
  });

  it('the planner does not know are warnings saying what is planned instead, never dropped silently', () => {
    const single = {
      ipFamilies: ['IPv4'],
      podCidrs: ['10.244.0.0/16'],
      serviceCidrs: ['10.0.0.0/16'],
      serviceCidr: '10.0.0.0/16',
      loadBalancerProfile: { managedOutboundIPs: { count: 2 } },
    };
    const { design, warnings } = planFromAz({
      cluster: overlay(
        { ...single, networkPluginMode: 'Tunnel', networkDataplane: 'ebpf' },
        { osType: 'Plan9', podIpAllocationMode: 'Sparse' },
      ),
      subnets,
    });
    expect(design.network?.plugin).toBe('azure-cni-node-subnet');
    expect(design.network?.dataplane).toBeUndefined();
    expect(warnings).toEqual([
      {
        path: 'cluster.agentPoolProfiles[0].osType',
        message: 'pool system has osType Plan9, planned as a Linux pool',
      },
      {
        path: 'cluster.agentPoolProfiles[0].podIpAllocationMode',
        message: 'pool system allocates pod IPs by Sparse, planned as dynamic allocation',
      },
      {
        path: 'cluster.agentPoolProfiles[1].osType',
        message: 'pool user has osType Plan9, planned as a Linux pool',
      },
      {
        path: 'cluster.agentPoolProfiles[1].podIpAllocationMode',
        message: 'pool user allocates pod IPs by Sparse, planned as dynamic allocation',
      },
      {
        path: 'cluster.networkProfile.networkPluginMode',
        message: 'networkPluginMode Tunnel is not one the planner knows: planned as azure-cni-node-subnet',
      },
      {
        path: 'cluster.networkProfile.networkDataplane',
        message: 'networkDataplane ebpf is not one the planner knows: planned as azure',
      },
      {
        path: 'cluster.networkProfile.podCidr',
        message: 'pod CIDR 10.244.0.0/16 is not used by azure-cni-node-subnet: not planned',
      },
    ]);
    expect(() => planDesign(design)).not.toThrow();
  });

  it('of the wrong type, or a family AKS does not run, are warnings too, not taken for absent values', () => {
    const { design, warnings } = planFromAz({
      cluster: overlay({
        ipFamilies: ['IPv6'],
        networkDataplane: ['cilium'],
        outboundType: 5,
        networkPolicy: {},
      }),
      subnets,
    });
    expect(design.network?.ipFamilies).toBeUndefined();
    expect(design.network?.dataplane).toBeUndefined();
    expect(design.outbound).toBeUndefined();
    expect(warnings).toEqual([
      {
        path: 'cluster.networkProfile.networkPolicy',
        message: 'network policy {} is not part of the address plan',
      },
      {
        path: 'cluster.networkProfile.ipFamilies',
        message: 'ipFamilies ["IPv6"]: AKS runs IPv4 and dual-stack clusters only: planned as IPv4',
      },
      {
        path: 'cluster.networkProfile.networkDataplane',
        message: 'networkDataplane ["cilium"] is not one the planner knows: planned as azure',
      },
      { path: 'cluster.networkProfile.outboundType', message: 'outbound type 5 is not planned' },
    ]);
    expect(() => planDesign(design)).not.toThrow();
    const numbered = { ...az.managedVnet, networkProfile: { networkPlugin: 5 } };
    expect(() => planFromAz({ cluster: numbered })).toThrow(/networkPlugin "5" is not a plugin/);
  });

  it('numbers that are no whole numbers are warnings saying what is planned instead', () => {
    const lb = (az.overlayCilium.networkProfile as unknown as { loadBalancerProfile: object })
      .loadBalancerProfile;
    const { design, warnings } = planFromAz({
      cluster: overlay(
        {
          loadBalancerProfile: {
            ...lb,
            managedOutboundIPs: { count: '3' },
            allocatedOutboundPorts: -8,
            idleTimeoutInMinutes: 1.5,
          },
        },
        { maxPods: 'abc', minCount: true, maxCount: -1 },
      ),
      subnets,
    });
    expect(design.nodePools.map((p) => [p.maxPods, p.minCount, p.maxCount])).toEqual([
      [undefined, undefined, undefined],
      [undefined, undefined, undefined],
    ]);
    expect(design.outbound).toEqual({ type: 'loadBalancer' });
    const at = 'cluster.networkProfile.loadBalancerProfile';
    expect(warnings).toEqual([
      {
        path: 'cluster.agentPoolProfiles[0].maxPods',
        message:
          '"abc" is not a count (a whole number from 0 to 2^53 - 1): pool system\'s maxPods planned as the plugin\'s default',
      },
      {
        path: 'cluster.agentPoolProfiles[0].minCount',
        message: 'true is not a count (a whole number from 0 to 2^53 - 1): no autoscaler minimum planned',
      },
      {
        path: 'cluster.agentPoolProfiles[0].maxCount',
        message: '-1 is not a count (a whole number from 0 to 2^53 - 1): no autoscaler maximum planned',
      },
      {
        path: 'cluster.agentPoolProfiles[1].maxPods',
        message:
          '"abc" is not a count (a whole number from 0 to 2^53 - 1): pool user\'s maxPods planned as the plugin\'s default',
      },
      {
        path: `${at}.managedOutboundIPs.count`,
        message:
          '"3" is not a count (a whole number from 0 to 2^53 - 1): planned with AKS\'s default outbound IPs',
      },
      {
        path: `${at}.allocatedOutboundPorts`,
        message: '-8 is not a count (a whole number from 0 to 2^53 - 1): planned with the default port table',
      },
      {
        path: `${at}.idleTimeoutInMinutes`,
        message:
          "1.5 is not a count (a whole number from 0 to 2^53 - 1): planned with AKS's default idle timeout",
      },
    ]);
  });

  it('a DNS IP, pod or service CIDR of the wrong type is a warning: the default is planned', () => {
    const { design, warnings } = planFromAz({
      cluster: overlay({ ipFamilies: ['IPv4'], serviceCidr: ['x'], dnsServiceIp: 5, podCidr: {} }),
      subnets,
    });
    expect([design.network?.serviceCidr, design.network?.dnsServiceIp, design.network?.podCidr]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(warnings).toEqual(
      expect.arrayContaining([
        { path: 'cluster.networkProfile.dnsServiceIp', message: '5 is not text: planned with the default' },
        { path: 'cluster.networkProfile.podCidr', message: '{} is not text: planned with the default' },
        {
          path: 'cluster.networkProfile.serviceCidr',
          message: '["x"] is not text: planned with the default',
        },
      ]),
    );
  });

  it('a mode or OS of the wrong type is a warning naming what the pool is planned as', () => {
    const { design, warnings } = planFromAz({
      cluster: overlay({}, { mode: 5, osType: ['Windows'] }),
      subnets,
    });
    expect(design.nodePools.map((p) => [p.mode, p.osType])).toEqual([
      [undefined, undefined],
      [undefined, undefined],
    ]);
    expect(warnings.map((w) => w.message)).toEqual([
      'pool system has mode 5, planned as the first pool, a System pool',
      'pool system has osType ["Windows"], planned as a Linux pool',
      'pool user has mode 5, planned as a User pool',
      'pool user has osType ["Windows"], planned as a Linux pool',
    ]);
  });

  it('refuses a subnet id that is no text, and one subnet given twice with two prefixes', () => {
    for (const vnetSubnetId of [12345, '', { id: 'x' }]) {
      const refused = () => planFromAz({ cluster: overlay({}, { vnetSubnetId }), subnets });
      // Every pool's, in one answer.
      expect(refused).toThrow(
        expect.objectContaining({
          code: 'AZ_CLUSTER_INVALID',
          problems: [0, 1].map((i) => ({
            code: 'AZ_CLUSTER_INVALID',
            path: `cluster.agentPoolProfiles[${i}].vnetSubnetId`,
            message: 'vnetSubnetId must be a subnet resource id',
          })),
        }),
      );
    }
    const twice = [...subnets, { ...az.subnet('aks-nodes', '10.240.8.0/22'), id: az.subnetId('AKS-NODES') }];
    expect(() => planFromAz({ cluster: az.overlayCilium, subnets: twice })).toThrow(
      /subnet AKS-NODES is given twice, with 10.240.0.0\/22 and 10.240.8.0\/22/,
    );
  });

  it('a VNet JSON without address prefixes is a warning, not silently no VNet', () => {
    for (const vnet of ['x', [], { ...az.vnet, addressSpace: { addressPrefixes: '10.240.0.0/14' } }]) {
      const { design, warnings } = planFromAz({ cluster: az.overlayCilium, subnets, vnet });
      expect(design.network?.vnetAddressSpace).toBeUndefined();
      expect(warnings.map((w) => w.path)).toContain('vnet.addressSpace.addressPrefixes');
    }
  });

  it('none stays unsupported in any case', () => {
    const none = { ...az.managedVnet, networkProfile: { networkPlugin: 'None' } };
    expect(() => planFromAz({ cluster: none })).toThrow(/networkPlugin "None" \(bring your own CNI\)/);
  });
});

describe('API server VNet integration', () => {
  const integrated = (apiServerAccessProfile: object) => ({ ...az.overlayCilium, apiServerAccessProfile });
  const profile = {
    enablePrivateCluster: true,
    enableVnetIntegration: true,
    subnetId: az.subnetId('aks-api'),
  };

  it('carries the API server subnet as an api-server platform subnet when its prefix is given', () => {
    const nodes = az.subnet('aks-nodes', '10.240.0.0/22');
    const fromSubnets = planFromAz({
      cluster: integrated(profile),
      subnets: [nodes, az.subnet('aks-api', '10.240.4.0/28')],
      vnet: az.vnet,
    });
    expect(fromSubnets.design.platformSubnets).toEqual([
      { role: 'api-server', name: 'aks-api', cidr: '10.240.4.0/28' },
    ]);
    expect(fromSubnets.warnings).toEqual([]);
    // `az network vnet show` lists the VNet's subnets with their prefixes: that is enough too.
    const fromVnet = planFromAz({
      cluster: integrated({ ...profile, subnetId: profile.subnetId.toUpperCase() }),
      subnets: [nodes],
      vnet: { ...az.vnet, subnets: [nodes, az.subnet('aks-api', '10.240.4.0/28')] },
    });
    expect(fromVnet.design).toEqual(fromSubnets.design);
    // The private API server's endpoint is in its own subnet, not among the node subnet's addresses.
    const nodeSubnet = planDesign(fromSubnets.design)
      .model.capacity()
      .ranges.find((r) => r.kind === 'node-subnet');
    expect(nodeSubnet?.explain).not.toMatch(/API server/);
  });

  it('says so when the subnet is not carried', () => {
    const missing = planFromAz({
      cluster: integrated(profile),
      subnets: [az.subnet('aks-nodes', '10.240.0.0/22')],
    });
    expect(missing.design.platformSubnets).toBeUndefined();
    expect(missing.warnings).toEqual([
      {
        path: 'cluster.apiServerAccessProfile.subnetId',
        message: `the API server subnet aks-api was not carried: its address prefix is not in this JSON; add \`az network vnet subnet show --ids '${az.subnetId('aks-api')}' -o json\` to subnets to plan it`,
      },
    ]);
    const managed = planFromAz({
      cluster: integrated({ enableVnetIntegration: true }),
      subnets: [az.subnet('aks-nodes', '10.240.0.0/22')],
    });
    expect(managed.warnings.map((w) => w.message)).toContain(
      'the API server is integrated into a subnet AKS manages (no subnetId): the plan does not carry it',
    );
  });
});

describe('what az prints, read exactly', () => {
  const nodes = [az.subnet('aks-nodes', '10.240.0.0/22')];
  const withPools = (pools: object[]) => ({ ...az.managedVnet, agentPoolProfiles: pools });
  const agentpool = (az.managedVnet.agentPoolProfiles as object[])[0] as object;

  it('takes AKS’s 100 pools, and refuses 101 before reading one', () => {
    const pools = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        ...agentpool,
        name: i === 0 ? 'agentpool' : `user${i}`,
        mode: i === 0 ? 'System' : 'User',
      }));
    expect(planFromAz({ cluster: withPools(pools(100)) }).design.nodePools).toHaveLength(100);
    expect(() => planFromAz({ cluster: withPools(pools(101)) })).toThrow(
      /101 node pools exceed the AKS limit of 100/,
    );
  });

  it('reads a pool without a count as a pool of no nodes', () => {
    const { count: _, ...noCount } = agentpool as { count: number };
    const { design } = planFromAz({
      cluster: withPools([agentpool, { ...noCount, name: 'spare', mode: 'User' }]),
    });
    expect(design.nodePools[1]).toMatchObject({ name: 'spare', nodeCount: 0 });
  });

  it("reads ARM's vnetSubnetID spelling as a subnet of one's own, not AKS's VNet", () => {
    const armSpelt = { ...agentpool, vnetSubnetId: undefined, vnetSubnetID: az.subnetId('aks-nodes') };
    const { design, warnings } = planFromAz({ cluster: withPools([armSpelt]), subnets: nodes });
    expect(design.network?.nodeSubnet).toBe('10.240.0.0/22');
    expect(warnings.map((w) => w.path)).not.toContain('cluster.agentPoolProfiles[0].vnetSubnetId');
  });

  it('says when one pool of several allocates pod IPs in static blocks', () => {
    const [system, batch] = az.podSubnetStatic.agentPoolProfiles as object[];
    const mixed = {
      ...az.podSubnetStatic,
      agentPoolProfiles: [system, { ...batch, podIpAllocationMode: 'DynamicIndividual' }],
    };
    const { warnings } = planFromAz({
      cluster: mixed,
      subnets: [
        az.subnet('aks-nodes', '10.240.0.0/24'),
        az.subnet('aks-pods', '10.241.0.0/16'),
        az.subnet('batch-nodes', '10.240.1.0/24'),
        az.subnet('batch-pods', '10.242.0.0/16'),
      ],
    });
    expect(warnings).toContainEqual({
      path: 'cluster.agentPoolProfiles',
      message:
        'some pools allocate pod IPs in static blocks and others dynamically: planned as static blocks for all',
    });
  });

  it('plans a cluster private only when enablePrivateCluster is true', () => {
    const privacy = (enablePrivateCluster: unknown) =>
      planFromAz({ cluster: { ...az.managedVnet, apiServerAccessProfile: { enablePrivateCluster } } }).design
        .network?.privateCluster;
    expect(privacy(true)).toBe(true);
    expect(privacy(false)).toBeUndefined();
    expect(privacy('true')).toBeUndefined();
  });

  it("counts a load balancer's public IPs of one's own as its outbound IPs", () => {
    const own = {
      ...az.managedVnet,
      networkProfile: {
        ...az.managedVnet.networkProfile,
        loadBalancerProfile: {
          managedOutboundIPs: null,
          outboundIPs: { publicIPs: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] },
        },
      },
    };
    const { design, warnings } = planFromAz({ cluster: own });
    expect(design.outbound).toMatchObject({ type: 'loadBalancer', managedOutboundIps: 3 });
    expect(warnings.map((w) => w.message)).toContain(
      'the load balancer uses 3 public IP(s) of your own: planned as 3 outbound IP(s)',
    );
  });
});

describe('a cluster that names no network plugin', () => {
  it("is planned as the planner's default, overlay, with the pod CIDR it gives", () => {
    const unnamed = {
      ...az.kubenet,
      networkProfile: { ...az.kubenet.networkProfile, networkPlugin: null },
    };
    const { design, warnings } = planFromAz({
      cluster: unnamed,
      subnets: [az.subnet('legacy-nodes', '10.20.0.0/24')],
    });
    expect(design.network?.plugin).toBeUndefined();
    expect(design.network?.podCidr).toBe('10.244.0.0/16');
    expect(warnings.map((w) => w.path)).not.toContain('cluster.networkProfile.podCidr');
  });
});
