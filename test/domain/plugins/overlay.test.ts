/**
 * Azure CNI Overlay (aks-networking.md section 2), the default plugin: kubenet's node and pod
 * layout with maxPods 250 and a private pod CIDR that must stay clear of the VNet (or the node
 * subnets without one), the service CIDR and AKS's forbidden ranges. Also the Cilium dataplane,
 * which keeps the address maths of the plugin under it.
 */
import { describe, expect, it } from 'vitest';
import type { PlanInput } from '../../../src/domain/design/spec.js';
import { planDesign } from '../../../src/domain/plan/planner.js';
import { expectOnlyProblem, problemKeys } from '../helpers.js';
import {
  lookupText,
  onlyRange,
  overlayDesign,
  planOf,
  podSubnetDesign,
  requirement,
  slotsOf,
  staticBlockDesign,
  warningCodes,
} from './helpers.js';

const OVERLAY_WARNINGS = [
  {
    code: 'OVERLAY_NODE_BLOCK_FIXED',
    message:
      'every node takes a /24 of the pod CIDR, and that size cannot be changed after the cluster is created',
  },
  {
    code: 'OVERLAY_POD_CIDR_EXPAND_ONLY',
    message:
      'the pod CIDR can later only be expanded to a superset that contains it (10.244.0.0/18 -> 10.244.0.0/16), never shrunk or moved',
  },
];

describe('overlay defaults', () => {
  it('is the plugin when none is named, and says so in defaultsApplied', () => {
    const planned = planOf({ name: 'no-plugin', nodePools: [{ name: 'system', nodeCount: 1 }] });

    expect(planned.spec.network.plugin).toBe('azure-cni-overlay');
    expect(planned.defaultsApplied).toContain('network.plugin');
    expect(planned.spec.network.podCidr).toBe('10.244.0.0/16');
    expect(planned.spec.network.ipFamilies).toEqual(['ipv4']);
  });

  it('fills maxPods 250, pod CIDR 10.244.0.0/16 and ipFamilies ["ipv4"], and lists them', () => {
    const planned = planOf(overlayDesign());

    expect(planned.spec.nodePools[0]?.maxPods).toBe(250);
    expect(planned.defaultsApplied).toEqual(
      expect.arrayContaining(['nodePools[0].maxPods', 'network.podCidr', 'network.ipFamilies']),
    );
    expect(planned.defaultsApplied).not.toContain('network.plugin');
    expect(planned.spec.network.podCidrs).toBeUndefined();
    expect(planned.spec.network.serviceCidrs).toBeUndefined();
  });

  it('warns that the /24 per node is fixed and the pod CIDR can only expand', () => {
    expect(planOf(overlayDesign()).warnings).toEqual(OVERLAY_WARNINGS);
  });
});

describe('overlay layout', () => {
  it('gives node i the IP .4+i and the /24 number i: 10.244.0.0/24, 10.244.1.0/24, 10.244.2.0/24', () => {
    expect(slotsOf(planOf(overlayDesign()))).toEqual([
      { pool: 'system', index: 0, fits: true, nodeIp: '10.240.0.4', podCidr: '10.244.0.0/24' },
      { pool: 'system', index: 1, fits: true, nodeIp: '10.240.0.5', podCidr: '10.244.1.0/24' },
      { pool: 'system', index: 2, fits: true, nodeIp: '10.240.0.6', podCidr: '10.244.2.0/24' },
      { pool: 'system', index: 3, fits: true, nodeIp: '10.240.0.7', podCidr: '10.244.3.0/24' },
    ]);
  });

  it('gives the documented pools A and B their /24s in creation order (api.md)', () => {
    // A: 2 nodes, max 4, surge 1; B: 2 nodes, surge 1.
    const planned = planOf(
      overlayDesign({
        network: { nodeSubnet: '10.240.0.0/24' },
        nodePools: [
          { name: 'a', nodeCount: 2, maxCount: 4, maxSurge: 1 },
          { name: 'b', nodeCount: 2, maxSurge: 1 },
        ],
      }),
    );

    const blocks = slotsOf(planned).map((s) => `${s.pool}${s.index} ${s.podCidr}`);
    expect(blocks).toEqual([
      'a0 10.244.0.0/24',
      'a1 10.244.1.0/24',
      'a2 10.244.4.0/24',
      'a3 10.244.5.0/24',
      'a4 10.244.6.0/24', // surge
      'b0 10.244.2.0/24',
      'b1 10.244.3.0/24',
      'b2 10.244.7.0/24', // surge
    ]);
  });

  it('hands out the /24s in creation order across pools that have their own node subnets', () => {
    // Creation order: system 0, user 0-1 (current nodes), then system 1 (surge).
    const planned = planOf(
      overlayDesign({
        nodePools: [
          { name: 'system', nodeCount: 1 },
          { name: 'user', nodeCount: 2, maxSurge: 0, nodeSubnet: '10.240.1.0/24' },
        ],
      }),
    );

    expect(slotsOf(planned)).toEqual([
      { pool: 'system', index: 0, fits: true, nodeIp: '10.240.0.4', podCidr: '10.244.0.0/24' },
      { pool: 'system', index: 1, fits: true, nodeIp: '10.240.0.5', podCidr: '10.244.3.0/24' },
      { pool: 'user', index: 0, fits: true, nodeIp: '10.240.1.4', podCidr: '10.244.1.0/24' },
      { pool: 'user', index: 1, fits: true, nodeIp: '10.240.1.5', podCidr: '10.244.2.0/24' },
    ]);
  });
});

describe('overlay pod CIDR capacity', () => {
  it('refuses nothing but reports the documented AKS case: 5 nodes in a /22 need 1,280 of 1,024', () => {
    // "Pre-allocated IPs 1280 exceeds IPs available 1024".
    const planned = planOf(
      overlayDesign({
        network: { podCidr: '10.244.0.0/22' },
        nodePools: [{ name: 'system', nodeCount: 5, maxSurge: 0 }],
      }),
    );

    expect(onlyRange(planned, 'pod-cidr')).toEqual({
      kind: 'pod-cidr',
      cidr: '10.244.0.0/22',
      total: 1024n,
      azureReserved: 0n,
      usable: 1024n,
      required: requirement(1280n, 1280n, 1280n),
      free: -256n,
      utilization: 1.25,
      nodeSlots: 4n,
      verdict: 'exhausted',
      explain: '(5 nodes + 0 surge) x 256 (a /24 per node) = 1,280 of 1,024 addresses: 256 short',
      recommendedPrefixLength: 21,
    });
    const capacity = planned.model.capacity();
    expect(capacity.verdict).toBe('exhausted');
    expect(capacity.recommendation.podCidrPrefixLength).toBe(21);
  });

  it('gives the fifth node of a /22 no /24: fits false, podCidr null; lookups stop at node 3 (its node IP too)', () => {
    const planned = planOf(
      overlayDesign({
        network: { podCidr: '10.244.0.0/22' },
        nodePools: [{ name: 'system', nodeCount: 5, maxSurge: 0 }],
      }),
    );

    expect(slotsOf(planned)[4]).toEqual({
      pool: 'system',
      index: 4,
      fits: false,
      nodeIp: '10.240.0.8',
      podCidr: null,
    });
    expect(lookupText(planned, '10.244.3.200')).toEqual([
      { role: 'pod', range: '10.244.0.0/22', pool: 'system', nodeIndex: 3, nodeIp: '10.240.0.7' },
    ]);
    // AKS refuses a node without a /24, so the node IP listed for the slot (fits false) is no node's.
    expect(lookupText(planned, '10.240.0.8')).toEqual([{ role: 'unassigned', range: '10.240.0.0/24' }]);
  });

  it.each([
    // prefix, node slots (2^(24 - p)) as documented: /16 -> 256, /15 -> 512, /11 -> 8,192.
    ['10.244.0.0/24', 1n, 256n],
    ['10.244.0.0/22', 4n, 1024n],
    ['10.244.0.0/16', 256n, 65_536n],
    ['10.244.0.0/15', 512n, 131_072n],
    ['10.224.0.0/11', 8192n, 2_097_152n],
  ])('a %s pod CIDR holds %s nodes and %s usable addresses', (podCidr, nodeSlots, usable) => {
    const range = onlyRange(
      planOf(overlayDesign({ network: { nodeSubnet: '172.16.0.0/24', podCidr } })),
      'pod-cidr',
    );

    expect({ nodeSlots: range.nodeSlots, usable: range.usable, total: range.total }).toEqual({
      nodeSlots,
      usable,
      total: usable,
    });
  });

  it.each([
    // (max + surge) slots -> longest prefix with that many /24s.
    [1, 0, 24],
    [1, 1, 23],
    [3, 1, 22],
    [4, 1, 21],
    [255, 1, 16],
    [256, 1, 15],
  ])('recommends the pod CIDR prefix for %s nodes + %s surge: /%s', (nodeCount, maxSurge, prefix) => {
    const planned = planOf(
      overlayDesign({
        network: { nodeSubnet: '10.240.0.0/20' },
        nodePools: [{ name: 'system', nodeCount, maxSurge }],
      }),
    );

    expect(planned.model.capacity().recommendation.podCidrPrefixLength).toBe(prefix);
  });

  it('sums (max + surge) x 256 over every pool, naming the pools', () => {
    const range = onlyRange(
      planOf(
        overlayDesign({
          nodePools: [
            { name: 'system', nodeCount: 3, maxCount: 5, maxSurge: 1 },
            { name: 'user', nodeCount: 2, maxSurge: '50%' },
          ],
        }),
      ),
      'pod-cidr',
    );

    // current (3 + 2) x 256; maxima (5 + 2) x 256; with surge (6 + 3) x 256.
    expect(range.required).toEqual(requirement(1280n, 1792n, 2304n));
    expect(range.explain).toBe(
      'system (5 max + 1 surge) x 256 (a /24 per node) + user (2 nodes + 1 surge) x 256 (a /24 per node) = 2,304 of 65,536 addresses',
    );
  });
});

describe('overlay lookup', () => {
  const planned = planOf(overlayDesign());

  it.each([
    ['10.244.0.1', 0, '10.240.0.4'],
    ['10.244.2.128', 2, '10.240.0.6'],
    ['10.244.3.255', 3, '10.240.0.7'],
  ])('%s is a pod of node %s (%s)', (address, nodeIndex, nodeIp) => {
    expect(lookupText(planned, address)).toEqual([
      { role: 'pod', range: '10.244.0.0/16', pool: 'system', nodeIndex, nodeIp },
    ]);
  });

  it('answers unassigned inside the pod CIDR past the last slot', () => {
    expect(lookupText(planned, '10.244.4.0')).toEqual([{ role: 'unassigned', range: '10.244.0.0/16' }]);
  });
});

describe('overlay pod CIDR validation', () => {
  it('refuses a pod CIDR overlapping the VNet, even outside the node subnet: POD_CIDR_OVERLAPS_VNET', () => {
    const error = expectOnlyProblem(
      overlayDesign({
        network: {
          vnetAddressSpace: ['10.240.0.0/12'],
          nodeSubnet: '10.240.0.0/24',
          podCidr: '10.250.0.0/16',
        },
      }),
      'POD_CIDR_OVERLAPS_VNET',
      'network.podCidr',
    );
    expect(error.message).toBe(
      '10.250.0.0/16 overlaps the VNet address space 10.240.0.0/12 (network.vnetAddressSpace[0])',
    );
  });

  it('refuses a pod CIDR overlapping a node subnet when no VNet is given: POD_CIDR_OVERLAPS_NODE_SUBNET', () => {
    const error = expectOnlyProblem(
      overlayDesign({ network: { podCidr: '10.240.0.0/16' } }),
      'POD_CIDR_OVERLAPS_NODE_SUBNET',
      'network.podCidr',
    );
    expect(error.message).toBe('10.240.0.0/16 overlaps the node subnet 10.240.0.0/24 (network.nodeSubnet)');
  });

  it('refuses a pod CIDR in the VNet AKS creates (10.224.0.0/12) for a design that names no VNet', () => {
    const inAksVnet = (
      network: PlanInput['network'],
      plugin: 'azure-cni-overlay' | 'kubenet' = 'azure-cni-overlay',
    ) => ({
      name: 'aks-vnet',
      network: { plugin, ...network },
      nodePools: [{ name: 'system', nodeCount: 3 }],
    });
    for (const plugin of ['azure-cni-overlay', 'kubenet'] as const) {
      const error = expectOnlyProblem(
        inAksVnet({ podCidr: '10.230.0.0/16' }, plugin),
        'POD_CIDR_OVERLAPS_VNET',
        'network.podCidr',
      );
      expect(error.message).toBe(
        '10.230.0.0/16 overlaps 10.224.0.0/12, the address space of the VNet AKS creates for a cluster that names no VNet of its own',
      );
    }
    // Over the node subnet itself, the node subnet is named, as before.
    expectOnlyProblem(
      inAksVnet({ podCidr: '10.224.0.0/16' }),
      'POD_CIDR_OVERLAPS_NODE_SUBNET',
      'network.podCidr',
    );
    // Dual-stack: the IPv4 pod CIDR.
    expectOnlyProblem(
      inAksVnet({ ipFamilies: ['ipv4', 'ipv6'], podCidrs: ['10.239.0.0/16', 'fd00:10::/64'] }),
      'POD_CIDR_OVERLAPS_VNET',
      'network.podCidrs[0]',
    );
    // Beside it, and in a VNet of one's own with the same addresses, it is allowed.
    expect(() => planDesign(inAksVnet({ podCidr: '10.240.0.0/16' }))).not.toThrow();
    const own = {
      vnetAddressSpace: ['10.224.0.0/16'],
      nodeSubnet: '10.224.0.0/16',
      podCidr: '10.230.0.0/16',
    };
    expect(() => planDesign(inAksVnet(own))).not.toThrow();
  });

  it("warns of a service CIDR in the VNet AKS creates, as of one in a VNet of one's own", () => {
    const warned = (serviceCidr: string, network: object = {}) =>
      planDesign({
        name: 'svc',
        network: { plugin: 'azure-cni-overlay', serviceCidr, ...network },
        nodePools: [{ name: 'system', nodeCount: 3 }],
      }).warnings.some((w) => w.code === 'SERVICE_CIDR_OVERLAPS_VNET');
    expect(warned('10.225.0.0/16')).toBe(true);
    expect(warned('10.0.0.0/16')).toBe(false);
    expect(
      warned('10.225.0.0/16', { vnetAddressSpace: ['10.240.0.0/16'], nodeSubnet: '10.240.0.0/24' }),
    ).toBe(false);
  });

  it("checks a pool's own node subnet too", () => {
    expectOnlyProblem(
      overlayDesign({
        network: { podCidr: '10.244.0.0/16' },
        nodePools: [
          { name: 'system', nodeCount: 1 },
          { name: 'user', nodeCount: 1, nodeSubnet: '10.244.8.0/24' },
        ],
      }),
      'POD_CIDR_OVERLAPS_NODE_SUBNET',
      'network.podCidr',
    );
  });

  it('refuses a pod CIDR overlapping the service CIDR: POD_CIDR_OVERLAPS_SERVICE_CIDR', () => {
    const error = expectOnlyProblem(
      overlayDesign({ network: { nodeSubnet: '192.168.0.0/24', podCidr: '10.0.0.0/8' } }),
      'POD_CIDR_OVERLAPS_SERVICE_CIDR',
      'network.podCidr',
    );
    expect(error.message).toBe('10.0.0.0/8 overlaps the service CIDR 10.0.0.0/16');
  });

  it('refuses a 169.254.0.0/16 pod CIDR (link-local, forbidden by AKS): RANGE_FORBIDDEN', () => {
    expectOnlyProblem(
      overlayDesign({ network: { podCidr: '169.254.0.0/16' } }),
      'RANGE_FORBIDDEN',
      'network.podCidr',
    );
  });

  it('refuses a pod CIDR that holds the whole VNet, not only one inside it', () => {
    expectOnlyProblem(
      overlayDesign({ network: { vnetAddressSpace: ['10.240.0.0/16'], podCidr: '10.240.0.0/15' } }),
      'POD_CIDR_OVERLAPS_VNET',
      'network.podCidr',
    );
  });

  it('refuses a pod CIDR overlapping a forbidden range: RANGE_FORBIDDEN', () => {
    const error = expectOnlyProblem(
      overlayDesign({ network: { podCidr: '192.0.2.0/24' } }),
      'RANGE_FORBIDDEN',
      'network.podCidr',
    );
    expect(error.message).toBe(
      '192.0.2.0/24 overlaps 192.0.2.0/24, which AKS reserves and refuses in cluster ranges',
    );
  });

  it('refuses 172.16.0.0/12 twice: it holds both 172.30.0.0/16 and 172.31.0.0/16', () => {
    expect(problemKeys(overlayDesign({ network: { podCidr: '172.16.0.0/12' } }))).toEqual([
      { code: 'RANGE_FORBIDDEN', path: 'network.podCidr' },
      { code: 'RANGE_FORBIDDEN', path: 'network.podCidr' },
    ]);
  });

  it('refuses a pod CIDR smaller than one node block: a /25 is POD_CIDR_TOO_SMALL', () => {
    const error = expectOnlyProblem(
      overlayDesign({ network: { podCidr: '10.244.0.0/25' } }),
      'POD_CIDR_TOO_SMALL',
      'network.podCidr',
    );
    expect(error.message).toBe('10.244.0.0/25 is smaller than the /24 every node takes from it');
  });

  it.each([
    ['a single /24', '10.244.0.0/24'],
    ['RFC 6598 space', '100.64.0.0/10'],
    ['RFC 1918 192.168/16', '192.168.0.0/16'],
  ])('accepts %s (%s)', (_case, podCidr) => {
    expect(planOf(overlayDesign({ network: { podCidr } })).spec.network.podCidr).toBe(podCidr);
  });

  it('refuses an IPv6 single-stack pod CIDR: ADDRESS_FAMILY_NOT_SUPPORTED', () => {
    expectOnlyProblem(
      overlayDesign({ network: { podCidr: 'fd00::/64' } }),
      'ADDRESS_FAMILY_NOT_SUPPORTED',
      'network.podCidr',
    );
  });

  it.each([
    ['podSubnet', { podSubnet: '10.241.0.0/24' }],
    ['podIpAllocation', { podIpAllocation: 'static-block' as const }],
  ])('refuses network.%s: FIELD_NOT_FOR_PLUGIN', (field, network) => {
    expectOnlyProblem(overlayDesign({ network }), 'FIELD_NOT_FOR_PLUGIN', `network.${field}`);
  });
});

describe('Cilium dataplane', () => {
  const CILIUM_LIMITATIONS = {
    code: 'CILIUM_LIMITATIONS',
    message:
      'the Cilium dataplane runs on Linux nodes only, cannot be turned off once enabled, and replaces kube-proxy and Azure Network Policy Manager; the address layout is that of the plugin under it',
  };

  it('is allowed with overlay: same layout, CILIUM_LIMITATIONS before the overlay warnings', () => {
    const planned = planOf(overlayDesign({ network: { dataplane: 'cilium' } }));

    expect(planned.warnings).toEqual([CILIUM_LIMITATIONS, ...OVERLAY_WARNINGS]);
    expect(slotsOf(planned)).toEqual(slotsOf(planOf(overlayDesign())));
  });

  it('is allowed with the pod subnet plugin, static blocks included', () => {
    const planned = planOf(
      staticBlockDesign({
        network: { dataplane: 'cilium' },
        nodePools: [{ name: 'system', nodeCount: 3, maxPods: 31 }],
      }),
    );

    expect(warningCodes(planned)).toEqual(['CILIUM_LIMITATIONS']);
    expect(warningCodes(planOf(podSubnetDesign({ network: { dataplane: 'cilium' } })))).toEqual([
      'CILIUM_LIMITATIONS',
    ]);
  });

  it('is allowed with the node subnet plugin', () => {
    const planned = planOf({
      name: 'cilium-node-subnet',
      network: { plugin: 'azure-cni-node-subnet', dataplane: 'cilium', nodeSubnet: '10.240.0.0/24' },
      nodePools: [{ name: 'system', nodeCount: 3 }],
    });

    expect(warningCodes(planned)).toEqual(['CILIUM_LIMITATIONS']);
  });

  it('names the Windows pools it cannot run on: CILIUM_WINDOWS_POOLS', () => {
    const planned = planOf(
      overlayDesign({
        network: { dataplane: 'cilium' },
        nodePools: [
          { name: 'system', nodeCount: 3 },
          { name: 'win', osType: 'Windows', nodeCount: 1 },
          { name: 'win2', osType: 'Windows', nodeCount: 1 },
        ],
      }),
    );

    expect(planned.warnings).toEqual([
      CILIUM_LIMITATIONS,
      {
        code: 'CILIUM_WINDOWS_POOLS',
        message: 'the Cilium dataplane does not support Windows node pools: win, win2',
      },
      // Overlay's default maxPods, 250, is more than Microsoft recommends for Windows nodes.
      {
        code: 'WINDOWS_MAX_PODS',
        message:
          'Microsoft recommends at most 110 pods per node for Windows Server containers, and maxPods cannot change on an existing pool: win (maxPods 250), win2 (maxPods 250)',
      },
      // No outbound section is AKS's default, the load balancer.
      {
        code: 'WINDOWS_SNAT_PORTS',
        message: 'Windows nodes behind the load balancer use 64 SNAT ports on their host IP',
      },
      OVERLAY_WARNINGS[0],
      // azure-cni-overlay-pod-expand: "Windows nodes ... aren't supported".
      {
        code: 'OVERLAY_POD_CIDR_FIXED',
        message:
          'the pod CIDR cannot be changed while the cluster has Windows pools (win, win2): AKS does not expand it for Windows nodes',
      },
    ]);
  });

  it('gives no Cilium warning with the azure dataplane', () => {
    expect(warningCodes(planOf(overlayDesign({ network: { dataplane: 'azure' } })))).toEqual([
      'OVERLAY_NODE_BLOCK_FIXED',
      'OVERLAY_POD_CIDR_EXPAND_ONLY',
    ]);
  });
});

describe('a node that cannot be created', () => {
  it('takes no pod CIDR block: the next node created gets the next', () => {
    // Pool a's own /29 holds 3 node IPs: its surge node a3 is never created. Creation order:
    // a0-a2 and b0 take /24s 0-3; then a3 (no node), then b1 takes /24 4.
    const planned = planOf(
      overlayDesign({
        network: { nodeSubnet: '10.240.0.0/24', vnetAddressSpace: ['10.240.0.0/16'] },
        nodePools: [
          { name: 'a', nodeCount: 3, maxSurge: 1, nodeSubnet: '10.240.1.0/29' },
          { name: 'b', nodeCount: 1, maxSurge: 1 },
        ],
      }),
    );
    const slots = slotsOf(planned);
    expect(slots.find((s) => s.pool === 'a' && s.index === 3)).toMatchObject({
      fits: false,
      nodeIp: null,
      podCidr: null,
    });
    expect(slots.find((s) => s.pool === 'b' && s.index === 1)).toMatchObject({
      fits: true,
      podCidr: '10.244.4.0/24',
    });
    expect(lookupText(planned, '10.244.4.9')).toMatchObject([{ role: 'pod', pool: 'b', nodeIndex: 1 }]);
    expect(lookupText(planned, '10.244.5.9')).toMatchObject([{ role: 'unassigned' }]);
  });
});
