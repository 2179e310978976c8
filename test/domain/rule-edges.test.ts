/**
 * Rules at their edges, each with a design that tells the rule from a near miss of it: the
 * exact limit accepted and one past it refused, the other address family, the problem reported
 * once. Found by mutating the rules one at a time: no other test failed.
 */
import { describe, expect, it } from 'vitest';
import type { NodePoolInput, PlanInput, PlatformSubnetInput } from '../../src/domain/design/spec.js';
import { maxReach } from '../../src/domain/plan/max-reach.js';
import { mergePatch } from '../../src/domain/plan/merge-patch.js';
import { planDesign } from '../../src/domain/plan/planner.js';
import { diffSpecs } from '../../src/domain/plan/spec-diff.js';
import { design, expectOnlyProblem, problemKeys } from './helpers.js';

const codes = (input: PlanInput) => planDesign(input).warnings.map((w) => w.code);

/** A node-subnet design in VNet 10.240.0.0/16 with these platform subnets. */
const withPlatform = (platformSubnets: PlatformSubnetInput[], extra: Partial<PlanInput> = {}): PlanInput => ({
  name: 'c1',
  network: {
    plugin: 'azure-cni-node-subnet',
    vnetAddressSpace: ['10.240.0.0/16'],
    nodeSubnet: '10.240.0.0/24',
  },
  nodePools: [{ name: 'system', nodeCount: 3 }],
  platformSubnets,
  ...extra,
});

describe('network rules', () => {
  it('refuses a plan name that reads as a plan id', () => {
    expectOnlyProblem(design({ name: '123e4567-e89b-12d3-a456-426614174000' }), 'PLAN_NAME_INVALID', 'name');
  });

  it('refuses an IPv6 Docker bridge CIDR: the field was IPv4 only', () => {
    expectOnlyProblem(
      design({ network: { dockerBridgeCidr: 'fd00::1/16' } }),
      'CIDR_INVALID',
      'network.dockerBridgeCidr',
    );
  });

  it('refuses an IPv6 service CIDR in a single-stack cluster', () => {
    expectOnlyProblem(
      design({ network: { serviceCidr: 'fd00::/108', dnsServiceIp: 'fd00::a' } }),
      'ADDRESS_FAMILY_NOT_SUPPORTED',
      'network.serviceCidr',
    );
  });

  it('asks for the DNS service IP where a tiny service CIDR leaves no 10th address to default to', () => {
    expectOnlyProblem(
      design({ network: { serviceCidr: '10.1.0.0/29' } }),
      'DNS_SERVICE_IP_REQUIRED',
      'network.dnsServiceIp',
    );
  });

  it('reports 169.254.0.0/16 in the VNet once', () => {
    expect(
      problemKeys({
        ...withPlatform([]),
        network: {
          plugin: 'azure-cni-node-subnet',
          vnetAddressSpace: ['10.240.0.0/16', '169.254.0.0/16'],
          nodeSubnet: '10.240.0.0/24',
        },
      }),
    ).toEqual([{ code: 'RANGE_FORBIDDEN', path: 'network.vnetAddressSpace[1]' }]);
  });
});

describe('pool rules', () => {
  it('refuses minCount without maxCount: the autoscaler needs both', () => {
    expectOnlyProblem(
      design({ nodePools: [{ name: 'system', nodeCount: 3, minCount: 1 }] }),
      'MIN_COUNT_WITHOUT_MAX_COUNT',
      'nodePools[0].minCount',
    );
  });

  it('checks the subnets of a design with exactly 100 pools, the most it takes', () => {
    const pools: NodePoolInput[] = [
      { name: 'system', nodeCount: 1, maxSurge: 0 },
      ...Array.from({ length: 99 }, (_, i) => ({ name: `u${i + 1}`, nodeCount: 0, maxSurge: 0 })),
    ];
    expectOnlyProblem(
      {
        name: 'c1',
        network: {
          plugin: 'azure-cni-node-subnet',
          vnetAddressSpace: ['10.240.0.0/16'],
          nodeSubnet: '10.250.0.0/24',
        },
        nodePools: pools,
      },
      'SUBNET_OUTSIDE_VNET',
      'network.nodeSubnet',
    );
  });

  it('refuses a surge above 100%, and takes a whole-node string of 8 digits but not 9', () => {
    const surge = (maxSurge: string) => design({ nodePools: [{ name: 'system', nodeCount: 3, maxSurge }] });
    expectOnlyProblem(surge('101%'), 'MAX_SURGE_INVALID', 'nodePools[0].maxSurge');
    expectOnlyProblem(surge('123456789'), 'MAX_SURGE_INVALID', 'nodePools[0].maxSurge');
    expect(() => planDesign(surge('100%'))).not.toThrow();
  });

  it('warns of a single-node Gateway pool', () => {
    const gateway = (nodeCount: number): PlanInput => ({
      name: 'c1',
      network: { plugin: 'azure-cni-overlay', nodeSubnet: '10.240.0.0/16' },
      nodePools: [
        { name: 'system', nodeCount: 3 },
        { name: 'egress', mode: 'Gateway', nodeCount, gatewayPrefixSize: 31 },
      ],
    });
    expect(codes(gateway(1))).toContain('GATEWAY_POOL_SINGLE_NODE');
    expect(codes(gateway(2))).not.toContain('GATEWAY_POOL_SINGLE_NODE');
  });

  it('warns above 65,536 configured IPs in the VNet, not at it', () => {
    const configured = (nodeCount: number): PlanInput => ({
      name: 'c1',
      network: { plugin: 'azure-cni-node-subnet', nodeSubnet: '10.240.0.0/15' },
      nodePools: [{ name: 'system', nodeCount, maxPods: 127, maxSurge: 0 }],
    });
    expect(codes(configured(512))).not.toContain('VNET_CONFIGURED_IPS_ABOVE_LIMIT'); // 512 x 128 = 65,536
    expect(codes(configured(513))).toContain('VNET_CONFIGURED_IPS_ABOVE_LIMIT');
  });
});

describe('platform subnet rules', () => {
  it('reports a platform subnet over a shared pod subnet once', () => {
    expect(
      problemKeys({
        name: 'c1',
        network: {
          plugin: 'azure-cni-pod-subnet',
          vnetAddressSpace: ['10.240.0.0/16'],
          nodeSubnet: '10.240.0.0/24',
          podSubnet: '10.240.16.0/20',
        },
        nodePools: [
          { name: 'system', nodeCount: 3 },
          { name: 'apps', nodeCount: 2 },
        ],
        platformSubnets: [{ role: 'bastion', cidr: '10.240.16.0/26' }],
      }),
    ).toEqual([{ code: 'SUBNETS_OVERLAP', path: 'platformSubnets[0].cidr' }]);
  });

  it('takes names of up to 80 characters that end in a letter, digit or underscore', () => {
    const named = (name: string) => withPlatform([{ role: 'other', name, cidr: '10.240.1.0/24' }]);
    expect(() => planDesign(named('a'.repeat(80)))).not.toThrow();
    expectOnlyProblem(named('a'.repeat(81)), 'PLATFORM_SUBNET_NAME_INVALID', 'platformSubnets[0].name');
    expectOnlyProblem(named('apps.'), 'PLATFORM_SUBNET_NAME_INVALID', 'platformSubnets[0].name');
  });

  it('holds a fixed name to its exact spelling', () => {
    expectOnlyProblem(
      withPlatform([{ role: 'azure-firewall', name: 'azurefirewallsubnet', cidr: '10.240.1.0/26' }]),
      'PLATFORM_SUBNET_NAME_FIXED',
      'platformSubnets[0].name',
    );
  });

  it("refuses a firewall IP at its subnet's last address, and takes the one before", () => {
    const firewallAt = (ip: string) =>
      withPlatform([{ role: 'azure-firewall', cidr: '10.240.1.0/26' }], {
        outbound: { type: 'userDefinedRouting', firewallPrivateIp: ip },
      });
    expectOnlyProblem(firewallAt('10.240.1.63'), 'FIREWALL_IP_INVALID', 'outbound.firewallPrivateIp');
    expect(() => planDesign(firewallAt('10.240.1.62'))).not.toThrow();
  });

  it('refuses a platform subnet that holds the service CIDR', () => {
    const wide = {
      ...withPlatform([{ role: 'other', name: 'wide', cidr: '10.0.0.0/15' }]),
      network: {
        plugin: 'azure-cni-node-subnet' as const,
        vnetAddressSpace: ['10.0.0.0/8'],
        nodeSubnet: '10.240.0.0/24',
      },
    };
    expect(problemKeys(wide)).toContainEqual({
      code: 'PLATFORM_SUBNET_OVERLAPS_CLUSTER_RANGE',
      path: 'platformSubnets[0].cidr',
    });
  });

  it('defaults ingress to no public IP, and says so', () => {
    const planned = planDesign({ ...design(), ingress: {} });
    expect(planned.spec.ingress).toEqual({ publicIps: 0 });
    expect(planned.defaultsApplied).toContain('ingress.publicIps');
  });
});

describe('how far each pool can scale (maxReach)', () => {
  const reach = (input: PlanInput) => {
    const planned = planDesign(input);
    return maxReach(planned.spec, planned.model.rangeCapacity()).map((r) => [
      r.pool,
      r.maxCount,
      r.limitedBy?.kind,
    ]);
  };

  it("shares the load balancer's SNAT ports between the pools: 64,000 / 8,000 = 8 nodes in all", () => {
    expect(
      reach({
        name: 'c1',
        network: { plugin: 'azure-cni-overlay', nodeSubnet: '10.240.0.0/16' },
        nodePools: [
          { name: 'system', nodeCount: 2, maxSurge: 0 },
          { name: 'apps', nodeCount: 2, maxSurge: 0 },
        ],
        outbound: { type: 'loadBalancer', managedOutboundIps: 1, allocatedOutboundPorts: 8000 },
      }),
    ).toEqual([
      ['system', 6, 'snat'],
      ['apps', 6, 'snat'],
    ]);
  });

  it('names the first limit in its order when two stop a pool at the same count: the pool size before the cluster size', () => {
    // Five pools of 1,000 nodes: each is at the 1,000-node pool limit and at the 5,000-node cluster limit.
    const pools = ['system', 'u1', 'u2', 'u3', 'u4'].map((name) => ({ name, nodeCount: 1000, maxSurge: 0 }));
    expect(
      reach({
        name: 'c1',
        network: { plugin: 'azure-cni-overlay', nodeSubnet: '10.240.0.0/16', podCidr: '100.64.0.0/11' },
        nodePools: pools,
      }),
    ).toEqual(pools.map((p) => [p.name, 1000, 'pool-size-limit']));
  });

  it('holds a static-block pod subnet to the pool size, not the dynamic pod IP limit', () => {
    expect(
      reach({
        name: 'c1',
        network: {
          plugin: 'azure-cni-pod-subnet',
          podIpAllocation: 'static-block',
          vnetAddressSpace: ['10.0.0.0/8'],
          nodeSubnet: '10.240.0.0/20',
          podSubnet: '10.128.0.0/12',
        },
        nodePools: [{ name: 'system', nodeCount: 3, maxPods: 250, maxSurge: 0 }],
      }),
    ).toEqual([['system', 1000, 'pool-size-limit']]);
  });
});

describe('merge patches and spec changes', () => {
  it('replaces a list whose entries have no names, as RFC 7396 replaces arrays', () => {
    expect(mergePatch({ nodePools: [{ x: 1 }] }, { nodePools: [{ name: 'a' }] })).toEqual({
      nodePools: [{ name: 'a' }],
    });
  });

  it('reports pools put in another order', () => {
    expect(
      diffSpecs(
        { nodePools: [{ name: 'system' }, { name: 'apps' }] },
        { nodePools: [{ name: 'apps' }, { name: 'system' }] },
      ),
    ).toEqual([{ path: 'nodePools', from: ['system', 'apps'], to: ['apps', 'system'] }]);
  });
});
