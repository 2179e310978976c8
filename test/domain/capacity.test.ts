import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RangeCapacity } from '../../src/domain/capacity/range-capacity.js';
import { utilization, verdictFor } from '../../src/domain/capacity/verdict.js';
import type { NodePoolInput } from '../../src/domain/design/spec.js';
import { type DesignOverrides, plan } from './helpers.js';

/** The node-subnet capacity entry (the first range) with its numbers written as plain JS values. */
function nodeSubnetCapacity(overrides: DesignOverrides) {
  const report = plan(overrides).model.capacity();
  const range = report.ranges.find((r) => r.kind === 'node-subnet');
  if (range === undefined) throw new Error('no node-subnet range');
  return { report, range, plain: plainCapacity(range) };
}

function plainCapacity(r: RangeCapacity) {
  return {
    kind: r.kind,
    cidr: r.cidr.toString(),
    total: Number(r.total),
    azureReserved: Number(r.azureReserved),
    usable: Number(r.usable),
    required: {
      current: Number(r.required.current),
      atMaxCount: Number(r.required.atMaxCount),
      duringUpgrade: Number(r.required.duringUpgrade),
    },
    free: Number(r.free),
    utilization: r.utilization,
    nodeSlots: r.nodeSlots === null ? null : Number(r.nodeSlots),
    verdict: r.verdict,
    explain: r.explain,
  };
}

const pool = (p: Partial<NodePoolInput> = {}): NodePoolInput => ({ name: 'system', nodeCount: 3, ...p });

describe('the api.md capacity example', () => {
  const example = () =>
    nodeSubnetCapacity({
      name: 'prod-weu-1',
      network: {
        vnetAddressSpace: ['10.240.0.0/16'],
        nodeSubnet: '10.240.0.0/24',
        serviceCidr: '10.0.0.0/16',
        dnsServiceIp: '10.0.0.10',
      },
      nodePools: [pool({ nodeCount: 3, maxCount: 5, maxPods: 30, maxSurge: 1 })],
      reservations: { internalLoadBalancers: 2, privateEndpoints: 1 },
    });

  it('matches the documented node-subnet entry field by field', () => {
    expect(example().plain).toEqual({
      kind: 'node-subnet',
      cidr: '10.240.0.0/24',
      total: 256,
      azureReserved: 5,
      usable: 251,
      required: { current: 96, atMaxCount: 158, duringUpgrade: 189 },
      free: 62,
      utilization: 0.753,
      nodeSlots: 8,
      verdict: 'ok',
      explain:
        '(5 max + 1 surge) x (1 node + 30 pods) + 2 load balancers + 1 private endpoint = 189 of 251 usable',
    });
  });

  it('keeps the counts as bigints', () => {
    const { range } = example();
    expect(range.total).toBe(256n);
    expect(range.required.duringUpgrade).toBe(189n);
    expect(range.nodeSlots).toBe(8n);
  });

  it('recommends a /24 and gives an overall ok', () => {
    const { report } = example();
    expect(report.verdict).toBe('ok');
    expect(report.recommendation).toEqual({ nodeSubnetPrefixLength: 24, podCidrPrefixLength: null });
  });

  it('reports the service CIDR as a range of its own', () => {
    const service = example().report.ranges.find((r) => r.kind === 'service-cidr');
    expect(service && plainCapacity(service)).toMatchObject({
      cidr: '10.0.0.0/16',
      total: 65536,
      usable: 65534,
      required: { current: 2, atMaxCount: 2, duringUpgrade: 2 },
      nodeSlots: null,
      verdict: 'ok',
    });
  });
});

describe('the documented sizing formula', () => {
  const big = { nodeSubnet: '10.240.0.0/16' };

  it('50 nodes at maxPods 30 with surge 1 need 1,581 addresses: a /21', () => {
    const { plain, report } = nodeSubnetCapacity({
      network: big,
      nodePools: [pool({ nodeCount: 50, maxPods: 30, maxSurge: 1 })],
    });
    expect(plain.required.duringUpgrade).toBe(1581);
    expect(report.recommendation.nodeSubnetPrefixLength).toBe(21);
    expect(plain.explain).toBe('(50 nodes + 1 surge) x (1 node + 30 pods) = 1,581 of 65,531 usable');
  });

  it.each([
    ['nodeCount 60', pool({ nodeCount: 60, maxPods: 30, maxSurge: 1 })], // 10 more nodes, now
    ['maxCount 60', pool({ nodeCount: 50, maxCount: 60, maxPods: 30, maxSurge: 1 })], // 10 more through the autoscaler
  ])('10 more nodes for scale-out (%s) need 1,891: still a /21', (_, nodePool) => {
    const { plain, report } = nodeSubnetCapacity({ network: big, nodePools: [nodePool] });
    expect(plain.required.duringUpgrade).toBe(1891);
    expect(report.recommendation.nodeSubnetPrefixLength).toBe(21);
  });

  it('separates current, autoscaler maximum and upgrade requirements', () => {
    const { plain } = nodeSubnetCapacity({
      network: big,
      nodePools: [pool({ nodeCount: 50, maxCount: 60, maxPods: 30, maxSurge: 1 })],
    });
    expect(plain.required).toEqual({ current: 50 * 31, atMaxCount: 60 * 31, duringUpgrade: 61 * 31 });
  });

  it('a /24 at maxPods 30 holds 8 nodes', () => {
    const { plain } = nodeSubnetCapacity({
      network: { nodeSubnet: '10.240.0.0/24' },
      nodePools: [pool({ nodeCount: 3, maxPods: 30 })],
    });
    expect(plain.nodeSlots).toBe(8);
  });

  it('nodeSlots subtracts the reservations first', () => {
    const { plain } = nodeSubnetCapacity({
      network: { nodeSubnet: '10.240.0.0/24' },
      nodePools: [pool({ nodeCount: 3, maxPods: 30 })],
      reservations: { internalLoadBalancers: 10 }, // (251 - 10) / 31 = 7.77
    });
    expect(plain.nodeSlots).toBe(7);
  });

  it('counts a private cluster API server endpoint', () => {
    const { plain } = nodeSubnetCapacity({
      network: { nodeSubnet: '10.240.0.0/24', privateCluster: true },
      nodePools: [pool({ nodeCount: 3, maxPods: 30, maxSurge: 1 })],
    });
    expect(plain.required.duringUpgrade).toBe(4 * 31 + 1);
    expect(plain.explain).toBe(
      '(3 nodes + 1 surge) x (1 node + 30 pods) + 1 API server endpoint = 125 of 251 usable',
    );
  });
});

describe('surge', () => {
  it('rounds a percentage up to whole nodes: 33% of 10 is 4', () => {
    const planned = plan({ nodePools: [pool({ nodeCount: 10, maxPods: 30, maxSurge: '33%' })] });
    expect(planned.model.slotCount()).toBe(14);
    const range = planned.model.capacity().ranges[0];
    expect(range?.required.duringUpgrade).toBe(14n * 31n);
    expect(range?.explain).toContain('(10 nodes + 4 surge)');
  });

  it('takes the percentage of the autoscaler maximum', () => {
    const planned = plan({ nodePools: [pool({ nodeCount: 3, maxCount: 10, maxSurge: '33%' })] });
    expect(planned.model.slotCount()).toBe(14);
  });

  it.each([
    ['0%', 10], // no surge
    ['100%', 20], // doubles the pool
    ['1%', 11], // any fraction rounds up to one node
    [0, 10], // a count of zero
    [3, 13], // a plain count
    ['3', 13], // the count as AKS writes it, a string
    ['99999999', 20], // as many digits as the API's text holds, as the number 99999999 is taken
    [10, 20], // as many as the pool
    [15, 20], // more than the pool: AKS surges the nodes it upgrades, no more
  ])('maxSurge %j on 10 nodes gives %s slots', (maxSurge, slots) => {
    expect(plan({ nodePools: [pool({ nodeCount: 10, maxSurge })] }).model.slotCount()).toBe(slots);
  });

  it('keeps a count sent as a string ("5", as ARM templates write it) as the number', () => {
    expect(plan({ nodePools: [pool({ nodeCount: 10, maxSurge: '5' })] }).spec.nodePools[0]?.maxSurge).toBe(5);
  });

  it('caps the surge at the autoscaler maximum, the most nodes an upgrade upgrades', () => {
    const planned = plan({ nodePools: [pool({ nodeCount: 2, maxCount: 3, maxSurge: 5 })] });
    expect(planned.model.slotCount()).toBe(6);
  });

  it('5 pools of 4 nodes at 50% surge need 10 extra nodes', () => {
    const nodePools = ['a', 'b', 'c', 'd', 'e'].map((name) => ({ name, nodeCount: 4, maxSurge: '50%' }));
    expect(plan({ nodePools }).model.slotCount()).toBe(30);
  });
});

describe('verdicts', () => {
  // A /24 has 251 usable addresses; 6 slots x 31 = 186 plus n load balancers.
  const withLoadBalancers = (n: number) =>
    nodeSubnetCapacity({
      network: { nodeSubnet: '10.240.0.0/24' },
      nodePools: [pool({ nodeCount: 5, maxPods: 30, maxSurge: 1 })],
      reservations: { internalLoadBalancers: n },
    });

  it.each([
    [14, 200, 'ok', 0.797, 51], // 200 / 251 is just under 80%
    [15, 201, 'at-risk', 0.801, 50], // 201 / 251 is just over 80% (80% = 200.8)
    [65, 251, 'at-risk', 1, 0], // every usable address taken: full but not exhausted
    [66, 252, 'exhausted', 1.004, -1], // one over usable
  ])('%s load balancers -> %s required: %s', (n, required, verdict, util, free) => {
    const { plain, report } = withLoadBalancers(n);
    expect(plain.required.duringUpgrade).toBe(required);
    expect(plain.verdict).toBe(verdict);
    expect(plain.utilization).toBe(util);
    expect(plain.free).toBe(free);
    expect(report.verdict).toBe(verdict);
  });

  it('writes reservation counts as every other count, with thousands separators', () => {
    expect(withLoadBalancers(1000).plain.explain).toContain(' + 1,000 load balancers = ');
  });

  it('explains a shortfall', () => {
    expect(withLoadBalancers(66).plain.explain).toBe(
      '(5 nodes + 1 surge) x (1 node + 30 pods) + 66 load balancers = 252 of 251 usable: 1 short',
    );
  });

  it('is at-risk at exactly 80% (usable node subnets never hit 80% exactly, so the rule is checked directly)', () => {
    expect(verdictFor(80n, 100n)).toBe('at-risk');
    expect(verdictFor(4n, 5n)).toBe('at-risk');
    expect(verdictFor(79n, 100n)).toBe('ok');
    expect(verdictFor(100n, 100n)).toBe('at-risk');
    expect(verdictFor(101n, 100n)).toBe('exhausted');
    // A range with no usable address holds nothing, even when nothing is planned in it.
    expect([verdictFor(0n, 0n), utilization(0n, 0n)]).toEqual(['exhausted', Number.POSITIVE_INFINITY]);
  });

  it('rounds utilization to three decimals, half up', () => {
    expect(utilization(189n, 251n)).toBe(0.753);
    expect(utilization(1n, 2000n)).toBe(0.001); // 0.0005 rounds up
    expect(utilization(1n, 3n)).toBe(0.333);
    expect(utilization(0n, 10n)).toBe(0);
  });

  it('never rounds across a verdict: the figure and the verdict agree at both lines', () => {
    expect([utilization(3272n, 4091n), verdictFor(3272n, 4091n)]).toEqual([0.799, 'ok']); // 79.98%
    expect([utilization(3273n, 4091n), verdictFor(3273n, 4091n)]).toEqual([0.8, 'at-risk']);
    expect([utilization(65535n, 65534n), verdictFor(65535n, 65534n)]).toEqual([1.001, 'exhausted']);
    expect([utilization(65534n, 65534n), verdictFor(65534n, 65534n)]).toEqual([1, 'at-risk']);
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 6n }),
        fc.bigInt({ min: 0n, max: 10n ** 6n }),
        (required, usable) => {
          const u = utilization(required, usable);
          const verdict = verdictFor(required, usable);
          expect(verdict === 'exhausted').toBe(u > 1);
          expect(verdict === 'ok').toBe(u < 0.8);
          if (usable > 0n) expect(Math.abs(u - Number(required) / Number(usable))).toBeLessThanOrEqual(0.001);
          else expect(u).toBe(Number.POSITIVE_INFINITY);
        },
      ),
    );
  });
});

describe('several pools and subnets', () => {
  it('names the pools in the explanation of a shared subnet and sizes nodeSlots by the largest block', () => {
    const { plain } = nodeSubnetCapacity({
      network: { nodeSubnet: '10.240.0.0/22' },
      nodePools: [
        pool({ name: 'system', nodeCount: 3, maxPods: 30 }),
        pool({ name: 'user', nodeCount: 2, maxCount: 4, maxPods: 50 }),
      ],
      reservations: { internalLoadBalancers: 1 },
    });
    expect(plain.required).toEqual({
      current: 3 * 31 + 2 * 51 + 1,
      atMaxCount: 3 * 31 + 4 * 51 + 1,
      duringUpgrade: 4 * 31 + 5 * 51 + 1,
    });
    expect(plain.nodeSlots).toBe(Math.floor((1019 - 1) / 51));
    expect(plain.explain).toBe(
      'system (3 nodes + 1 surge) x (1 node + 30 pods) + user (4 max + 1 surge) x (1 node + 50 pods) + 1 load balancer = 380 of 1,019 usable',
    );
  });

  it("gives each distinct subnet its own entry, reservations only in the first pool's", () => {
    const report = plan({
      network: { nodeSubnet: '10.240.0.0/24' },
      nodePools: [
        pool({ name: 'system', nodeCount: 3 }),
        pool({ name: 'user', nodeCount: 20, nodeSubnet: '10.241.0.0/22' }),
      ],
      reservations: { privateEndpoints: 2 },
    }).model.capacity();
    const subnets = report.ranges.filter((r) => r.kind === 'node-subnet').map(plainCapacity);
    expect(subnets.map((s) => [s.cidr, s.required.duringUpgrade, s.verdict])).toEqual([
      ['10.240.0.0/24', 4 * 31 + 2, 'ok'],
      ['10.241.0.0/22', (20 + 2) * 31, 'ok'], // the default surge is 10% of 20, 2 nodes
    ]);
    // The recommendation is for the cluster's own (first) subnet.
    expect(report.recommendation.nodeSubnetPrefixLength).toBe(24);
  });

  it("recommends for the cluster's node subnet when the first pool has a subnet of its own", () => {
    // network.nodeSubnet /28 holds pool b: 20 nodes + 2 surge (10% of 20) = 22 > 11 usable -> /27 (27 usable).
    const report = plan({
      network: { plugin: 'azure-cni-overlay', nodeSubnet: '10.1.0.0/28' },
      nodePools: [
        pool({ name: 'system', nodeCount: 2, nodeSubnet: '10.1.1.0/24' }),
        pool({ name: 'b', mode: 'User', nodeCount: 20 }),
      ],
    }).model.capacity();
    const subnets = report.ranges.filter((r) => r.kind === 'node-subnet');
    expect(subnets.map((r) => [r.cidr.toString(), r.recommendedPrefixLength])).toEqual([
      ['10.1.1.0/24', 29],
      ['10.1.0.0/28', 27],
    ]);
    expect(report.recommendation.nodeSubnetPrefixLength).toBe(27);
  });

  it('takes the worst verdict over all ranges', () => {
    const report = plan({
      network: { nodeSubnet: '10.240.0.0/16' },
      nodePools: [
        pool({ name: 'system', nodeCount: 3 }),
        pool({ name: 'user', nodeCount: 20, nodeSubnet: '10.241.0.0/24' }),
      ],
    }).model.capacity();
    expect(report.ranges.map((r) => r.verdict)).toEqual(['ok', 'exhausted', 'ok']);
    expect(report.verdict).toBe('exhausted');
  });
});

describe('recommended prefix length: the smallest subnet whose usable addresses hold duringUpgrade', () => {
  const recommend = (nodePool: NodePoolInput, internalLoadBalancers = 0) =>
    nodeSubnetCapacity({ nodePools: [nodePool], reservations: { internalLoadBalancers } });

  it.each([
    // pool, load balancers, required, prefix
    [pool({ nodeCount: 1, maxPods: 58, maxSurge: 0 }), 0, 59, 26], // 59 = a /26's usable addresses exactly
    [pool({ nodeCount: 1, maxPods: 59, maxSurge: 0 }), 0, 60, 25], // one more needs a /25
    [pool({ nodeCount: 1, maxPods: 30, maxSurge: 1 }), 0, 62, 25], // 2 x 31
    [pool({ nodeCount: 50, maxPods: 30, maxSurge: 1 }), 462, 2043, 21], // a /21's 2,043 usable exactly
    [pool({ nodeCount: 50, maxPods: 30, maxSurge: 1 }), 463, 2044, 20], // one more needs a /20
  ])('%o with %s load balancers needs %s: /%s', (nodePool, lbs, required, prefix) => {
    const { plain, range, report } = recommend(nodePool, lbs);
    expect(plain.required.duringUpgrade).toBe(required);
    expect(range.recommendedPrefixLength).toBe(prefix);
    expect(report.recommendation.nodeSubnetPrefixLength).toBe(prefix);
  });
});

describe('the VNet limit of 65,536 configured IP addresses', () => {
  const codes = (overrides: Parameters<typeof plan>[0]) => plan(overrides).warnings.map((w) => w.code);
  // maxPods 250, no surge: each node configures 251 addresses in the VNet.
  const nodes = (nodeCount: number) => [pool({ nodeCount, maxPods: 250, maxSurge: 0 })];
  const wide = {
    nodeSubnet: '10.0.0.0/14',
    vnetAddressSpace: ['10.0.0.0/8'],
    serviceCidr: '172.16.0.0/16',
    dnsServiceIp: '172.16.0.10',
  };

  it('warns when the node IPs and pre-allocated pod IPs pass it: 262 x 251 = 65,762', () => {
    const planned = plan({ network: wide, nodePools: nodes(262) });
    expect(planned.warnings).toContainEqual({
      code: 'VNET_CONFIGURED_IPS_ABOVE_LIMIT',
      message:
        'at their maxima plus surge the pools configure 65,762 IP addresses in the virtual network, which holds at most 65,536: the cluster cannot reach that size in one VNet',
    });
    expect(planned.model.capacity().verdict).toBe('ok');
  });

  it('stays quiet at 261 x 251 = 65,511', () => {
    expect(codes({ network: wide, nodePools: nodes(261) })).not.toContain('VNET_CONFIGURED_IPS_ABOVE_LIMIT');
  });

  it('counts overlay nodes only: their pods are not in the VNet', () => {
    const overlay = { ...wide, plugin: 'azure-cni-overlay' as const, podCidr: '192.168.0.0/16' };
    expect(codes({ network: overlay, nodePools: [pool({ nodeCount: 262, maxSurge: 0 })] })).not.toContain(
      'VNET_CONFIGURED_IPS_ABOVE_LIMIT',
    );
  });
});
