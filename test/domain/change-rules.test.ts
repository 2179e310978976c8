import { describe, expect, it } from 'vitest';
import type { NetworkInput, PlanInput } from '../../src/domain/design/spec.js';
import { apiServerSubnetRefused, refusedChanges } from '../../src/domain/plan/change-rules.js';
import { planDesign } from '../../src/domain/plan/planner.js';
import { diffSpecs } from '../../src/domain/plan/spec-diff.js';

const pools = [
  { name: 'system', nodeCount: 3, maxPods: 30 },
  { name: 'user', nodeCount: 2, maxPods: 30 },
];

function spec(network: NetworkInput, nodePools: PlanInput['nodePools'] = pools) {
  return planDesign({ name: 'c', network: { nodeSubnet: '10.240.0.0/24', ...network }, nodePools }).spec;
}

const overlay: NetworkInput = { plugin: 'azure-cni-overlay', podCidr: '10.244.0.0/18' };

describe('changes AKS refuses on a running cluster', () => {
  it.each([
    // plugin or mode
    [
      'PLUGIN_CHANGE_REFUSED',
      'network.plugin',
      overlay,
      { plugin: 'kubenet' as const, podCidr: '10.244.0.0/18' },
    ],
    [
      'POD_IP_ALLOCATION_CHANGE_REFUSED',
      'network.podIpAllocation',
      { plugin: 'azure-cni-pod-subnet' as const, podSubnet: '10.241.0.0/16' },
      {
        plugin: 'azure-cni-pod-subnet' as const,
        podSubnet: '10.241.0.0/16',
        podIpAllocation: 'static-block' as const,
      },
    ],
    // Cilium cannot be turned off
    ['DATAPLANE_CHANGE_REFUSED', 'network.dataplane', { ...overlay, dataplane: 'cilium' as const }, overlay],
    // overlay is one way, and a pod-subnet cluster (dynamic or static) cannot take it
    ['PLUGIN_CHANGE_REFUSED', 'network.plugin', overlay, { plugin: 'azure-cni-node-subnet' as const }],
    [
      'PLUGIN_CHANGE_REFUSED',
      'network.plugin',
      { plugin: 'azure-cni-pod-subnet' as const, podSubnet: '10.241.0.0/16' },
      overlay,
    ],
    [
      'PLUGIN_CHANGE_REFUSED',
      'network.plugin',
      { plugin: 'kubenet' as const, podCidr: '10.244.0.0/18' },
      { plugin: 'azure-cni-node-subnet' as const },
    ],
    // the service CIDR and DNS service IP are fixed
    [
      'SERVICE_CIDR_CHANGE_REFUSED',
      'network.serviceCidr',
      overlay,
      { ...overlay, serviceCidr: '10.1.0.0/16' },
    ],
    [
      'DNS_SERVICE_IP_CHANGE_REFUSED',
      'network.dnsServiceIp',
      overlay,
      { ...overlay, dnsServiceIp: '10.0.0.20' },
    ],
    // an overlay pod CIDR moved, shrunk, or a kubenet pod CIDR changed at all
    ['POD_CIDR_CHANGE_REFUSED', 'network.podCidr', overlay, { ...overlay, podCidr: '10.245.0.0/16' }],
    ['POD_CIDR_CHANGE_REFUSED', 'network.podCidr', overlay, { ...overlay, podCidr: '10.244.0.0/20' }],
    [
      'POD_CIDR_CHANGE_REFUSED',
      'network.podCidr',
      { plugin: 'kubenet' as const, podCidr: '10.244.0.0/18' },
      { plugin: 'kubenet' as const, podCidr: '10.244.0.0/16' },
    ],
    // a node subnet in use moved, shrunk or grown: its CIDR cannot change at all
    [
      'NODE_SUBNET_CHANGE_REFUSED',
      'nodePools[0].nodeSubnet',
      overlay,
      { ...overlay, nodeSubnet: '10.240.0.0/23' },
    ],
    [
      'NODE_SUBNET_CHANGE_REFUSED',
      'nodePools[0].nodeSubnet',
      overlay,
      { ...overlay, nodeSubnet: '10.250.0.0/24' },
    ],
    [
      'NODE_SUBNET_CHANGE_REFUSED',
      'nodePools[0].nodeSubnet',
      overlay,
      { ...overlay, nodeSubnet: '10.240.0.0/25' },
    ],
  ])('%s at %s', (code, path, before, after) => {
    const refused = refusedChanges(spec(before), spec(after));
    expect(refused.map((p) => [p.code, p.path])).toContainEqual([code, path]);
  });

  it('refuses maxPods and OS changes of an existing pool, naming the pool', () => {
    const changed = [{ ...pools[0], maxPods: 40 }, pools[1]] as PlanInput['nodePools'];
    const refused = refusedChanges(spec(overlay), spec(overlay, changed));
    expect(refused).toEqual([
      {
        code: 'MAX_PODS_CHANGE_REFUSED',
        path: 'nodePools[0].maxPods',
        message: 'maxPods of the existing pool "system" cannot change from 30 to 40',
      },
    ]);
  });

  it('refuses adding IPv6 for the families alone, not for the IPv6 service CIDR that comes with them', () => {
    const dual = { ...overlay, ipFamilies: ['ipv4', 'ipv6'] as ('ipv4' | 'ipv6')[] };
    expect(refusedChanges(spec(overlay), spec(dual)).map((r) => r.code)).toEqual([
      'IP_FAMILIES_CHANGE_REFUSED',
    ]);
    const moved = { ...dual, serviceCidr: '10.1.0.0/16', dnsServiceIp: '10.1.0.10' };
    expect(refusedChanges(spec(overlay), spec(moved)).map((r) => r.code)).toEqual([
      'IP_FAMILIES_CHANGE_REFUSED',
      'SERVICE_CIDR_CHANGE_REFUSED',
      'DNS_SERVICE_IP_CHANGE_REFUSED',
    ]);
  });

  it('says a kubenet pod CIDR cannot change, even to a superset', () => {
    const kubenet = (podCidr: string) => spec({ plugin: 'kubenet' as const, podCidr }, pools);
    expect(refusedChanges(kubenet('10.244.0.0/16'), kubenet('10.244.0.0/15'))).toEqual([
      {
        code: 'POD_CIDR_CHANGE_REFUSED',
        path: 'network.podCidr',
        message: 'the pod CIDR 10.244.0.0/16 cannot change (kubenet), so not to 10.244.0.0/15',
      },
    ]);
  });

  it('refuses growing the pod CIDR with Windows pools, or in a dual-stack cluster (azure-cni-overlay-pod-expand)', () => {
    const withWindows = [
      ...pools,
      { name: 'win', osType: 'Windows', nodeCount: 1 },
    ] as PlanInput['nodePools'];
    const grown = { ...overlay, podCidr: '10.244.0.0/16' };
    expect(refusedChanges(spec(overlay, withWindows), spec(grown, withWindows))).toEqual([
      {
        code: 'POD_CIDR_CHANGE_REFUSED',
        path: 'network.podCidr',
        message:
          'the pod CIDR 10.244.0.0/18 cannot be expanded in a cluster with Windows pools (win), so not to 10.244.0.0/16',
      },
    ]);
    const dual = {
      plugin: 'azure-cni-overlay' as const,
      ipFamilies: ['ipv4', 'ipv6'] as ('ipv4' | 'ipv6')[],
    };
    const before = { ...dual, podCidrs: ['10.244.0.0/18', 'fd00:1:2:4::/64'] };
    for (const podCidrs of [
      ['10.244.0.0/16', 'fd00:1:2:4::/64'],
      ['10.244.0.0/18', 'fd00:1:2::/56'],
    ]) {
      const refused = refusedChanges(spec(before), spec({ ...dual, podCidrs }));
      expect(refused.map((p) => [p.code, p.message.includes('dual-stack')])).toEqual([
        ['POD_CIDR_CHANGE_REFUSED', true],
      ]);
    }
  });

  it('refuses turning Cilium on beside Windows pools, and switching private mode without API Server VNet Integration', () => {
    const withWindows = [
      ...pools,
      { name: 'win', osType: 'Windows', nodeCount: 1 },
    ] as PlanInput['nodePools'];
    const cilium = refusedChanges(
      spec(overlay, withWindows),
      spec({ ...overlay, dataplane: 'cilium' }, withWindows),
    );
    expect(cilium.map((p) => [p.code, p.path])).toEqual([['DATAPLANE_CHANGE_REFUSED', 'network.dataplane']]);
    // Any Azure CNI mode may turn it on, node subnet included (upgrade-aks-ipam-and-dataplane,
    // current: "the Cilium data plane is supported on any Azure CNI IPAM mode"), with a move to
    // overlay in the same replacement or without.
    const nodeSubnet = { plugin: 'azure-cni-node-subnet' as const };
    const podSubnet = { plugin: 'azure-cni-pod-subnet' as const, podSubnet: '10.241.0.0/16' };
    for (const [from, to] of [
      [nodeSubnet, { ...nodeSubnet, dataplane: 'cilium' as const }],
      [nodeSubnet, { ...overlay, dataplane: 'cilium' as const }],
      [podSubnet, { ...podSubnet, dataplane: 'cilium' as const }],
    ] as const)
      expect(refusedChanges(spec(from), spec(to))).toEqual([]);
    // A replacement that removes the Windows pools is judged on what it leaves.
    expect(refusedChanges(spec(overlay, withWindows), spec({ ...overlay, dataplane: 'cilium' }))).toEqual([]);
    expect(
      refusedChanges(spec(overlay, withWindows), spec({ ...overlay, podCidr: '10.244.0.0/16' })),
    ).toEqual([]);
    const privateMode = refusedChanges(spec(overlay), spec({ ...overlay, privateCluster: true }));
    expect(privateMode.map((p) => [p.code, p.path])).toEqual([
      ['PRIVATE_CLUSTER_CHANGE_REFUSED', 'network.privateCluster'],
    ]);
    const integrated = (network: NetworkInput) =>
      planDesign({
        name: 'c',
        network: { nodeSubnet: '10.240.0.0/24', vnetAddressSpace: ['10.240.0.0/16'], ...network },
        nodePools: pools,
        platformSubnets: [{ role: 'api-server', cidr: '10.240.1.0/28' }],
      }).spec;
    expect(refusedChanges(integrated(overlay), integrated({ ...overlay, privateCluster: true }))).toEqual([]);
    // The API server subnet added in the same replacement: the running cluster has no integration yet.
    const without = planDesign({
      name: 'c',
      network: { nodeSubnet: '10.240.0.0/24', vnetAddressSpace: ['10.240.0.0/16'], ...overlay },
      nodePools: pools,
    }).spec;
    expect(
      refusedChanges(without, integrated({ ...overlay, privateCluster: true })).map((p) => p.code),
    ).toEqual(['PRIVATE_CLUSTER_CHANGE_REFUSED']);
  });

  it('keeps API Server VNet Integration on once enabled, in the subnet it was enabled in', () => {
    // api-server-vnet-integration.md: "Once enabled, the feature is permanent."
    const integrated = (platformSubnets: PlanInput['platformSubnets']) =>
      planDesign({
        name: 'c',
        network: { nodeSubnet: '10.240.0.0/24', vnetAddressSpace: ['10.240.0.0/16'], ...overlay },
        nodePools: pools,
        ...(platformSubnets === undefined ? {} : { platformSubnets }),
      }).model.plan.platformSubnets;
    const refused = (before: PlanInput['platformSubnets'], after: PlanInput['platformSubnets']) =>
      apiServerSubnetRefused(integrated(before), integrated(after)).map((p) => [p.code, p.path, p.message]);
    const given = [{ role: 'api-server' as const, cidr: '10.240.1.0/28' }];
    expect(refused(given, undefined)).toEqual([
      [
        'API_SERVER_SUBNET_CHANGE_REFUSED',
        'platformSubnets',
        'API Server VNet Integration cannot be turned off once enabled: keep its subnet api-server (10.240.1.0/28)',
      ],
    ]);
    const bastion = { role: 'bastion' as const, cidr: '10.240.2.0/26' };
    expect(refused(given, [bastion, { role: 'api-server', cidr: '10.240.1.16/28' }])).toEqual([
      [
        'API_SERVER_SUBNET_CHANGE_REFUSED',
        'platformSubnets[1]',
        "the API server's subnet cannot move from 10.240.1.0/28 to 10.240.1.16/28 once API Server VNet Integration is on: give it as cidr 10.240.1.0/28",
      ],
    ]);
    // Turning it on, keeping it, and other subnets coming and going are allowed.
    expect(refused(undefined, given)).toEqual([]);
    expect(refused(given, [bastion, ...given])).toEqual([]);
    expect(refused([bastion, ...given], given)).toEqual([]);
    // Two of them listed in another order, or one renamed where it was: nothing moved.
    const a = { role: 'api-server' as const, name: 'api-a', cidr: '10.240.1.0/28' };
    const b = { role: 'api-server' as const, name: 'api-b', cidr: '10.240.1.16/28' };
    expect(refused([a, b], [b, a])).toEqual([]);
    expect(refused([a], [{ ...a, name: 'api-x' }])).toEqual([]);
    expect(
      refused([a, b], [a, { ...b, cidr: '10.240.1.32/28' }]).map(([code, path]) => [code, path]),
    ).toEqual([['API_SERVER_SUBNET_CHANGE_REFUSED', 'platformSubnets[1]']]);
    // Without a VNet to place it in it has no CIDR, and the integration is on all the same.
    const unplaced = (platformSubnets?: PlanInput['platformSubnets']) =>
      planDesign({
        name: 'c',
        network: { nodeSubnet: '10.240.0.0/24', ...overlay },
        nodePools: pools,
        ...(platformSubnets === undefined ? {} : { platformSubnets }),
      }).model.plan.platformSubnets;
    expect(
      apiServerSubnetRefused(unplaced([{ role: 'api-server' }]), unplaced([{ role: 'bastion' }])).map(
        (p) => p.message,
      ),
    ).toEqual(['API Server VNet Integration cannot be turned off once enabled: keep its subnet api-server']);
    // One given by its size is judged where it is laid out: a larger subnet added first takes its place.
    const sized = [{ role: 'api-server' as const, prefixLength: 28 }];
    expect(integrated(sized)[0]?.cidr?.toString()).toBe('10.240.1.0/28');
    expect(refused(sized, sized)).toEqual([]);
    expect(
      refused(sized, [{ role: 'bastion', prefixLength: 26 }, ...sized]).map(([code, path]) => [code, path]),
    ).toEqual([['API_SERVER_SUBNET_CHANGE_REFUSED', 'platformSubnets[1]']]);
  });

  it('reports every refused change at once', () => {
    const after = {
      plugin: 'kubenet' as const,
      podCidr: '10.245.0.0/16',
      serviceCidr: '10.1.0.0/16',
      dnsServiceIp: '10.1.0.10',
    };
    const codes = refusedChanges(spec(overlay), spec(after)).map((p) => p.code);
    expect(codes).toEqual([
      'PLUGIN_CHANGE_REFUSED',
      'SERVICE_CIDR_CHANGE_REFUSED',
      'DNS_SERVICE_IP_CHANGE_REFUSED',
    ]);
  });
});

describe('changes AKS allows', () => {
  it.each([
    ['scaling counts', overlay, overlay, [{ ...pools[0], nodeCount: 5, maxCount: 9 }, pools[1]]],
    ['adding a pool', overlay, overlay, [...pools, { name: 'batch', nodeCount: 1, maxPods: 110 }]],
    ['removing a user pool', overlay, overlay, [pools[0]]],
    [
      'expanding the overlay pod CIDR to a superset',
      overlay,
      { ...overlay, podCidr: '10.244.0.0/16' },
      pools,
    ],
    ['turning Cilium on', overlay, { ...overlay, dataplane: 'cilium' as const }, pools],
    // The one IPAM migration AKS makes, forward only (upgrade-aks-ipam-and-dataplane).
    [
      'updating a node-subnet cluster to overlay',
      { plugin: 'azure-cni-node-subnet' as const },
      overlay,
      pools,
    ],
    [
      'updating a kubenet cluster to overlay',
      { plugin: 'kubenet' as const, podCidr: '10.244.0.0/18' },
      overlay,
      pools,
    ],
    [
      'updating a kubenet cluster to overlay on another pod CIDR',
      { plugin: 'kubenet' as const, podCidr: '10.244.0.0/18' },
      { ...overlay, podCidr: '192.168.0.0/16' },
      pools,
    ],
  ])('%s', (_story, before, after, nextPools) => {
    expect(refusedChanges(spec(before), spec(after, nextPools as PlanInput['nodePools']))).toEqual([]);
  });
});

describe('diffSpecs', () => {
  it('lists changed leaves, matching pools by name so a reorder is no change', () => {
    const before = spec(overlay);
    // Modes are explicit: by default the first pool is System, so a reorder would change them.
    const after = spec({ ...overlay, podCidr: '10.244.0.0/16' }, [
      { ...pools[1], mode: 'User' } as PlanInput['nodePools'][number],
      { ...pools[0], mode: 'System', nodeCount: 4 } as PlanInput['nodePools'][number],
      { name: 'batch', nodeCount: 1, maxPods: 110 },
    ]);
    const changes = diffSpecs(before, after);
    expect(changes).toContainEqual({ path: 'network.podCidr', from: '10.244.0.0/18', to: '10.244.0.0/16' });
    expect(changes).toContainEqual({ path: 'nodePools[1].nodeCount', from: 3, to: 4 });
    expect(changes.filter((c) => c.path.startsWith('nodePools[0]'))).toEqual([]);
    expect(changes).toContainEqual({
      path: 'nodePools[2]',
      from: null,
      to: expect.objectContaining({ name: 'batch', nodeCount: 1 }),
    });
  });

  it('names a removed pool', () => {
    const changes = diffSpecs(spec(overlay), spec(overlay, [pools[0]] as PlanInput['nodePools']));
    expect(changes).toEqual([
      { path: 'nodePools[name=user]', from: expect.objectContaining({ name: 'user' }), to: null },
    ]);
  });

  it('finds nothing between equal specs', () => {
    expect(diffSpecs(spec(overlay), spec(overlay))).toEqual([]);
  });
});
