/**
 * Dual-stack Azure CNI Overlay (aks-networking.md section 3): ipFamilies ["ipv4", "ipv6"], pod
 * CIDRs 10.244.0.0/16 + fd12:3456:789a::/64 (a /24 and a /80 per node), service CIDRs
 * 10.0.0.0/16 + fd12:3456:789a:1::/108 (IPv6 no larger than /108). IPv6-only is refused.
 */
import { describe, expect, it } from 'vitest';
import { expectOnlyProblem, problemKeys } from '../helpers.js';
import {
  dualStackDesign,
  kubenetDesign,
  lookupText,
  overlayDesign,
  planOf,
  podSubnetDesign,
  rangesOf,
  requirement,
  slotsOf,
} from './helpers.js';

const TWO_64 = 2n ** 64n;
const PER_NODE_80 = 2n ** 48n;

describe('dual-stack defaults', () => {
  it('fills both pairs from the documented defaults and lists them in defaultsApplied', () => {
    const planned = planOf(dualStackDesign());

    expect(planned.spec.network).toMatchObject({
      ipFamilies: ['ipv4', 'ipv6'],
      podCidr: '10.244.0.0/16',
      podCidrs: ['10.244.0.0/16', 'fd12:3456:789a::/64'],
      serviceCidr: '10.0.0.0/16',
      serviceCidrs: ['10.0.0.0/16', 'fd12:3456:789a:1::/108'],
      dnsServiceIp: '10.0.0.10',
    });
    expect(planned.defaultsApplied).toEqual(
      expect.arrayContaining(['network.podCidr', 'network.podCidrs', 'network.serviceCidrs']),
    );
    expect(planned.defaultsApplied).not.toContain('network.ipFamilies');
  });

  it('pairs a given single-stack podCidr and serviceCidr with the IPv6 defaults', () => {
    const planned = planOf(
      dualStackDesign({ network: { podCidr: '10.100.0.0/16', serviceCidr: '10.1.0.0/16' } }),
    );

    expect(planned.spec.network).toMatchObject({
      podCidrs: ['10.100.0.0/16', 'fd12:3456:789a::/64'],
      serviceCidrs: ['10.1.0.0/16', 'fd12:3456:789a:1::/108'],
      dnsServiceIp: '10.1.0.10',
    });
  });

  it('derives podCidr, serviceCidr and the DNS service IP from given pairs', () => {
    const planned = planOf(
      dualStackDesign({
        network: {
          podCidrs: ['10.100.0.0/16', 'fd00:2::/64'],
          serviceCidrs: ['10.1.0.0/16', 'fd00:1::/112'],
        },
      }),
    );

    expect(planned.spec.network).toMatchObject({
      podCidr: '10.100.0.0/16',
      serviceCidr: '10.1.0.0/16',
      dnsServiceIp: '10.1.0.10',
    });
    expect(planned.defaultsApplied).not.toContain('network.podCidrs');
    expect(planned.defaultsApplied).not.toContain('network.serviceCidrs');
  });

  it("keeps the overlay warnings, but the pod CIDRs' is that they never change", () => {
    // azure-cni-overlay-pod-expand: "IPv6 pod CIDR expansion isn't supported", nor changing
    // several pod CIDR blocks; a replacement growing either is refused (change-rules).
    expect(planOf(dualStackDesign()).warnings).toEqual([
      expect.objectContaining({ code: 'OVERLAY_NODE_BLOCK_FIXED' }),
      {
        code: 'OVERLAY_POD_CIDR_FIXED',
        message:
          'the pod CIDRs can never be changed: AKS does not expand the pod CIDRs of a dual-stack cluster',
      },
    ]);
  });
});

describe('dual-stack node ranges', () => {
  it.each([
    // index, node IP, /24, /80 (as documented: fd12:3456:789a::/80, fd12:3456:789a:0:1::/80, ...)
    [0, '10.240.0.4', '10.244.0.0/24', 'fd12:3456:789a::/80'],
    [1, '10.240.0.5', '10.244.1.0/24', 'fd12:3456:789a:0:1::/80'],
    [2, '10.240.0.6', '10.244.2.0/24', 'fd12:3456:789a:0:2::/80'],
    [3, '10.240.0.7', '10.244.3.0/24', 'fd12:3456:789a:0:3::/80'],
  ])('slot %s: node %s, pods %s and %s', (index, nodeIp, v4, v6) => {
    expect(slotsOf(planOf(dualStackDesign()))[index]).toEqual({
      pool: 'system',
      index,
      fits: true,
      nodeIp,
      podCidr: v4,
      podCidrs: [v4, v6],
    });
  });

  it('counts the /80s in hexadecimal: slots 9, 10, 15, 16 and 255', () => {
    const planned = planOf(
      dualStackDesign({
        network: { nodeSubnet: '10.240.0.0/23' },
        nodePools: [{ name: 'system', nodeCount: 255, maxSurge: 1 }],
      }),
    );
    const v6 = (i: number) => slotsOf(planned)[i]?.podCidrs?.[1];

    expect([9, 10, 15, 16, 255].map(v6)).toEqual([
      'fd12:3456:789a:0:9::/80',
      'fd12:3456:789a:0:a::/80',
      'fd12:3456:789a:0:f::/80',
      'fd12:3456:789a:0:10::/80',
      'fd12:3456:789a:0:ff::/80',
    ]);
  });

  it('continues both families across pools in creation order: the current nodes of every pool first', () => {
    const planned = planOf(
      dualStackDesign({
        nodePools: [
          { name: 'system', nodeCount: 1 },
          { name: 'user', nodeCount: 1, maxSurge: 0 },
        ],
      }),
    );

    expect(slotsOf(planned, 'user')).toEqual([
      {
        pool: 'user',
        index: 0,
        fits: true,
        // system's node 0 is slot 0; user's node 0 comes next, before system's surge slot.
        nodeIp: '10.240.0.5',
        podCidr: '10.244.1.0/24',
        podCidrs: ['10.244.1.0/24', 'fd12:3456:789a:0:1::/80'],
      },
    ]);
  });

  it('single-stack slots carry no podCidrs list', () => {
    expect(slotsOf(planOf(overlayDesign()))[0]).not.toHaveProperty('podCidrs');
  });

  it('gives a slot whose IPv4 /24 ran out no /80 either: a node gets a block of each family or none', () => {
    // A /22 holds 4 /24s; the IPv6 /64 holds many /80s, but slot 4 is never a node.
    const planned = planOf(
      dualStackDesign({
        network: { podCidr: '10.244.0.0/22' },
        nodePools: [{ name: 'system', nodeCount: 4 }],
      }),
    );
    const slot = slotsOf(planned)[4];

    expect(slot).toMatchObject({ fits: false, podCidr: null, podCidrs: [null, null] });
    expect(slotsOf(planned)[3]?.podCidrs?.map((block) => block?.includes(':'))).toEqual([false, true]);
    expect(lookupText(planned, 'fd12:3456:789a:0:4::1')).toMatchObject([{ role: 'unassigned' }]);
  });
});

describe('dual-stack capacity', () => {
  it('reports one pod-cidr range per family, IPv4 first, and the recommendation for each', () => {
    const planned = planOf(dualStackDesign());

    expect(planned.model.capacity().ranges.map((r) => [r.kind, r.cidr.toString()])).toEqual([
      ['node-subnet', '10.240.0.0/24'],
      ['pod-cidr', '10.244.0.0/16'],
      ['pod-cidr', 'fd12:3456:789a::/64'],
      ['service-cidr', '10.0.0.0/16'],
      ['service-cidr', 'fd12:3456:789a:1::/108'],
    ]);
    // 3 nodes + 1 surge: four /24s (a /22) and four /80s (a /78).
    expect(planned.model.capacity().recommendation).toMatchObject({
      podCidrPrefixLength: 22,
      ipv6PodCidrPrefixLength: 78,
    });
  });

  it('recommends an IPv6 pod CIDR for the nodes an exhausted one cannot hold', () => {
    const planned = planOf(
      dualStackDesign({
        network: { podCidrs: ['10.244.0.0/16', 'fd12:3456:789a::/78'] },
        nodePools: [{ name: 'system', nodeCount: 5 }],
      }),
    );
    // 5 nodes + 1 surge (10% of 5, rounded up): six /80s need eight, a /77; six /24s a /21.
    expect(planned.model.capacity().recommendation).toMatchObject({
      podCidrPrefixLength: 21,
      ipv6PodCidrPrefixLength: 77,
    });
    expect(planOf(overlayDesign()).model.capacity().recommendation).not.toHaveProperty(
      'ipv6PodCidrPrefixLength',
    );
  });

  it('counts the IPv6 pod CIDR whole: 2^64 addresses, 2^16 /80s, 2^48 per node', () => {
    const [, v6] = rangesOf(planOf(dualStackDesign()), 'pod-cidr');

    expect(v6).toEqual({
      kind: 'pod-cidr',
      cidr: 'fd12:3456:789a::/64',
      total: TWO_64,
      azureReserved: 0n,
      usable: TWO_64,
      required: requirement(3n * PER_NODE_80, 3n * PER_NODE_80, 4n * PER_NODE_80),
      free: TWO_64 - 4n * PER_NODE_80,
      utilization: 0,
      nodeSlots: 65_536n,
      verdict: 'ok',
      explain:
        '(3 nodes + 1 surge) x 281,474,976,710,656 (a /80 per node) = 1,125,899,906,842,624 of 18,446,744,073,709,551,616 addresses',
      recommendedPrefixLength: 78,
    });
  });

  it('exhausts a single /80 with two slots', () => {
    const [, v6] = rangesOf(
      planOf(
        dualStackDesign({
          network: { podCidrs: ['10.244.0.0/16', 'fd12:3456:789a::/80'] },
          nodePools: [{ name: 'system', nodeCount: 1 }],
        }),
      ),
      'pod-cidr',
    );

    expect(v6).toMatchObject({ nodeSlots: 1n, verdict: 'exhausted', free: -PER_NODE_80 });
  });

  it('reports the IPv6 service CIDR with only its network address excluded', () => {
    const [, v6] = rangesOf(planOf(dualStackDesign()), 'service-cidr');

    expect(v6).toEqual({
      kind: 'service-cidr',
      cidr: 'fd12:3456:789a:1::/108',
      total: 1_048_576n,
      azureReserved: 0n,
      usable: 1_048_575n,
      required: requirement(0n, 0n, 0n),
      free: 1_048_575n,
      utilization: 0,
      nodeSlots: null,
      verdict: 'ok',
      explain: 'IPv6 addresses of dual-stack services: 1,048,575 assignable (network address excluded)',
      recommendedPrefixLength: null,
    });
  });
});

describe('dual-stack lookup', () => {
  const planned = planOf(dualStackDesign());
  const v6Range = 'fd12:3456:789a::/64';

  it.each([
    ['fd12:3456:789a::1', 0, '10.240.0.4'],
    ['fd12:3456:789a:0:1::5', 1, '10.240.0.5'],
    ['fd12:3456:789a:0:3:ffff:ffff:ffff', 3, '10.240.0.7'],
  ])('%s is a pod of node %s (%s)', (address, nodeIndex, nodeIp) => {
    expect(lookupText(planned, address)).toEqual([
      { role: 'pod', range: v6Range, pool: 'system', nodeIndex, nodeIp },
    ]);
  });

  it('answers the IPv4 pod address of the same node alike', () => {
    expect(lookupText(planned, '10.244.1.5')).toEqual([
      { role: 'pod', range: '10.244.0.0/16', pool: 'system', nodeIndex: 1, nodeIp: '10.240.0.5' },
    ]);
  });

  it.each([
    ['past the last planned /80', 'fd12:3456:789a:0:4::1', [{ role: 'unassigned', range: v6Range }]],
    ['the IPv6 service CIDR', 'fd12:3456:789a:1::a', [{ role: 'service', range: 'fd12:3456:789a:1::/108' }]],
    // IPv6 has no broadcast: only the network address is never a service
    [
      'the IPv6 service network address',
      'fd12:3456:789a:1::',
      [{ role: 'unassigned', range: 'fd12:3456:789a:1::/108' }],
    ],
    [
      'the last IPv6 service address',
      'fd12:3456:789a:1::f:ffff',
      [{ role: 'service', range: 'fd12:3456:789a:1::/108' }],
    ],
    ['outside every range', 'fd12:3456:789b::1', []],
  ])('%s (%s)', (_case, address, matches) => {
    expect(lookupText(planned, address)).toEqual(matches);
  });

  it('keeps the API server and DNS roles in the IPv4 service CIDR', () => {
    expect(lookupText(planned, '10.0.0.10')).toEqual([{ role: 'dns-service', range: '10.0.0.0/16' }]);
    expect(lookupText(planned, '10.0.0.1')).toEqual([
      { role: 'kubernetes-api-service', range: '10.0.0.0/16' },
    ]);
  });

  it('answers unassigned for the /80 of a slot whose /24 ran out', () => {
    const small = planOf(
      dualStackDesign({
        network: { podCidr: '10.244.0.0/22' },
        nodePools: [{ name: 'system', nodeCount: 4 }],
      }),
    );

    expect(lookupText(small, 'fd12:3456:789a:0:4::1')).toEqual([{ role: 'unassigned', range: v6Range }]);
    expect(lookupText(small, 'fd12:3456:789a:0:3::1')).toEqual([
      { role: 'pod', range: v6Range, pool: 'system', nodeIndex: 3, nodeIp: '10.240.0.7' },
    ]);
  });
});

describe('dual-stack validation', () => {
  it('refuses IPv6-only: IPV6_ONLY_NOT_SUPPORTED', () => {
    const error = expectOnlyProblem(
      overlayDesign({ network: { ipFamilies: ['ipv6'] } }),
      'IPV6_ONLY_NOT_SUPPORTED',
      'network.ipFamilies',
    );
    expect(error.message).toBe(
      'AKS does not support IPv6-only clusters; use ["ipv4", "ipv6"] for dual-stack',
    );
  });

  it('refuses IPv6 named first: AKS takes ["ipv4", "ipv6"] only, the pairs follow that order', () => {
    const error = expectOnlyProblem(
      dualStackDesign({ network: { ipFamilies: ['ipv6', 'ipv4'] } }),
      'IP_FAMILIES_INVALID',
      'network.ipFamilies',
    );
    expect(error.message).toBe(
      'ipFamilies must be ["ipv4"] or ["ipv4", "ipv6"], IPv4 first, the order of podCidrs and serviceCidrs',
    );
  });

  it('refuses an IPv6 service CIDR wider than /108: SERVICE_CIDR_TOO_LARGE', () => {
    const error = expectOnlyProblem(
      dualStackDesign({ network: { serviceCidrs: ['10.0.0.0/16', 'fd12:3456:789a:1::/107'] } }),
      'SERVICE_CIDR_TOO_LARGE',
      'network.serviceCidrs[1]',
    );
    expect(error.message).toBe(
      'fd12:3456:789a:1::/107 is larger than /108, the largest IPv6 service CIDR AKS accepts',
    );
  });

  it('refuses an IPv6 service CIDR of one address: SERVICE_CIDR_TOO_SMALL', () => {
    const error = expectOnlyProblem(
      dualStackDesign({ network: { serviceCidrs: ['10.0.0.0/16', 'fd12:3456:789a:1::/128'] } }),
      'SERVICE_CIDR_TOO_SMALL',
      'network.serviceCidrs[1]',
    );
    expect(error.message).toContain('no service could get an IPv6 address');
  });

  it('accepts an IPv6 service CIDR of exactly /108, and smaller ones down to /127', () => {
    for (const v6 of ['fd12:3456:789a:1::/108', 'fd12:3456:789a:1::/112', 'fd12:3456:789a:1::/127']) {
      const planned = planOf(dualStackDesign({ network: { serviceCidrs: ['10.0.0.0/16', v6] } }));
      expect(planned.spec.network.serviceCidrs).toEqual(['10.0.0.0/16', v6]);
    }
  });

  it.each([
    ['IPv6 first', 'podCidrs', ['fd12:3456:789a::/64', '10.244.0.0/16']],
    ['IPv4 only', 'serviceCidrs', ['10.0.0.0/16']],
    ['two IPv4', 'serviceCidrs', ['10.0.0.0/16', '10.1.0.0/16']],
    ['three entries', 'podCidrs', ['10.244.0.0/16', 'fd12:3456:789a::/64', 'fd00::/64']],
  ])('refuses a pair that is %s: DUAL_STACK_PAIR_INVALID', (_case, field, list) => {
    const error = expectOnlyProblem(
      dualStackDesign({ network: { [field]: list } }),
      'DUAL_STACK_PAIR_INVALID',
      `network.${field}`,
    );
    expect(error.message).toBe(`network.${field} must hold one IPv4 and then one IPv6 CIDR`);
  });

  it('refuses podCidrs[0] differing from podCidr: DUAL_STACK_PAIR_MISMATCH', () => {
    const error = expectOnlyProblem(
      dualStackDesign({
        network: { podCidr: '10.244.0.0/16', podCidrs: ['10.245.0.0/16', 'fd12:3456:789a::/64'] },
      }),
      'DUAL_STACK_PAIR_MISMATCH',
      'network.podCidrs[0]',
    );
    expect(error.message).toBe(
      'network.podCidrs[0] 10.245.0.0/16 differs from network.podCidr 10.244.0.0/16',
    );
  });

  it('refuses serviceCidrs[0] differing from serviceCidr: DUAL_STACK_PAIR_MISMATCH', () => {
    expectOnlyProblem(
      dualStackDesign({
        network: { serviceCidr: '10.0.0.0/16', serviceCidrs: ['10.1.0.0/16', 'fd12:3456:789a:1::/108'] },
      }),
      'DUAL_STACK_PAIR_MISMATCH',
      'network.serviceCidrs[0]',
    );
  });

  it.each([
    ['podCidrs', ['10.244.0.0/16', 'fd12:3456:789a::/64']],
    ['serviceCidrs', ['10.0.0.0/16', 'fd12:3456:789a:1::/108']],
  ])('refuses %s without IPv6 in ipFamilies: FIELD_NEEDS_DUAL_STACK', (field, list) => {
    const error = expectOnlyProblem(
      overlayDesign({ network: { [field]: list } }),
      'FIELD_NEEDS_DUAL_STACK',
      `network.${field}`,
    );
    expect(error.message).toBe(`network.${field} needs ipFamilies ["ipv4", "ipv6"]`);
  });

  it('refuses FIELD_NEEDS_DUAL_STACK with an explicit ["ipv4"] too', () => {
    expectOnlyProblem(
      overlayDesign({ network: { ipFamilies: ['ipv4'], podCidrs: ['10.244.0.0/16', 'fd00::/64'] } }),
      'FIELD_NEEDS_DUAL_STACK',
      'network.podCidrs',
    );
  });

  it('refuses an IPv6 pod CIDR smaller than one /80: POD_CIDR_TOO_SMALL', () => {
    expectOnlyProblem(
      dualStackDesign({ network: { podCidrs: ['10.244.0.0/16', 'fd12:3456:789a::/81'] } }),
      'POD_CIDR_TOO_SMALL',
      'network.podCidrs[1]',
    );
  });

  it('refuses an IPv6 pod CIDR holding the IPv6 service CIDR: POD_CIDR_OVERLAPS_SERVICE_CIDR', () => {
    const error = expectOnlyProblem(
      dualStackDesign({ network: { podCidrs: ['10.244.0.0/16', 'fd12:3456:789a::/48'] } }),
      'POD_CIDR_OVERLAPS_SERVICE_CIDR',
      'network.podCidrs[1]',
    );
    expect(error.message).toBe('fd12:3456:789a::/48 overlaps the service CIDR fd12:3456:789a:1::/108');
  });

  it('applies the IPv4 pod CIDR rules to podCidrs[0]', () => {
    expect(
      problemKeys(
        dualStackDesign({
          network: {
            vnetAddressSpace: ['10.240.0.0/12'],
            podCidrs: ['10.250.0.0/16', 'fd12:3456:789a::/64'],
          },
        }),
      ),
    ).toEqual([{ code: 'POD_CIDR_OVERLAPS_VNET', path: 'network.podCidrs[0]' }]);
    expectOnlyProblem(
      dualStackDesign({ network: { podCidrs: ['192.0.2.0/24', 'fd12:3456:789a::/64'] } }),
      'RANGE_FORBIDDEN',
      'network.podCidrs[0]',
    );
  });

  it('checks podCidrs[0] against the node subnet and the IPv4 service CIDR', () => {
    expectOnlyProblem(
      dualStackDesign({ network: { nodeSubnet: '10.244.0.0/24' } }),
      'POD_CIDR_OVERLAPS_NODE_SUBNET',
      'network.podCidrs[0]',
    );
    expectOnlyProblem(
      dualStackDesign({ network: { podCidrs: ['10.0.0.0/16', 'fd12:3456:789a::/64'] } }),
      'POD_CIDR_OVERLAPS_SERVICE_CIDR',
      'network.podCidrs[0]',
    );
  });

  it('is overlay only: ipFamilies is FIELD_NOT_FOR_PLUGIN with kubenet and the pod subnet plugin', () => {
    for (const design of [kubenetDesign, podSubnetDesign]) {
      expectOnlyProblem(
        design({ network: { ipFamilies: ['ipv4', 'ipv6'] } }),
        'FIELD_NOT_FOR_PLUGIN',
        'network.ipFamilies',
      );
    }
  });
});

describe('ranges no pod or service can take', () => {
  const pods = (podCidrs: string[]) => ({ podCidr: podCidrs[0] as string, podCidrs });
  it.each([
    ['an IPv4 pod CIDR in loopback', pods(['127.0.0.0/16', 'fd12:3456:789a::/64']), 'network.podCidrs[0]'],
    ['an IPv6 pod CIDR in link-local', pods(['10.244.0.0/16', 'fe80::/64']), 'network.podCidrs[1]'],
    ['an IPv6 pod CIDR in multicast', pods(['10.244.0.0/16', 'ff00::/64']), 'network.podCidrs[1]'],
    [
      'an IPv6 service CIDR holding :: and ::1',
      { serviceCidrs: ['10.0.0.0/16', '::/108'] },
      'network.serviceCidrs[1]',
    ],
    // A lookup reads ::ffff:192.160.0.5 as 192.160.0.5: such a range could never be found.
    [
      'an IPv6 service CIDR of IPv4-mapped addresses',
      { serviceCidrs: ['10.0.0.0/16', '::ffff:c0a0:0/108'] },
      'network.serviceCidrs[1]',
    ],
  ])('refuses %s: RANGE_SPECIAL_PURPOSE', (_case, network, path) => {
    expectOnlyProblem(dualStackDesign({ network }), 'RANGE_SPECIAL_PURPOSE', path);
  });

  it.each([
    ['0.0.0.0/16', '10.0.0.0/16'],
    ['224.0.0.0/16', '10.0.0.0/16'],
    ['240.0.0.0/16', '10.0.0.0/16'],
  ])('refuses the single-stack pod CIDR %s', (podCidr, serviceCidr) => {
    expectOnlyProblem(
      overlayDesign({ network: { podCidr, serviceCidr } }),
      'RANGE_SPECIAL_PURPOSE',
      'network.podCidr',
    );
  });

  it('refuses a service CIDR in multicast space, and names Azure platform address 168.63.129.16', () => {
    expectOnlyProblem(
      overlayDesign({ network: { serviceCidr: '224.0.0.0/16', dnsServiceIp: '224.0.0.10' } }),
      'RANGE_SPECIAL_PURPOSE',
      'network.serviceCidr',
    );
    const error = expectOnlyProblem(
      overlayDesign({ network: { podCidr: '168.63.0.0/16' } }),
      'RANGE_SPECIAL_PURPOSE',
      'network.podCidr',
    );
    expect(error.message).toBe(
      '168.63.0.0/16 overlaps 168.63.129.16/32, whose addresses no pod or service can have',
    );
  });
});

describe('egress of a dual-stack cluster', () => {
  it.each(['managedNATGateway', 'userAssignedNATGateway'] as const)(
    'warns that %s is not supported',
    (type) => {
      // A managed NAT gateway lives in the VNet AKS creates: the design names no subnet.
      const design = dualStackDesign({ network: { vnetAddressSpace: ['10.240.0.0/16'] } });
      const { nodeSubnet: _, vnetAddressSpace: __, ...managedNetwork } = design.network ?? {};
      const network = type === 'managedNATGateway' ? managedNetwork : design.network;
      const planned = planOf({ ...design, network, outbound: { type } });
      expect(planned.warnings.map((w) => w.code)).toContain('DUAL_STACK_NAT_GATEWAY');
    },
  );

  it('says nothing of the load balancer, the default', () => {
    expect(planOf(dualStackDesign()).warnings.map((w) => w.code)).not.toContain('DUAL_STACK_NAT_GATEWAY');
  });
});
