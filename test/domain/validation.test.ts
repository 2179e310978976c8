import { describe, expect, it } from 'vitest';
import type { NodePoolInput } from '../../src/domain/design/spec.js';
import { planDesign } from '../../src/domain/plan/planner.js';
import { design, expectOnlyProblem, expectProblem, plan, problemKeys, rejection } from './helpers.js';

const pools = (count: number, p: Partial<NodePoolInput> = {}): NodePoolInput[] =>
  Array.from({ length: count }, (_, i) => ({ name: `pool${i}`, nodeCount: 1, ...p }));

describe('names', () => {
  it.each([
    ['-cluster'], // starts with a dash
    ['cluster-'], // ends with a dash
    [''], // empty
    ['a'.repeat(64)], // 64 characters
    ['my cluster'], // space
  ])('PLAN_NAME_INVALID for %j', (name) => {
    expectOnlyProblem(design({ name }), 'PLAN_NAME_INVALID', 'name');
  });

  it.each([['a'], ['prod-weu_1'], ['a'.repeat(63)]])('accepts the cluster name %j', (name) => {
    expect(() => plan({ name })).not.toThrow();
  });

  it.each([
    ['abcdefghijklm'], // Linux: 13 characters, one over the limit
    ['System'], // uppercase
    ['1pool'], // starts with a digit
    ['pool-a'], // dash
  ])('POOL_NAME_INVALID for the Linux pool %j', (name) => {
    expectOnlyProblem(
      design({ nodePools: [{ name, nodeCount: 3 }] }),
      'POOL_NAME_INVALID',
      'nodePools[0].name',
    );
  });

  it('accepts a 12-character Linux pool name', () => {
    expect(() => plan({ nodePools: [{ name: 'abcdefghijkl', nodeCount: 3 }] })).not.toThrow();
  });

  it('POOL_NAME_INVALID for a 7-character Windows pool name; 6 is fine', () => {
    const withWindows = (name: string) =>
      design({
        nodePools: [
          { name: 'system', nodeCount: 3 },
          { name, osType: 'Windows', nodeCount: 1 },
        ],
      });
    expectOnlyProblem(withWindows('winpool'), 'POOL_NAME_INVALID', 'nodePools[1].name');
    expect(() => planDesign(withWindows('winpoo'))).not.toThrow();
  });

  it('DUPLICATE_POOL_NAME on the second use', () => {
    const input = design({
      nodePools: [
        { name: 'system', nodeCount: 3 },
        { name: 'system', nodeCount: 1 },
      ],
    });
    expectOnlyProblem(input, 'DUPLICATE_POOL_NAME', 'nodePools[1].name');
  });
});

describe('node pools', () => {
  it('TOO_MANY_NODE_POOLS at 101 pools; 100 are accepted', () => {
    expectOnlyProblem(design({ nodePools: pools(101) }), 'TOO_MANY_NODE_POOLS', 'nodePools');
    expect(plan({ nodePools: pools(100) }).spec.nodePools).toHaveLength(100);
  });

  it('NO_SYSTEM_POOL when every pool is User', () => {
    expectOnlyProblem(
      design({ nodePools: [{ name: 'user', mode: 'User', nodeCount: 3 }] }),
      'NO_SYSTEM_POOL',
      'nodePools',
    );
  });

  it('NO_SYSTEM_POOL when the System pool has no node', () => {
    expectOnlyProblem(
      design({ nodePools: [{ name: 'system', nodeCount: 0, maxPods: 30 }] }),
      'NO_SYSTEM_POOL',
      'nodePools',
    );
  });

  it('SYSTEM_POOL_NOT_LINUX', () => {
    const input = design({ nodePools: [{ name: 'win', mode: 'System', osType: 'Windows', nodeCount: 3 }] });
    expectOnlyProblem(input, 'SYSTEM_POOL_NOT_LINUX', 'nodePools[0].osType');
  });

  it('MAX_COUNT_BELOW_NODE_COUNT', () => {
    expectOnlyProblem(
      design({ nodePools: [{ name: 'system', nodeCount: 5, maxCount: 3 }] }),
      'MAX_COUNT_BELOW_NODE_COUNT',
      'nodePools[0].maxCount',
    );
  });

  it('MIN_COUNT_ABOVE_NODE_COUNT', () => {
    expectOnlyProblem(
      design({ nodePools: [{ name: 'system', nodeCount: 3, minCount: 4, maxCount: 5 }] }),
      'MIN_COUNT_ABOVE_NODE_COUNT',
      'nodePools[0].minCount',
    );
  });

  it.each([
    [9], // one below the minimum
    [251], // one above the maximum
    [0], // nonsense
  ])('MAX_PODS_OUT_OF_RANGE for maxPods %s', (maxPods) => {
    expectOnlyProblem(
      design({ nodePools: [{ name: 'system', nodeCount: 5, maxPods }] }),
      'MAX_PODS_OUT_OF_RANGE',
      'nodePools[0].maxPods',
    );
  });

  it('accepts maxPods 250 and, with 3 nodes, maxPods 10', () => {
    expect(() => plan({ nodePools: [{ name: 'system', nodeCount: 1, maxPods: 250 }] })).not.toThrow();
    expect(() => plan({ nodePools: [{ name: 'system', nodeCount: 3, maxPods: 10 }] })).not.toThrow();
  });

  it('POOL_BELOW_MIN_PODS for maxPods 10 with 2 nodes (20 < 30 pods)', () => {
    expectOnlyProblem(
      design({ nodePools: [{ name: 'system', nodeCount: 2, maxPods: 10 }] }),
      'POOL_BELOW_MIN_PODS',
      'nodePools[0].maxPods',
    );
  });

  it('POOL_TOO_LARGE for maxCount 1000 + surge 1; 999 + 1 is accepted', () => {
    expectOnlyProblem(
      design({ nodePools: [{ name: 'system', nodeCount: 3, maxCount: 1000, maxSurge: 1 }] }),
      'POOL_TOO_LARGE',
      'nodePools[0].maxCount',
    );
    expect(
      plan({ nodePools: [{ name: 'system', nodeCount: 3, maxCount: 999, maxSurge: 1 }] }).model.slotCount(),
    ).toBe(1000);
  });

  it('CLUSTER_TOO_LARGE for 6 pools of 900 nodes', () => {
    expectOnlyProblem(design({ nodePools: pools(6, { nodeCount: 900 }) }), 'CLUSTER_TOO_LARGE', 'nodePools');
  });

  it.each([
    ['150%'], // above 100%
    ['33.5%'], // fractional percentage
    ['%'], // no number
    ['10'], // a number written as a string without %
    [-1], // negative count
    [1.5], // fractional count
  ])('MAX_SURGE_INVALID for %j', (maxSurge) => {
    expectOnlyProblem(
      design({ nodePools: [{ name: 'system', nodeCount: 3, maxSurge }] }),
      'MAX_SURGE_INVALID',
      'nodePools[0].maxSurge',
    );
  });
});

describe('address syntax', () => {
  it('CIDR_INVALID on the field that holds it', () => {
    expectOnlyProblem(
      design({ network: { nodeSubnet: '10.240.0.0' } }),
      'CIDR_INVALID',
      'network.nodeSubnet',
    );
    expectOnlyProblem(
      design({ network: { vnetAddressSpace: ['10.240.0.0/33'] } }),
      'CIDR_INVALID',
      'network.vnetAddressSpace[0]',
    );
  });

  it('CIDR_HOST_BITS_SET quoting the input and suggesting the canonical form', () => {
    const error = expectOnlyProblem(
      design({ network: { nodeSubnet: '10.240.0.1/16' } }),
      'CIDR_HOST_BITS_SET',
      'network.nodeSubnet',
    );
    expect(error.problems[0]?.message).toContain('"10.240.0.1/16"');
    expect(error.problems[0]?.message).toContain('did you mean 10.240.0.0/16?');
  });

  it('CIDR_HOST_BITS_SET on a pool subnet', () => {
    const input = design({
      nodePools: [
        { name: 'system', nodeCount: 3 },
        { name: 'user', nodeCount: 1, nodeSubnet: '10.241.0.1/24' },
      ],
    });
    expectOnlyProblem(input, 'CIDR_HOST_BITS_SET', 'nodePools[1].nodeSubnet');
  });

  it('IP_INVALID for the DNS service IP', () => {
    const error = expectOnlyProblem(
      design({ network: { dnsServiceIp: '10.0.0.300' } }),
      'IP_INVALID',
      'network.dnsServiceIp',
    );
    expect(error.problems[0]?.message).toContain('"10.0.0.300"');
  });

  it('ADDRESS_FAMILY_NOT_SUPPORTED for an IPv6 node subnet', () => {
    expectOnlyProblem(
      design({ network: { nodeSubnet: 'fd00::/64' } }),
      'ADDRESS_FAMILY_NOT_SUPPORTED',
      'network.nodeSubnet',
    );
  });
});

describe('VNet and subnets', () => {
  it('SUBNET_TOO_SMALL for a /30; a /29 is accepted (and exhausted)', () => {
    expectOnlyProblem(
      design({ network: { nodeSubnet: '10.240.0.0/30' } }),
      'SUBNET_TOO_SMALL',
      'network.nodeSubnet',
    );
    expect(plan({ network: { nodeSubnet: '10.240.0.0/29' } }).model.capacity().verdict).toBe('exhausted');
  });

  it('SUBNET_TOO_LARGE for a /1', () => {
    expectProblem(
      design({ network: { nodeSubnet: '128.0.0.0/1' } }),
      'SUBNET_TOO_LARGE',
      'network.nodeSubnet',
    );
  });

  it('VNET_TOO_LARGE for a /7; a /8 is accepted', () => {
    const network = { nodeSubnet: '10.240.0.0/16', serviceCidr: '192.168.0.0/16' };
    expectOnlyProblem(
      design({ network: { ...network, vnetAddressSpace: ['10.0.0.0/7'] } }),
      'VNET_TOO_LARGE',
      'network.vnetAddressSpace[0]',
    );
    expect(() => plan({ network: { ...network, vnetAddressSpace: ['10.0.0.0/8'] } })).not.toThrow();
  });

  it('VNET_RANGES_OVERLAP names the later range', () => {
    expectOnlyProblem(
      design({ network: { vnetAddressSpace: ['10.240.0.0/16', '10.240.128.0/17'] } }),
      'VNET_RANGES_OVERLAP',
      'network.vnetAddressSpace[1]',
    );
  });

  it('RANGE_FORBIDDEN for a 172.16.0.0/12 VNet (it contains 172.30/16 and 172.31/16)', () => {
    const input = design({ network: { vnetAddressSpace: ['172.16.0.0/12'], nodeSubnet: '172.16.0.0/24' } });
    expect(problemKeys(input)).toEqual([
      { code: 'RANGE_FORBIDDEN', path: 'network.vnetAddressSpace[0]' },
      { code: 'RANGE_FORBIDDEN', path: 'network.vnetAddressSpace[0]' },
    ]);
  });

  it('RANGE_FORBIDDEN for a 172.30.0.0/24 node subnet without a VNet', () => {
    expectOnlyProblem(
      design({ network: { nodeSubnet: '172.30.0.0/24' } }),
      'RANGE_FORBIDDEN',
      'network.nodeSubnet',
    );
  });

  it('RANGE_FORBIDDEN for a 192.0.2.0/24 service CIDR', () => {
    expectOnlyProblem(
      design({ network: { serviceCidr: '192.0.2.0/24' } }),
      'RANGE_FORBIDDEN',
      'network.serviceCidr',
    );
  });

  it('RANGE_NOT_ALLOWED_IN_VNET for 127.0.0.0/8 and 224.0.0.0/24', () => {
    expectOnlyProblem(
      design({ network: { vnetAddressSpace: ['127.0.0.0/8'], nodeSubnet: '127.0.0.0/24' } }),
      'RANGE_NOT_ALLOWED_IN_VNET',
      'network.vnetAddressSpace[0]',
    );
    expectOnlyProblem(
      design({ network: { nodeSubnet: '224.0.0.0/24' } }),
      'RANGE_NOT_ALLOWED_IN_VNET',
      'network.nodeSubnet',
    );
  });

  it('SUBNET_OUTSIDE_VNET', () => {
    expectOnlyProblem(
      design({ network: { vnetAddressSpace: ['10.240.0.0/16'], nodeSubnet: '10.241.0.0/24' } }),
      'SUBNET_OUTSIDE_VNET',
      'network.nodeSubnet',
    );
  });

  it('SUBNET_OUTSIDE_VNET for a pool subnet partly outside', () => {
    const input = design({
      network: { vnetAddressSpace: ['10.240.0.0/16'], nodeSubnet: '10.240.0.0/24' },
      nodePools: [
        { name: 'system', nodeCount: 3 },
        { name: 'user', nodeCount: 1, nodeSubnet: '10.240.0.0/15' },
      ],
    });
    expectProblem(input, 'SUBNET_OUTSIDE_VNET', 'nodePools[1].nodeSubnet');
  });

  it('SUBNETS_OVERLAP for a pool subnet inside the cluster subnet', () => {
    const input = design({
      network: { nodeSubnet: '10.240.0.0/16' },
      nodePools: [
        { name: 'system', nodeCount: 3 },
        { name: 'user', nodeCount: 1, nodeSubnet: '10.240.1.0/24' },
      ],
    });
    expectOnlyProblem(input, 'SUBNETS_OVERLAP', 'nodePools[1].nodeSubnet');
  });

  it('lets pools share one subnet by naming the same CIDR', () => {
    const input = design({
      network: { nodeSubnet: '10.240.0.0/16' },
      nodePools: [
        { name: 'system', nodeCount: 3 },
        { name: 'user', nodeCount: 1, nodeSubnet: '10.240.0.0/16' },
      ],
    });
    expect(
      planDesign(input)
        .model.ranges()
        .filter((r) => r.kind === 'node-subnet'),
    ).toHaveLength(1);
  });
});

describe('service CIDR and DNS service IP', () => {
  it('SERVICE_CIDR_TOO_LARGE for a /11', () => {
    expectOnlyProblem(
      design({ network: { serviceCidr: '10.0.0.0/11' } }),
      'SERVICE_CIDR_TOO_LARGE',
      'network.serviceCidr',
    );
  });

  it('accepts a /12 with the SERVICE_CIDR_AT_LIMIT warning', () => {
    const planned = plan({ network: { serviceCidr: '10.0.0.0/12' } });
    expect(planned.warnings.map((w) => w.code)).toEqual(['SERVICE_CIDR_AT_LIMIT']);
    expect(plan().warnings).toEqual([]);
  });

  it('accepts a service CIDR inside the VNet (not in a subnet) with the SERVICE_CIDR_OVERLAPS_VNET warning', () => {
    // The portal's common shape: VNet 10.0.0.0/8 and the default service CIDR 10.0.0.0/16.
    const planned = plan({ network: { vnetAddressSpace: ['10.0.0.0/8'], nodeSubnet: '10.240.0.0/16' } });
    expect(planned.warnings).toEqual([
      {
        code: 'SERVICE_CIDR_OVERLAPS_VNET',
        message: expect.stringContaining('pods cannot reach hosts of the VNet'),
      },
    ]);
    expect(planned.warnings[0]?.message).toMatch(
      /^the service CIDR 10.0.0.0\/16 overlaps the VNet address space 10.0.0.0\/8/,
    );
  });

  it('still refuses a service CIDR overlapping a subnet inside the VNet', () => {
    expectOnlyProblem(
      design({ network: { vnetAddressSpace: ['10.0.0.0/8'], nodeSubnet: '10.0.0.0/22' } }),
      'SERVICE_CIDR_OVERLAPS_NODE_SUBNET',
      'network.serviceCidr',
    );
  });

  it('SERVICE_CIDR_OVERLAPS_NODE_SUBNET', () => {
    expectOnlyProblem(
      design({ network: { nodeSubnet: '10.0.0.0/22' } }),
      'SERVICE_CIDR_OVERLAPS_NODE_SUBNET',
      'network.serviceCidr',
    );
  });

  it('DNS_SERVICE_IP_OUT_OF_SERVICE_CIDR', () => {
    expectOnlyProblem(
      design({ network: { dnsServiceIp: '10.1.0.10' } }),
      'DNS_SERVICE_IP_OUT_OF_SERVICE_CIDR',
      'network.dnsServiceIp',
    );
  });

  it.each([
    ['10.0.0.0'], // the network address
    ['10.0.0.1'], // kubernetes.default
  ])('DNS_SERVICE_IP_RESERVED for %s', (dnsServiceIp) => {
    expectOnlyProblem(
      design({ network: { dnsServiceIp } }),
      'DNS_SERVICE_IP_RESERVED',
      'network.dnsServiceIp',
    );
  });

  it('accepts 10.0.0.2 as DNS service IP', () => {
    expect(plan({ network: { dnsServiceIp: '10.0.0.2' } }).spec.network.dnsServiceIp).toBe('10.0.0.2');
  });
});

describe('plugins', () => {
  it('FIELD_NOT_FOR_PLUGIN for a pod CIDR with azure-cni-node-subnet', () => {
    expectOnlyProblem(
      design({ network: { podCidr: '10.244.0.0/16' } }),
      'FIELD_NOT_FOR_PLUGIN',
      'network.podCidr',
    );
  });

  it('FIELD_NOT_FOR_PLUGIN for a pool pod subnet', () => {
    const input = design({ nodePools: [{ name: 'system', nodeCount: 3, podSubnet: '10.241.0.0/16' }] });
    expectOnlyProblem(input, 'FIELD_NOT_FOR_PLUGIN', 'nodePools[0].podSubnet');
  });
});

describe('several problems at once', () => {
  it('lists every problem, in field order, and names the rejection after the first', () => {
    const input = design({
      name: '-bad',
      network: { nodeSubnet: '10.240.0.1/16', dnsServiceIp: '10.1.0.10' },
      nodePools: [{ name: 'system', nodeCount: 3, maxPods: 300 }],
    });
    const error = rejection(input);
    expect(error.problems.map(({ code, path }) => ({ code, path }))).toEqual([
      { code: 'PLAN_NAME_INVALID', path: 'name' },
      { code: 'MAX_PODS_OUT_OF_RANGE', path: 'nodePools[0].maxPods' },
      { code: 'CIDR_HOST_BITS_SET', path: 'network.nodeSubnet' },
      { code: 'DNS_SERVICE_IP_OUT_OF_SERVICE_CIDR', path: 'network.dnsServiceIp' },
    ]);
    expect(error.code).toBe('PLAN_NAME_INVALID');
    expect(error.message).toMatch(/^4 problems, first: /);
    for (const problem of error.problems) expect(problem.message).not.toBe('');
  });
});

describe('defaults', () => {
  const minimal = () =>
    planDesign({
      name: 'minimal',
      network: { plugin: 'azure-cni-node-subnet' },
      nodePools: [
        { name: 'system', nodeCount: 3 },
        { name: 'user', nodeCount: 2 },
        { name: 'batch', nodeCount: 1 },
      ],
    });

  it('fills the spec with the AKS defaults', () => {
    const { spec } = minimal();
    expect(spec.network).toEqual({
      plugin: 'azure-cni-node-subnet',
      dataplane: 'azure',
      nodeSubnet: '10.224.0.0/16',
      serviceCidr: '10.0.0.0/16',
      dnsServiceIp: '10.0.0.10',
      privateCluster: false,
    });
    expect(spec.nodePools.map((p) => [p.name, p.mode, p.osType, p.maxPods, p.maxSurge])).toEqual([
      ['system', 'System', 'Linux', 30, '10%'],
      ['user', 'User', 'Linux', 30, '10%'],
      ['batch', 'User', 'Linux', 30, '10%'],
    ]);
    expect(spec.reservations).toEqual({ internalLoadBalancers: 0, privateEndpoints: 0 });
  });

  it.each([
    [1, 1], // a percentage rounds up: 10% of 1 is one whole node
    [10, 1],
    [11, 2], // 1.1 rounds up
    [50, 5], // the documented 50-node pool
    [0, 0], // a pool scaled to zero has nothing to surge
  ])('gives a %i-node pool %i surge nodes by default (10%%, rounded up)', (nodeCount, surge) => {
    const planned = planDesign({
      name: 'surge',
      network: { plugin: 'azure-cni-node-subnet', nodeSubnet: '10.240.0.0/16' },
      nodePools: [
        { name: 'system', nodeCount: 1, maxSurge: 1 },
        { name: 'user', nodeCount },
      ],
    });
    expect(planned.spec.nodePools[1]?.maxSurge).toBe('10%');
    expect(planned.defaultsApplied).toContain('nodePools[1].maxSurge');
    expect(planned.model.slotCount('user')).toBe(nodeCount + surge);
  });

  it('echoes every default it applied', () => {
    const { defaultsApplied } = minimal();
    expect([...defaultsApplied].sort()).toEqual(
      [
        'network.dataplane',
        'network.nodeSubnet',
        'network.serviceCidr',
        'network.dnsServiceIp',
        'network.privateCluster',
        'nodePools[0].mode',
        'nodePools[0].osType',
        'nodePools[0].maxPods',
        'nodePools[0].maxSurge',
        'nodePools[1].mode',
        'nodePools[1].osType',
        'nodePools[1].maxPods',
        'nodePools[1].maxSurge',
        'nodePools[2].mode',
        'nodePools[2].osType',
        'nodePools[2].maxPods',
        'nodePools[2].maxSurge',
        'reservations.internalLoadBalancers',
        'reservations.privateEndpoints',
      ].sort(),
    );
  });

  it('lays out the default node subnet from 10.224.0.4', () => {
    expect(minimal().model.slots({ offset: 0, limit: 1 })[0]?.nodeIp?.toString()).toBe('10.224.0.4');
  });

  it('echoes nothing that was given', () => {
    const { defaultsApplied } = planDesign({
      name: 'explicit',
      network: {
        plugin: 'azure-cni-node-subnet',
        dataplane: 'cilium',
        nodeSubnet: '10.240.0.0/16',
        serviceCidr: '10.0.0.0/16',
        dnsServiceIp: '10.0.0.10',
        privateCluster: false,
      },
      nodePools: [
        { name: 'system', mode: 'System', osType: 'Linux', nodeCount: 3, maxPods: 30, maxSurge: 1 },
      ],
      reservations: { internalLoadBalancers: 0, privateEndpoints: 0 },
    });
    expect(defaultsApplied).toEqual([]);
  });

  it('does not default the cluster node subnet when every pool brings its own', () => {
    const planned = planDesign({
      name: 'own-subnets',
      network: { plugin: 'azure-cni-node-subnet' },
      nodePools: [{ name: 'system', nodeCount: 3, nodeSubnet: '10.241.0.0/24' }],
    });
    expect(planned.spec.network.nodeSubnet).toBeUndefined();
    expect(planned.defaultsApplied).not.toContain('network.nodeSubnet');
    expect(planned.model.ranges().map((r) => r.cidr.toString())).toEqual(['10.241.0.0/24', '10.0.0.0/16']);
  });

  it('derives the DNS service IP as the 10th address of a custom service CIDR', () => {
    const planned = plan({ network: { serviceCidr: '172.20.0.0/16' } });
    expect(planned.spec.network.dnsServiceIp).toBe('172.20.0.10');
    expect(planned.defaultsApplied).toContain('network.dnsServiceIp');
    expect(planned.defaultsApplied).not.toContain('network.serviceCidr');
  });

  it('keeps a given DNS service IP', () => {
    const planned = plan({ network: { serviceCidr: '172.20.0.0/16', dnsServiceIp: '172.20.0.53' } });
    expect(planned.spec.network.dnsServiceIp).toBe('172.20.0.53');
    expect(planned.defaultsApplied).not.toContain('network.dnsServiceIp');
  });

  it('ignores a Docker bridge CIDR with a warning', () => {
    const planned = plan({ network: { dockerBridgeCidr: '172.17.0.1/16' } });
    expect(planned.warnings.map((w) => w.code)).toEqual(['DOCKER_BRIDGE_CIDR_IGNORED']);
    // Echoed in the spec, so the warning is rebuilt whenever the plan is read back.
    expect(planned.spec.network.dockerBridgeCidr).toBe('172.17.0.1/16');
  });
});
