import { describe, expect, it } from 'vitest';
import type { NetworkInput, NodePoolInput, PlanInput } from '../../src/domain/design/spec.js';
import { planDesign } from '../../src/domain/plan/planner.js';
import { DEFAULT_NETWORK, DEFAULT_RESERVATIONS } from '../support/examples.js';
import {
  completedSpec,
  design,
  expectOnlyProblem,
  expectProblem,
  plan,
  problemKeys,
  rejection,
} from './helpers.js';

/** A design refused with a problem: what it is, the design, the problem's code and path. */
type Refusal = [label: string, input: PlanInput, code: string, path: string];
/** A design that is planned without a problem. */
type Acceptance = [label: string, input: PlanInput];

const refusedWithOnly = (cases: Refusal[]) =>
  it.each(cases)('%s -> $2 at $3', (_label, input, code, path) => {
    expectOnlyProblem(input, code, path);
  });

const refusedWithAmongOthers = (cases: Refusal[]) =>
  it.each(cases)('%s -> $2 at $3, among others', (_label, input, code, path) => {
    expectProblem(input, code, path);
  });

const accepted = (cases: Acceptance[]) =>
  it.each(cases)('accepts %s', (_label, input) => {
    expect(() => planDesign(input)).not.toThrow();
  });

const pools = (count: number, p: Partial<NodePoolInput> = {}): NodePoolInput[] =>
  Array.from({ length: count }, (_, i) => ({ name: `pool${i}`, nodeCount: 1, ...p }));

/** design() with these network fields. */
const network = (fields: NetworkInput) => design({ network: fields });
/** design() whose only pool is this one. */
const onePool = (pool: NodePoolInput) => design({ nodePools: [pool] });
/** design() with a second pool next to the 3-node system pool. */
const secondPool = (pool: NodePoolInput, fields: NetworkInput = {}) =>
  design({ network: fields, nodePools: [{ name: 'system', nodeCount: 3 }, pool] });

describe('names', () => {
  const linuxPool = (name: string) => onePool({ name, nodeCount: 3 });
  const windowsPool = (name: string) => secondPool({ name, osType: 'Windows', nodeCount: 1 });

  refusedWithOnly([
    ['a cluster name starting with a dash', design({ name: '-cluster' }), 'PLAN_NAME_INVALID', 'name'],
    ['a cluster name ending with a dash', design({ name: 'cluster-' }), 'PLAN_NAME_INVALID', 'name'],
    ['an empty cluster name', design({ name: '' }), 'PLAN_NAME_INVALID', 'name'],
    ['a 64-character cluster name', design({ name: 'a'.repeat(64) }), 'PLAN_NAME_INVALID', 'name'],
    ['a cluster name with a space', design({ name: 'my cluster' }), 'PLAN_NAME_INVALID', 'name'],
    ['a 13-character Linux pool name', linuxPool('abcdefghijklm'), 'POOL_NAME_INVALID', 'nodePools[0].name'],
    ['an uppercase Linux pool name', linuxPool('System'), 'POOL_NAME_INVALID', 'nodePools[0].name'],
    ['a Linux pool name starting with a digit', linuxPool('1pool'), 'POOL_NAME_INVALID', 'nodePools[0].name'],
    ['a Linux pool name with a dash', linuxPool('pool-a'), 'POOL_NAME_INVALID', 'nodePools[0].name'],
    ['a 7-character Windows pool name', windowsPool('winpool'), 'POOL_NAME_INVALID', 'nodePools[1].name'],
    [
      'a pool name used twice (on the second use)',
      secondPool({ name: 'system', nodeCount: 1 }),
      'DUPLICATE_POOL_NAME',
      'nodePools[1].name',
    ],
  ]);

  accepted([
    ['the 1-character cluster name "a"', design({ name: 'a' })],
    ['the cluster name "prod-weu_1"', design({ name: 'prod-weu_1' })],
    ['a 63-character cluster name', design({ name: 'a'.repeat(63) })],
    ['a 12-character Linux pool name', linuxPool('abcdefghijkl')],
    ['a 6-character Windows pool name', windowsPool('winpoo')],
  ]);
});

describe('node pools', () => {
  const system = (fields: Partial<NodePoolInput>) => onePool({ name: 'system', nodeCount: 3, ...fields });

  refusedWithOnly([
    ['101 pools', design({ nodePools: pools(101) }), 'TOO_MANY_NODE_POOLS', 'nodePools'],
    [
      // Refused for their number alone: the subnet rules would compare them pairwise.
      '101 pools on overlapping subnets of their own',
      design({
        nodePools: pools(101).map((pool, i) => ({ ...pool, nodeSubnet: `10.240.0.0/${24 + (i % 2)}` })),
      }),
      'TOO_MANY_NODE_POOLS',
      'nodePools',
    ],
    ['only User pools', onePool({ name: 'user', mode: 'User', nodeCount: 3 }), 'NO_SYSTEM_POOL', 'nodePools'],
    ['a System pool with no node', system({ nodeCount: 0, maxPods: 30 }), 'NO_SYSTEM_POOL', 'nodePools'],
    [
      'a Windows System pool',
      onePool({ name: 'win', mode: 'System', osType: 'Windows', nodeCount: 3 }),
      'SYSTEM_POOL_NOT_LINUX',
      'nodePools[0].osType',
    ],
    [
      'maxCount 3 below nodeCount 5',
      system({ nodeCount: 5, maxCount: 3 }),
      'MAX_COUNT_BELOW_NODE_COUNT',
      'nodePools[0].maxCount',
    ],
    [
      'minCount 4 above nodeCount 3',
      system({ minCount: 4, maxCount: 5 }),
      'MIN_COUNT_ABOVE_NODE_COUNT',
      'nodePools[0].minCount',
    ],
    // One below the minimum, one above the maximum, nonsense.
    ['maxPods 9', system({ nodeCount: 5, maxPods: 9 }), 'MAX_PODS_OUT_OF_RANGE', 'nodePools[0].maxPods'],
    ['maxPods 251', system({ nodeCount: 5, maxPods: 251 }), 'MAX_PODS_OUT_OF_RANGE', 'nodePools[0].maxPods'],
    ['maxPods 0', system({ nodeCount: 5, maxPods: 0 }), 'MAX_PODS_OUT_OF_RANGE', 'nodePools[0].maxPods'],
    [
      'maxPods 10 with 2 nodes (20 < 30 pods)',
      system({ nodeCount: 2, maxPods: 10 }),
      'POOL_BELOW_MIN_PODS',
      'nodePools[0].maxPods',
    ],
    [
      'maxPods 10 with 3 nodes the autoscaler may take down to 1 (10 < 30 pods)',
      system({ nodeCount: 3, minCount: 1, maxCount: 5, maxPods: 10 }),
      'POOL_BELOW_MIN_PODS',
      'nodePools[0].maxPods',
    ],
    [
      'maxCount 1000 + surge 1',
      system({ maxCount: 1000, maxSurge: 1 }),
      'POOL_TOO_LARGE',
      'nodePools[0].maxCount',
    ],
    [
      'nodeCount 600 + surge 600',
      system({ nodeCount: 600, maxSurge: '100%' }),
      'POOL_TOO_LARGE',
      'nodePools[0].nodeCount',
    ],
    [
      'a System pool the autoscaler may empty',
      system({ nodeCount: 1, minCount: 0, maxCount: 3 }),
      'SYSTEM_POOL_MIN_COUNT_ZERO',
      'nodePools[0].minCount',
    ],
    [
      '6 pools of 900 nodes',
      design({ nodePools: pools(6, { nodeCount: 900 }) }),
      'CLUSTER_TOO_LARGE',
      'nodePools',
    ],
    [
      // The autoscaler's maxima count, not the nodes of today.
      '6 pools of 1 node the autoscaler may take to 900',
      design({ nodePools: pools(6, { nodeCount: 1, maxCount: 900, maxSurge: 0 }) }),
      'CLUSTER_TOO_LARGE',
      'nodePools',
    ],
    // Above 100%, a fractional percentage, no number, a fractional or negative count as a string
    // (a whole one is nodes, as AKS reads it), a negative count, a fractional count.
    ['maxSurge "150%"', system({ maxSurge: '150%' }), 'MAX_SURGE_INVALID', 'nodePools[0].maxSurge'],
    ['maxSurge "33.5%"', system({ maxSurge: '33.5%' }), 'MAX_SURGE_INVALID', 'nodePools[0].maxSurge'],
    ['maxSurge "%"', system({ maxSurge: '%' }), 'MAX_SURGE_INVALID', 'nodePools[0].maxSurge'],
    ['maxSurge "1.5"', system({ maxSurge: '1.5' }), 'MAX_SURGE_INVALID', 'nodePools[0].maxSurge'],
    ['maxSurge "-1"', system({ maxSurge: '-1' }), 'MAX_SURGE_INVALID', 'nodePools[0].maxSurge'],
    ['maxSurge " 5"', system({ maxSurge: ' 5' }), 'MAX_SURGE_INVALID', 'nodePools[0].maxSurge'],
    ['maxSurge -1', system({ maxSurge: -1 }), 'MAX_SURGE_INVALID', 'nodePools[0].maxSurge'],
    ['maxSurge 1.5', system({ maxSurge: 1.5 }), 'MAX_SURGE_INVALID', 'nodePools[0].maxSurge'],
  ]);

  accepted([
    ['maxPods 250 with 1 node', system({ nodeCount: 1, maxPods: 250 })],
    [
      'a User pool the autoscaler may empty',
      design({
        nodePools: [
          { name: 'system', nodeCount: 1 },
          { name: 'batch', nodeCount: 0, minCount: 0, maxCount: 5 },
        ],
      }),
    ],
    ['maxPods 10 with 3 nodes', system({ maxPods: 10 })],
    ['maxPods 10 with 3 nodes the autoscaler keeps', system({ minCount: 3, maxCount: 6, maxPods: 10 })],
  ]);

  it('accepts 100 pools', () => {
    expect(plan({ nodePools: pools(100) }).spec.nodePools).toHaveLength(100);
  });

  it('accepts maxCount 999 + surge 1: 1000 node slots', () => {
    expect(planDesign(system({ maxCount: 999, maxSurge: 1 })).model.slotCount()).toBe(1000);
  });
});

describe('a pool whose maximum is below its count', () => {
  it('is held to the scale set limit by its count: nodeCount 1,000 + surge is refused too', () => {
    expect(problemKeys(onePool({ name: 'system', nodeCount: 1000, maxCount: 5 }))).toEqual([
      { code: 'MAX_COUNT_BELOW_NODE_COUNT', path: 'nodePools[0].maxCount' },
      { code: 'POOL_TOO_LARGE', path: 'nodePools[0].maxCount' },
    ]);
  });
});

describe('address syntax', () => {
  refusedWithOnly([
    [
      'a node subnet without a prefix',
      network({ nodeSubnet: '10.240.0.0' }),
      'CIDR_INVALID',
      'network.nodeSubnet',
    ],
    [
      'a VNet range with prefix /33',
      network({ vnetAddressSpace: ['10.240.0.0/33'] }),
      'CIDR_INVALID',
      'network.vnetAddressSpace[0]',
    ],
    [
      'a pool subnet with host bits set',
      secondPool({ name: 'user', nodeCount: 1, nodeSubnet: '10.241.0.1/24' }),
      'CIDR_HOST_BITS_SET',
      'nodePools[1].nodeSubnet',
    ],
    [
      'an IPv6 node subnet',
      network({ nodeSubnet: 'fd00::/64' }),
      'ADDRESS_FAMILY_NOT_SUPPORTED',
      'network.nodeSubnet',
    ],
  ]);

  it('CIDR_HOST_BITS_SET quoting the input and suggesting the canonical form', () => {
    const input = network({ nodeSubnet: '10.240.0.1/16' });
    const error = expectOnlyProblem(input, 'CIDR_HOST_BITS_SET', 'network.nodeSubnet');
    expect(error.problems[0]?.message).toContain('"10.240.0.1/16"');
    expect(error.problems[0]?.message).toContain('did you mean 10.240.0.0/16?');
  });

  it('IP_INVALID for the DNS service IP, quoting the input', () => {
    const input = network({ dnsServiceIp: '10.0.0.300' });
    const error = expectOnlyProblem(input, 'IP_INVALID', 'network.dnsServiceIp');
    expect(error.problems[0]?.message).toContain('"10.0.0.300"');
  });
});

describe('VNet and subnets: the widest subnet', () => {
  it('a /2 is a size Azure allows a subnet; without a VNet it is refused for the /8 a VNet may span', () => {
    const error = rejection(network({ nodeSubnet: '64.0.0.0/2' }));
    expect(error.problems.map((p) => [p.code, p.message])).toEqual([
      [
        'SUBNET_TOO_LARGE',
        '64.0.0.0/2 is larger than the /8 an AKS virtual network may span, so no VNet of the cluster can hold it',
      ],
      [
        'RANGE_NOT_ALLOWED_IN_VNET',
        '64.0.0.0/2 overlaps 127.0.0.0/8, which can never be part of an Azure virtual network',
      ],
    ]);
  });
});

describe('VNet and subnets', () => {
  /** A /8 VNet needs the service CIDR outside 10/8. */
  const inVnet = (vnet: string) =>
    network({ nodeSubnet: '10.240.0.0/16', serviceCidr: '192.168.0.0/16', vnetAddressSpace: [vnet] });

  refusedWithOnly([
    ['a /30 node subnet', network({ nodeSubnet: '10.240.0.0/30' }), 'SUBNET_TOO_SMALL', 'network.nodeSubnet'],
    ['a /7 VNet', inVnet('10.0.0.0/7'), 'VNET_TOO_LARGE', 'network.vnetAddressSpace[0]'],
    [
      'overlapping VNet ranges (names the later)',
      network({ vnetAddressSpace: ['10.240.0.0/16', '10.240.128.0/17'] }),
      'VNET_RANGES_OVERLAP',
      'network.vnetAddressSpace[1]',
    ],
    [
      'a VNet range listed twice',
      network({ vnetAddressSpace: ['10.240.0.0/16', '10.240.0.0/16'] }),
      'VNET_RANGES_OVERLAP',
      'network.vnetAddressSpace[1]',
    ],
    [
      'a 172.30.0.0/24 node subnet without a VNet',
      network({ nodeSubnet: '172.30.0.0/24' }),
      'RANGE_FORBIDDEN',
      'network.nodeSubnet',
    ],
    [
      'a 192.0.2.0/24 service CIDR',
      network({ serviceCidr: '192.0.2.0/24' }),
      'RANGE_FORBIDDEN',
      'network.serviceCidr',
    ],
    [
      'a 169.254.0.0/16 service CIDR',
      network({ serviceCidr: '169.254.0.0/16', dnsServiceIp: '169.254.0.10' }),
      'RANGE_FORBIDDEN',
      'network.serviceCidr',
    ],
    [
      'a 127.0.0.0/8 VNet',
      network({ vnetAddressSpace: ['127.0.0.0/8'], nodeSubnet: '127.0.0.0/24' }),
      'RANGE_NOT_ALLOWED_IN_VNET',
      'network.vnetAddressSpace[0]',
    ],
    [
      'a 224.0.0.0/24 node subnet',
      network({ nodeSubnet: '224.0.0.0/24' }),
      'RANGE_NOT_ALLOWED_IN_VNET',
      'network.nodeSubnet',
    ],
    [
      'a node subnet outside the VNet',
      network({ vnetAddressSpace: ['10.240.0.0/16'], nodeSubnet: '10.241.0.0/24' }),
      'SUBNET_OUTSIDE_VNET',
      'network.nodeSubnet',
    ],
    [
      'a pool subnet inside the cluster subnet',
      secondPool(
        { name: 'user', nodeCount: 1, nodeSubnet: '10.240.1.0/24' },
        { nodeSubnet: '10.240.0.0/16' },
      ),
      'SUBNETS_OVERLAP',
      'nodePools[1].nodeSubnet',
    ],
  ]);

  refusedWithAmongOthers([
    ['a /1 node subnet', network({ nodeSubnet: '128.0.0.0/1' }), 'SUBNET_TOO_LARGE', 'network.nodeSubnet'],
    [
      'a pool subnet partly outside the VNet',
      secondPool(
        { name: 'user', nodeCount: 1, nodeSubnet: '10.240.0.0/15' },
        { vnetAddressSpace: ['10.240.0.0/16'], nodeSubnet: '10.240.0.0/24' },
      ),
      'SUBNET_OUTSIDE_VNET',
      'nodePools[1].nodeSubnet',
    ],
  ]);

  accepted([
    ['a /8 VNet', inVnet('10.0.0.0/8')],
    ['a /8 node subnet with no VNet given', network({ nodeSubnet: '12.0.0.0/8' })],
  ]);

  it('refuses a node subnet wider than /8 with no VNet given: no AKS VNet could hold it', () => {
    const error = expectOnlyProblem(
      network({ nodeSubnet: '12.0.0.0/7' }),
      'SUBNET_TOO_LARGE',
      'network.nodeSubnet',
    );
    expect(error.message).toBe(
      '12.0.0.0/7 is larger than the /8 an AKS virtual network may span, so no VNet of the cluster can hold it',
    );
  });

  it('accepts a /29 node subnet, exhausted', () => {
    expect(plan({ network: { nodeSubnet: '10.240.0.0/29' } }).model.capacity().verdict).toBe('exhausted');
  });

  it('RANGE_FORBIDDEN twice for a 172.16.0.0/12 VNet (it contains 172.30/16 and 172.31/16)', () => {
    const input = network({ vnetAddressSpace: ['172.16.0.0/12'], nodeSubnet: '172.16.0.0/24' });
    const forbidden = { code: 'RANGE_FORBIDDEN', path: 'network.vnetAddressSpace[0]' };
    expect(problemKeys(input)).toEqual([forbidden, forbidden]);
  });

  it('lets pools share one subnet by naming the same CIDR', () => {
    const input = secondPool(
      { name: 'user', nodeCount: 1, nodeSubnet: '10.240.0.0/16' },
      { nodeSubnet: '10.240.0.0/16' },
    );
    const nodeSubnets = planDesign(input)
      .model.ranges()
      .filter((r) => r.kind === 'node-subnet');
    expect(nodeSubnets).toHaveLength(1);
  });
});

describe('service CIDR and DNS service IP', () => {
  refusedWithOnly([
    [
      'a /11 service CIDR',
      network({ serviceCidr: '10.0.0.0/11' }),
      'SERVICE_CIDR_TOO_LARGE',
      'network.serviceCidr',
    ],
    [
      'a service CIDR overlapping a subnet inside the VNet',
      network({ vnetAddressSpace: ['10.0.0.0/8'], nodeSubnet: '10.0.0.0/22' }),
      'SERVICE_CIDR_OVERLAPS_NODE_SUBNET',
      'network.serviceCidr',
    ],
    [
      'a service CIDR overlapping the node subnet',
      network({ nodeSubnet: '10.0.0.0/22' }),
      'SERVICE_CIDR_OVERLAPS_NODE_SUBNET',
      'network.serviceCidr',
    ],
    [
      'a service CIDR inside the node subnet',
      network({
        vnetAddressSpace: ['10.0.0.0/8'],
        nodeSubnet: '10.0.0.0/16',
        serviceCidr: '10.0.1.0/24',
        dnsServiceIp: '10.0.1.10',
      }),
      'SERVICE_CIDR_OVERLAPS_NODE_SUBNET',
      'network.serviceCidr',
    ],
    [
      'a DNS service IP outside the service CIDR',
      network({ dnsServiceIp: '10.1.0.10' }),
      'DNS_SERVICE_IP_OUT_OF_SERVICE_CIDR',
      'network.dnsServiceIp',
    ],
    [
      'the network address as DNS service IP',
      network({ dnsServiceIp: '10.0.0.0' }),
      'DNS_SERVICE_IP_RESERVED',
      'network.dnsServiceIp',
    ],
    [
      'kubernetes.default (10.0.0.1) as DNS service IP',
      network({ dnsServiceIp: '10.0.0.1' }),
      'DNS_SERVICE_IP_RESERVED',
      'network.dnsServiceIp',
    ],
    [
      'the broadcast address as DNS service IP',
      network({ serviceCidr: '10.0.0.0/24', dnsServiceIp: '10.0.0.255' }),
      'DNS_SERVICE_IP_RESERVED',
      'network.dnsServiceIp',
    ],
  ]);

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

  it('accepts 10.0.0.2 as DNS service IP', () => {
    expect(plan({ network: { dnsServiceIp: '10.0.0.2' } }).spec.network.dnsServiceIp).toBe('10.0.0.2');
  });
});

describe('plugins', () => {
  refusedWithOnly([
    [
      'a pod CIDR with azure-cni-node-subnet',
      network({ podCidr: '10.244.0.0/16' }),
      'FIELD_NOT_FOR_PLUGIN',
      'network.podCidr',
    ],
    [
      'a pool pod subnet',
      onePool({ name: 'system', nodeCount: 3, podSubnet: '10.241.0.0/16' }),
      'FIELD_NOT_FOR_PLUGIN',
      'nodePools[0].podSubnet',
    ],
  ]);
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

describe('a pool with a surge that does not read', () => {
  it('is still held to the size of a scale set: the surge could only add', () => {
    const input = design({
      nodePools: [
        { name: 'system', nodeCount: 3 },
        { name: 'big', nodeCount: 1001, maxSurge: 'x' },
      ],
    });
    expect(rejection(input).problems.map(({ code, path }) => [code, path])).toEqual([
      ['MAX_SURGE_INVALID', 'nodePools[1].maxSurge'],
      ['POOL_TOO_LARGE', 'nodePools[1].nodeCount'],
    ]);
    const fits = design({ nodePools: [{ name: 'system', nodeCount: 1000, maxSurge: 'x' }] });
    expect(rejection(fits).problems.map(({ code }) => code)).toEqual(['MAX_SURGE_INVALID']);
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
    expect(spec.network).toEqual(DEFAULT_NETWORK);
    expect(spec.nodePools.map((p) => [p.name, p.mode, p.osType, p.maxPods, p.maxSurge])).toEqual([
      ['system', 'System', 'Linux', 30, '10%'],
      ['user', 'User', 'Linux', 30, '10%'],
      ['batch', 'User', 'Linux', 30, '10%'],
    ]);
    expect(spec.reservations).toEqual(DEFAULT_RESERVATIONS);
  });

  it('completes design() to completedSpec()', () => {
    expect(plan().spec).toEqual(completedSpec());
  });

  it.each([
    [1, 1], // a percentage rounds up: 10% of 1 is one whole node
    [10, 1],
    [11, 2], // 1.1 rounds up
    [50, 5], // the documented 50-node pool
    [0, 0], // a pool scaled to zero has nothing to surge
  ])('gives a %i-node pool %i surge nodes by default (ten percent, rounded up)', (nodeCount, surge) => {
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
    const explicit = completedSpec({
      name: 'explicit',
      network: { dataplane: 'cilium' },
      nodePools: [
        { name: 'system', mode: 'System', osType: 'Linux', nodeCount: 3, maxPods: 30, maxSurge: 1 },
      ],
    });
    expect(planDesign(explicit).defaultsApplied).toEqual([]);
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

  accepted([
    ['a Docker bridge given as a network', network({ dockerBridgeCidr: '172.17.0.0/16' })],
    ['a Docker bridge of one address', network({ dockerBridgeCidr: '192.168.0.1/32' })],
    // ARM's pattern makes the prefix length optional.
    ['a Docker bridge without a prefix length', network({ dockerBridgeCidr: '172.17.0.1' })],
  ]);

  // Kept and repeated in every export: it must be what it claims.
  refusedWithOnly(
    [
      'not an address',
      '172.17.0.1/',
      '172.17.0.1/33',
      '172.17.0.1/16/8',
      'fd00::1/64',
      '172.17.0.1/16\u001b[2J',
    ].map(
      (bad): Refusal => [
        `a Docker bridge of ${JSON.stringify(bad)}`,
        network({ dockerBridgeCidr: bad }),
        'CIDR_INVALID',
        'network.dockerBridgeCidr',
      ],
    ),
  );
});
