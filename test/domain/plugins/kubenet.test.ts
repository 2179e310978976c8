/**
 * kubenet (aks-networking.md section 2): one node IP per slot from the node subnet after
 * Azure's four, one /24 of the pod CIDR per slot in cluster slot order, maxPods 110, at most
 * 400 nodes (surge included), no Windows pools, no Cilium, retiring on 31 March 2028.
 */
import { describe, expect, it } from 'vitest';
import type { PlanInput } from '../../../src/domain/design/spec.js';
import { expectOnlyProblem, expectProblem } from '../helpers.js';
import { kubenetDesign, lookupText, onlyRange, planOf, requirement, slotsOf } from './helpers.js';

const firewall = [{ role: 'azure-firewall' as const, cidr: '10.240.8.0/26' }];

describe('kubenet defaults', () => {
  it('fills the pod CIDR 10.244.0.0/16 and maxPods 110, and lists both in defaultsApplied', () => {
    const planned = planOf(kubenetDesign());

    expect(planned.spec.network.podCidr).toBe('10.244.0.0/16');
    expect(planned.spec.nodePools[0]?.maxPods).toBe(110);
    expect(planned.defaultsApplied).toContain('network.podCidr');
    expect(planned.defaultsApplied).toContain('nodePools[0].maxPods');
  });

  it('keeps a given pod CIDR and maxPods and does not list them as defaults', () => {
    const planned = planOf(
      kubenetDesign({
        network: { podCidr: '192.168.0.0/16' },
        nodePools: [{ name: 'system', nodeCount: 3, maxPods: 50 }],
      }),
    );

    expect(planned.spec.network.podCidr).toBe('192.168.0.0/16');
    expect(planned.spec.nodePools[0]?.maxPods).toBe(50);
    expect(planned.defaultsApplied).not.toContain('network.podCidr');
    expect(planned.defaultsApplied).not.toContain('nodePools[0].maxPods');
  });

  it('warns of the retirement on 31 March 2028 and nothing else', () => {
    const planned = planOf(kubenetDesign());

    expect(planned.warnings).toEqual([
      {
        code: 'KUBENET_RETIREMENT',
        message:
          'kubenet retires on 31 March 2028; plan the move to Azure CNI Overlay (azure-cni-overlay), which keeps a private pod CIDR',
      },
    ]);
  });
});

describe('kubenet layout', () => {
  it('gives the first three nodes .4, .5, .6 and the documented pod CIDRs 10.244.0.0/24, .1.0/24, .2.0/24', () => {
    // 3 nodes + 1 surge = 4 slots; the surge slot takes the next /24 like any other.
    const cases = [
      { index: 0, nodeIp: '10.240.0.4', podCidr: '10.244.0.0/24' },
      { index: 1, nodeIp: '10.240.0.5', podCidr: '10.244.1.0/24' },
      { index: 2, nodeIp: '10.240.0.6', podCidr: '10.244.2.0/24' },
      { index: 3, nodeIp: '10.240.0.7', podCidr: '10.244.3.0/24' },
    ];

    expect(slotsOf(planOf(kubenetDesign()))).toEqual(
      cases.map((c) => ({ pool: 'system', fits: true, ...c })),
    );
  });

  it('hands out /24s of a custom pod CIDR from its start', () => {
    const planned = planOf(kubenetDesign({ network: { podCidr: '192.168.0.0/16' } }));

    expect(slotsOf(planned).map((s) => s.podCidr)).toEqual([
      '192.168.0.0/24',
      '192.168.1.0/24',
      '192.168.2.0/24',
      '192.168.3.0/24',
    ]);
  });

  it("lays out every pool's current nodes first, then growth and surge, for node IPs and /24s alike", () => {
    // Creation order: system 0-1, user 0-1 (current), system 2 (surge), user 2-3 (growth).
    const planned = planOf(
      kubenetDesign({
        nodePools: [
          { name: 'system', nodeCount: 2 },
          { name: 'user', nodeCount: 2, maxCount: 4, maxSurge: 0 },
        ],
      }),
    );

    expect(slotsOf(planned, 'user')).toEqual([
      { pool: 'user', index: 0, fits: true, nodeIp: '10.240.0.6', podCidr: '10.244.2.0/24' },
      { pool: 'user', index: 1, fits: true, nodeIp: '10.240.0.7', podCidr: '10.244.3.0/24' },
      { pool: 'user', index: 2, fits: true, nodeIp: '10.240.0.9', podCidr: '10.244.5.0/24' },
      { pool: 'user', index: 3, fits: true, nodeIp: '10.240.0.10', podCidr: '10.244.6.0/24' },
    ]);
    expect(slotsOf(planned, 'system').map((s) => [s.nodeIp, s.podCidr])).toEqual([
      ['10.240.0.4', '10.244.0.0/24'],
      ['10.240.0.5', '10.244.1.0/24'],
      ['10.240.0.8', '10.244.4.0/24'], // the surge slot, after user's current nodes
    ]);
    expect(planned.model.slotCount()).toBe(7);
  });

  it('pages slots across pools in plan order (by pool, then index)', () => {
    const planned = planOf(
      kubenetDesign({
        nodePools: [
          { name: 'system', nodeCount: 2 },
          { name: 'user', nodeCount: 2, maxSurge: 0 },
        ],
      }),
    );

    const page = planned.model.slots({ offset: 2, limit: 2 });
    expect(page.map((s) => [s.pool, s.index, s.podCidr?.toString()])).toEqual([
      ['system', 2, '10.244.4.0/24'], // system's surge slot is created after user's current nodes
      ['user', 0, '10.244.2.0/24'],
    ]);
  });

  it('holds the documented 251 nodes in a /24 node subnet: 251 x 110 = 27,610 pods', () => {
    // 250 nodes + 1 surge = 251 slots, the node IPs .4-.254.
    const planned = planOf(kubenetDesign({ nodePools: [{ name: 'system', nodeCount: 250, maxSurge: 1 }] }));
    const slots = slotsOf(planned);

    expect(onlyRange(planned, 'node-subnet').nodeSlots).toBe(251n);
    expect(slots).toHaveLength(251);
    expect(slots.every((s) => s.fits)).toBe(true);
    expect(slots.at(-1)).toEqual({
      pool: 'system',
      index: 250,
      fits: true,
      nodeIp: '10.240.0.254',
      podCidr: '10.244.250.0/24',
    });
    const maxPods = planned.spec.nodePools[0]?.maxPods ?? 0;
    expect(slots.filter((s) => s.fits).length * maxPods).toBe(27_610);
  });

  it('leaves the 252nd slot of a /24 node subnet without a node IP, and so without a pod CIDR', () => {
    const planned = planOf(kubenetDesign({ nodePools: [{ name: 'system', nodeCount: 251, maxSurge: 1 }] }));

    // A node that cannot get its IP is never created: the controller gives it no /24.
    expect(slotsOf(planned).at(-1)).toEqual({
      pool: 'system',
      index: 251,
      fits: false,
      nodeIp: null,
      podCidr: null,
    });
    expect(onlyRange(planned, 'node-subnet').verdict).toBe('exhausted');
  });
});

describe('kubenet capacity', () => {
  it('reports the node subnet at one address per node and the pod CIDR at 256 per node', () => {
    const capacity = planOf(kubenetDesign()).model.capacity();

    expect(capacity.verdict).toBe('ok');
    expect(capacity.recommendation).toEqual({ nodeSubnetPrefixLength: 28, podCidrPrefixLength: 22 });
    expect(capacity.ranges.map((r) => [r.kind, r.cidr.toString()])).toEqual([
      ['node-subnet', '10.240.0.0/24'],
      ['pod-cidr', '10.244.0.0/16'],
      ['service-cidr', '10.0.0.0/16'],
    ]);
  });

  it('counts the node subnet as (3 nodes + 1 surge) x 1 = 4 of 251', () => {
    expect(onlyRange(planOf(kubenetDesign()), 'node-subnet')).toEqual({
      kind: 'node-subnet',
      cidr: '10.240.0.0/24',
      total: 256n,
      azureReserved: 5n,
      usable: 251n,
      required: requirement(3n, 3n, 4n),
      free: 247n,
      utilization: 0.016,
      nodeSlots: 251n,
      verdict: 'ok',
      explain: '(3 nodes + 1 surge) x 1 node = 4 of 251 usable',
      recommendedPrefixLength: 28,
    });
  });

  it('counts the pod CIDR whole (nothing reserved): 4 x 256 = 1,024 of 65,536, 256 node slots', () => {
    expect(onlyRange(planOf(kubenetDesign()), 'pod-cidr')).toEqual({
      kind: 'pod-cidr',
      cidr: '10.244.0.0/16',
      total: 65_536n,
      azureReserved: 0n,
      usable: 65_536n,
      required: requirement(768n, 768n, 1024n),
      free: 64_512n,
      utilization: 0.016,
      nodeSlots: 256n,
      verdict: 'ok',
      explain: '(3 nodes + 1 surge) x 256 (a /24 per node) = 1,024 of 65,536 addresses',
      recommendedPrefixLength: 22,
    });
  });
});

describe('kubenet lookup', () => {
  const planned = planOf(kubenetDesign());

  it.each([
    ['a pod of node 0', '10.244.0.9', 'pod', 0, '10.240.0.4', '10.244.0.0/16'],
    ['the first address of node 1 /24', '10.244.1.0', 'pod', 1, '10.240.0.5', '10.244.0.0/16'],
    ['the last address of the surge slot /24', '10.244.3.255', 'pod', 3, '10.240.0.7', '10.244.0.0/16'],
    ['node 2 IP', '10.240.0.6', 'node', 2, '10.240.0.6', '10.240.0.0/24'],
  ])('%s (%s) belongs to its node', (_case, address, role, nodeIndex, nodeIp, range) => {
    expect(lookupText(planned, address)).toEqual([{ role, range, pool: 'system', nodeIndex, nodeIp }]);
  });

  it.each([
    ['past the last planned /24', '10.244.4.1', 'unassigned', '10.244.0.0/16'],
    ['the last address of the pod CIDR', '10.244.255.255', 'unassigned', '10.244.0.0/16'],
    ['Azure reserved in the node subnet', '10.240.0.3', 'azure-reserved', '10.240.0.0/24'],
    ['after the last node IP', '10.240.0.8', 'unassigned', '10.240.0.0/24'],
    ['the DNS service', '10.0.0.10', 'dns-service', '10.0.0.0/16'],
  ])('%s (%s) is %s', (_case, address, role, range) => {
    expect(lookupText(planned, address)).toEqual([{ role, range }]);
  });

  it('puts load balancers and private endpoints after the current nodes, and the surge slot after them', () => {
    // 3 node IPs .4-.6, then 2 load balancers .7-.8 and 1 private endpoint .9, then the surge slot .10.
    const reserved = planOf(
      kubenetDesign({ reservations: { internalLoadBalancers: 2, privateEndpoints: 1 } }),
    );
    const range = '10.240.0.0/24';

    expect(
      ['10.240.0.6', '10.240.0.7', '10.240.0.8', '10.240.0.9', '10.240.0.10', '10.240.0.11'].map((a) =>
        lookupText(reserved, a),
      ),
    ).toEqual([
      [{ role: 'node', range, pool: 'system', nodeIndex: 2, nodeIp: '10.240.0.6' }],
      [{ role: 'load-balancer', range }],
      [{ role: 'load-balancer', range }],
      [{ role: 'private-endpoint', range }],
      [{ role: 'node', range, pool: 'system', nodeIndex: 3, nodeIp: '10.240.0.10' }],
      [{ role: 'unassigned', range }],
    ]);
    // The pod CIDR holds no reservations: the surge slot keeps the next /24.
    expect(slotsOf(reserved)[3]?.podCidr).toBe('10.244.3.0/24');
    expect(onlyRange(reserved, 'node-subnet')).toMatchObject({
      required: requirement(6n, 6n, 7n),
      nodeSlots: 248n,
      explain: '(3 nodes + 1 surge) x 1 node + 2 load balancers + 1 private endpoint = 7 of 251 usable',
    });
  });

  it('finds nothing outside every range of the plan', () => {
    expect(lookupText(planned, '10.245.0.1')).toEqual([]);
  });

  it('answers unassigned for the /24 of a slot whose node has no IP', () => {
    // A /29 node subnet holds 3 node IPs; slot 3 has a /24 but no node.
    const small = planOf(kubenetDesign({ network: { nodeSubnet: '10.240.0.0/29' } }));

    expect(slotsOf(small)[3]).toMatchObject({ fits: false, nodeIp: null });
    expect(lookupText(small, '10.244.3.7')).toEqual([{ role: 'unassigned', range: '10.244.0.0/16' }]);
    expect(lookupText(small, '10.244.2.7')).toEqual([
      { role: 'pod', range: '10.244.0.0/16', pool: 'system', nodeIndex: 2, nodeIp: '10.240.0.6' },
    ]);
  });
});

describe('kubenet validation', () => {
  it('refuses a Windows pool: WINDOWS_NOT_SUPPORTED at its osType', () => {
    const error = expectOnlyProblem(
      kubenetDesign({
        nodePools: [
          { name: 'system', nodeCount: 3 },
          { name: 'win', osType: 'Windows', nodeCount: 2 },
        ],
      }),
      'WINDOWS_NOT_SUPPORTED',
      'nodePools[1].osType',
    );
    expect(error.message).toBe('kubenet does not support Windows node pools');
  });

  it('refuses the Cilium dataplane: DATAPLANE_NOT_SUPPORTED', () => {
    const error = expectOnlyProblem(
      kubenetDesign({ network: { dataplane: 'cilium' } }),
      'DATAPLANE_NOT_SUPPORTED',
      'network.dataplane',
    );
    expect(error.message).toBe('the cilium dataplane is not available with the kubenet plugin; use azure');
  });

  it('accepts 400 nodes counting surge (399 + 1) in a large enough node subnet', () => {
    const design = kubenetDesign({
      network: { nodeSubnet: '10.240.0.0/22' },
      nodePools: [{ name: 'system', nodeCount: 399, maxSurge: 1 }],
    });

    expect(planOf(design).model.slotCount()).toBe(400);
  });

  it('refuses 401 nodes counting surge: KUBENET_TOO_MANY_NODES', () => {
    const error = expectOnlyProblem(
      kubenetDesign({
        network: { nodeSubnet: '10.240.0.0/22' },
        nodePools: [{ name: 'system', nodeCount: 400, maxSurge: 1 }],
      }),
      'KUBENET_TOO_MANY_NODES',
      'nodePools',
    );
    expect(error.message).toBe(
      'the pools reach 401 nodes with surge; a kubenet route table holds 400 routes',
    );
  });

  it('counts the user-defined routes beside the nodes: 398 nodes + 2 routes fit, 399 + 2 do not', () => {
    const udr = (nodeCount: number): PlanInput => ({
      ...kubenetDesign({
        network: { nodeSubnet: '10.240.0.0/22', vnetAddressSpace: ['10.240.0.0/16'] },
        nodePools: [{ name: 'system', nodeCount, maxSurge: 0 }],
      }),
      platformSubnets: [{ role: 'azure-firewall', cidr: '10.240.8.0/26' }],
      outbound: { type: 'userDefinedRouting', firewallPublicIp: '20.1.2.3', publicLoadBalancerServices: 1 },
    });
    expect(planOf(udr(398)).warnings.map((w) => w.code)).toContain('UDR_ASYMMETRIC_ROUTING');
    const error = expectOnlyProblem(udr(399), 'KUBENET_TOO_MANY_NODES', 'nodePools');
    expect(error.message).toBe(
      'the pools reach 399 nodes with surge and 2 user-defined routes; a kubenet route table holds 400 routes',
    );
  });

  it.each([
    ['no route of its own', {}, 400],
    [
      'a default route to the firewall',
      { platformSubnets: firewall, outbound: { type: 'userDefinedRouting' } },
      399,
    ],
    [
      'a default route and a DNAT return route',
      {
        platformSubnets: firewall,
        outbound: { type: 'userDefinedRouting', firewallPublicIp: '20.1.2.3', publicLoadBalancerServices: 1 },
      },
      398,
    ],
  ] as const)('grows a pool as far as validation accepts, with %s', (_label, extra, reach) => {
    const design = (nodeCount: number): PlanInput => ({
      ...kubenetDesign({
        network: {
          nodeSubnet: '10.240.0.0/22',
          vnetAddressSpace: ['10.240.0.0/16'],
          podCidr: '10.200.0.0/14',
        },
        nodePools: [{ name: 'system', nodeCount, maxSurge: 0 }],
      }),
      ...extra,
    });
    expect(planOf(design(3)).model.capacity().maxReach[0]).toMatchObject({
      maxCount: reach,
      limitedBy: { kind: 'kubenet-node-limit' },
    });
    expect(() => planOf(design(reach))).not.toThrow();
    expectOnlyProblem(design(reach + 1), 'KUBENET_TOO_MANY_NODES', 'nodePools');
  });

  it('counts autoscaler maxima and percentage surge of every pool towards the 400', () => {
    // system 200 + 1 surge; user 198 max + ceil(1% of 198) = 2 surge: 401.
    expectOnlyProblem(
      kubenetDesign({
        network: { nodeSubnet: '10.240.0.0/22' },
        nodePools: [
          { name: 'system', nodeCount: 200 },
          { name: 'user', nodeCount: 100, maxCount: 198, maxSurge: '1%' },
        ],
      }),
      'KUBENET_TOO_MANY_NODES',
      'nodePools',
    );
  });

  it('applies the pod CIDR rules: a /25 is POD_CIDR_TOO_SMALL', () => {
    expectOnlyProblem(
      kubenetDesign({ network: { podCidr: '10.244.0.0/25' } }),
      'POD_CIDR_TOO_SMALL',
      'network.podCidr',
    );
  });

  it.each([
    ['podSubnet', { podSubnet: '10.241.0.0/24' }],
    ['podIpAllocation', { podIpAllocation: 'dynamic' as const }],
    ['ipFamilies', { ipFamilies: ['ipv4' as const] }],
    ['podCidrs', { podCidrs: ['10.244.0.0/16'] }],
  ])('refuses network.%s: FIELD_NOT_FOR_PLUGIN', (field, network) => {
    expectProblem(kubenetDesign({ network }), 'FIELD_NOT_FOR_PLUGIN', `network.${field}`);
  });
});
