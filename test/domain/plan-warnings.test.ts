/**
 * Warnings about choices AKS accepts but Microsoft does not recommend or support: a Windows
 * pool's maxPods, a public pod CIDR, a dynamic pod subnet larger than /16. Each is written out
 * from the sentence of Microsoft's documentation it rests on.
 */
import { describe, expect, it } from 'vitest';
import { exportDesign } from '../../src/domain/exports/index.js';
import { loadDesign, type PlannedDesign, planDesign } from '../../src/domain/plan/planner.js';
import {
  dualStackDesign,
  kubenetDesign,
  overlayDesign,
  planOf,
  podSubnetDesign,
  staticBlockDesign,
} from './plugins/helpers.js';

const withCode = (planned: PlannedDesign, code: string) => planned.warnings.filter((w) => w.code === code);

describe('WINDOWS_MAX_PODS: "Maximum recommended for Windows Server containers: 110"', () => {
  it("names each Windows pool above 110, maxPods given or the plugin's default", () => {
    const planned = planOf(
      overlayDesign({
        nodePools: [
          { name: 'system', nodeCount: 3 },
          { name: 'win', osType: 'Windows', nodeCount: 2 },
          { name: 'win2', osType: 'Windows', nodeCount: 2, maxPods: 111 },
          { name: 'win3', osType: 'Windows', nodeCount: 2, maxPods: 110 },
        ],
      }),
    );

    expect(withCode(planned, 'WINDOWS_MAX_PODS')).toEqual([
      {
        code: 'WINDOWS_MAX_PODS',
        message:
          'Microsoft recommends at most 110 pods per node for Windows Server containers, and maxPods cannot change on an existing pool: win (maxPods 250), win2 (maxPods 111)',
      },
    ]);
  });

  it('warns with a pod subnet too, and not for Linux pools above 110', () => {
    const planned = planOf(
      podSubnetDesign({
        network: { podSubnet: '10.241.0.0/20' },
        nodePools: [
          { name: 'system', nodeCount: 3, maxPods: 250 },
          { name: 'win', osType: 'Windows', nodeCount: 2, maxPods: 120 },
        ],
      }),
    );

    expect(withCode(planned, 'WINDOWS_MAX_PODS').map((w) => w.message)).toEqual([
      expect.stringMatching(/: win \(maxPods 120\)$/),
    ]);
  });

  it('gives no warning at the node subnet default of 30, nor for Linux pools', () => {
    const nodeSubnet = planOf({
      name: 'node-subnet',
      network: { plugin: 'azure-cni-node-subnet', nodeSubnet: '10.240.0.0/22' },
      nodePools: [
        { name: 'system', nodeCount: 3 },
        { name: 'win', osType: 'Windows', nodeCount: 2 },
      ],
    });
    expect(withCode(nodeSubnet, 'WINDOWS_MAX_PODS')).toEqual([]);
    expect(withCode(planOf(overlayDesign()), 'WINDOWS_MAX_PODS')).toEqual([]);
  });
});

describe('POD_CIDR_NOT_PRIVATE: public pod CIDRs are "out of Microsoft\'s support scope"', () => {
  it.each([['10.244.0.0/16'], ['172.16.0.0/16'], ['192.168.0.0/16'], ['100.64.0.0/10'], ['100.127.0.0/16']])(
    'gives no warning for %s, inside RFC 1918 or RFC 6598',
    (podCidr) => {
      expect(withCode(planOf(overlayDesign({ network: { podCidr } })), 'POD_CIDR_NOT_PRIVATE')).toEqual([]);
    },
  );

  it.each([
    // public space
    ['20.0.0.0/16'],
    // just past RFC 6598, and just past 172.16.0.0/12
    ['100.128.0.0/16'],
    ['172.32.0.0/16'],
    // half inside 192.168.0.0/16: the other half is public
    ['192.168.0.0/15'],
  ])('warns for an overlay pod CIDR %s', (podCidr) => {
    expect(withCode(planOf(overlayDesign({ network: { podCidr } })), 'POD_CIDR_NOT_PRIVATE')).toEqual([
      {
        code: 'POD_CIDR_NOT_PRIVATE',
        message: `the pod CIDR ${podCidr} is not inside RFC 1918 (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16) or RFC 6598 (100.64.0.0/10) space: AKS does not block public ranges, but they are outside Microsoft's support scope`,
      },
    ]);
  });

  it('warns for a kubenet pod CIDR', () => {
    const planned = planOf(kubenetDesign({ network: { podCidr: '11.0.0.0/16' } }));
    expect(withCode(planned, 'POD_CIDR_NOT_PRIVATE').map((w) => w.message)).toEqual([
      expect.stringContaining('the pod CIDR 11.0.0.0/16 is not inside'),
    ]);
  });

  it('judges the IPv4 pod CIDR of a dual-stack cluster once, and not the IPv6 one', () => {
    const planned = planOf(dualStackDesign({ network: { podCidrs: ['20.0.0.0/16', '2001:db8::/64'] } }));
    expect(withCode(planned, 'POD_CIDR_NOT_PRIVATE').map((w) => w.message)).toEqual([
      expect.stringContaining('the pod CIDR 20.0.0.0/16 is not inside'),
    ]);
  });
});

describe('DYNAMIC_POD_SUBNET_TOO_LARGE: "Dynamic IP allocation supports pod subnets up to /16"', () => {
  it('warns for a cluster pod subnet larger than /16, naming the pools on it and suggesting static block', () => {
    const planned = planOf(
      podSubnetDesign({
        network: { podSubnet: '10.64.0.0/15' },
        nodePools: [
          { name: 'system', nodeCount: 3 },
          { name: 'user', nodeCount: 3 },
        ],
      }),
    );

    expect(withCode(planned, 'DYNAMIC_POD_SUBNET_TOO_LARGE')).toEqual([
      {
        code: 'DYNAMIC_POD_SUBNET_TOO_LARGE',
        message:
          'the pod subnet 10.64.0.0/15 of system, user is larger than /16, the largest pod subnet dynamic IP allocation supports: use static block allocation (podIpAllocation "static-block"), which supports pod subnets up to /12, or pod subnets of /16 or smaller',
      },
    ]);
  });

  it("judges each pool's own pod subnet, and the cluster's where pools use it", () => {
    const planned = planOf(
      podSubnetDesign({
        network: { podSubnet: '10.80.0.0/14' },
        nodePools: [
          { name: 'system', nodeCount: 3, podSubnet: '10.64.0.0/16' },
          { name: 'big', nodeCount: 3, podSubnet: '10.68.0.0/14' },
          { name: 'rest', nodeCount: 3 },
        ],
      }),
    );

    expect(withCode(planned, 'DYNAMIC_POD_SUBNET_TOO_LARGE').map((w) => w.message)).toEqual([
      expect.stringContaining('the pod subnet 10.68.0.0/14 of big is larger than /16'),
      expect.stringContaining('the pod subnet 10.80.0.0/14 of rest is larger than /16'),
    ]);
  });

  it('gives no warning for a /16, for a cluster pod subnet every pool replaces, nor for static block', () => {
    const sixteen = planOf(podSubnetDesign({ network: { podSubnet: '10.64.0.0/16' } }));
    expect(withCode(sixteen, 'DYNAMIC_POD_SUBNET_TOO_LARGE')).toEqual([]);
    // No pool takes its pods from the cluster's pod subnet: AKS never sees it.
    const unused = planOf(
      podSubnetDesign({
        network: { podSubnet: '10.64.0.0/14' },
        nodePools: [{ name: 'system', nodeCount: 3, podSubnet: '10.70.0.0/16' }],
      }),
    );
    expect(withCode(unused, 'DYNAMIC_POD_SUBNET_TOO_LARGE')).toEqual([]);
    const staticBlock = planOf(staticBlockDesign({ network: { podSubnet: '10.64.0.0/14' } }));
    expect(withCode(staticBlock, 'DYNAMIC_POD_SUBNET_TOO_LARGE')).toEqual([]);
  });
});

describe('STORED_PLAN_BREAKS_RULE: a plan stored before a rule it now breaks', () => {
  it('is read as stored, each broken rule said, and a plan that breaks none says nothing', () => {
    const stored = planDesign({
      name: 'old',
      network: { plugin: 'kubenet' },
      nodePools: [{ name: 'system', nodeCount: 3 }],
    });
    // A pod CIDR in the VNet AKS creates was allowed before that VNet's address space was checked.
    const older = { ...stored.spec, network: { ...stored.spec.network, podCidr: '10.230.0.0/16' } };
    const loaded = loadDesign(older, stored.defaultsApplied);
    expect(loaded.model.ranges().map((r) => r.cidr.toString())).toContain('10.230.0.0/16');
    expect(withCode(loaded, 'STORED_PLAN_BREAKS_RULE').map((w) => w.message)).toEqual([
      'stored before a rule it now breaks, POD_CIDR_OVERLAPS_VNET at network.podCidr: 10.230.0.0/16 overlaps 10.224.0.0/12, the address space of the VNet AKS creates for a cluster that names no VNet of its own; a replacement must change it',
    ]);
    expect(withCode(loadDesign(stored.spec, stored.defaultsApplied), 'STORED_PLAN_BREAKS_RULE')).toEqual([]);
  });

  it("says so of the VNet's egress rules too: outbound type block in a VNet of one's own", () => {
    const stored = planDesign({
      name: 'own',
      network: { plugin: 'azure-cni-overlay', nodeSubnet: '10.240.0.0/24' },
      nodePools: [{ name: 'system', nodeCount: 3 }],
      outbound: { type: 'none' },
    });
    const blocked = { ...stored.spec, outbound: { type: 'block' as const, publicLoadBalancerServices: 0 } };
    const loaded = loadDesign(blocked, stored.defaultsApplied);
    expect(withCode(loaded, 'STORED_PLAN_BREAKS_RULE')).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(
          /^stored before a rule it now breaks, BLOCK_OUTBOUND_WITH_CUSTOM_VNET at outbound.type/,
        ),
      }),
    ]);
    // Its exports say so first: what they write is the plan as stored.
    for (const format of ['az-cli', 'terraform', 'bicep'] as const)
      expect(exportDesign(loaded, format, 'a dump').text).toMatch(
        /^(#|\/\/) Broken rule: stored before a rule it now breaks, BLOCK_OUTBOUND_WITH_CUSTOM_VNET at outbound\.type: .*AKS may refuse what follows\.$/m,
      );
    expect(exportDesign(stored, 'az-cli', 'a plan').text).not.toContain('Broken rule');
  });
});

describe('SERVICE_CIDR_NOT_PRIVATE: configure-azure-cni asks for "any private address range"', () => {
  const service = (serviceCidr: string) =>
    withCode(
      planOf(overlayDesign({ network: { serviceCidr, dnsServiceIp: undefined } })),
      'SERVICE_CIDR_NOT_PRIVATE',
    );

  it.each([['10.0.0.0/16'], ['172.16.0.0/16'], ['192.168.0.0/16'], ['100.64.0.0/16']])(
    'gives no warning for %s',
    (serviceCidr) => {
      expect(service(serviceCidr)).toEqual([]);
    },
  );

  it('warns for a public range, and one half outside private space', () => {
    expect(service('20.0.0.0/16')).toEqual([
      {
        code: 'SERVICE_CIDR_NOT_PRIVATE',
        message:
          'the service CIDR 20.0.0.0/16 is not a private range (RFC 1918 or RFC 6598): AKS accepts it, but the cluster routes it to its services, so pods cannot reach internet hosts inside 20.0.0.0/16',
      },
    ]);
    expect(service('192.168.0.0/15')).toHaveLength(1);
    expect(service('172.32.0.0/16')).toHaveLength(1);
  });

  it('judges the IPv4 service CIDR of a dual-stack cluster once, and not the IPv6 one', () => {
    const planned = planOf(
      dualStackDesign({
        network: { serviceCidrs: ['20.0.0.0/16', 'fd00:10::/108'], dnsServiceIp: undefined },
      }),
    );
    expect(withCode(planned, 'SERVICE_CIDR_NOT_PRIVATE').map((w) => w.message)).toEqual([
      expect.stringContaining('the service CIDR 20.0.0.0/16 is not a private range'),
    ]);
  });
});
