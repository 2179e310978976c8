import { describe, expect, it } from 'vitest';
import { Cidr } from '../../../src/domain/ip/index.js';
import { findConflicts, type HeldRange } from '../../../src/domain/space/conflicts.js';

const plan = (name: string, kind: HeldRange['kind'], cidr: string, exclusive = false): HeldRange => ({
  holder: { type: 'plan', id: name, name },
  kind,
  cidr: Cidr.parse(cidr),
  exclusive,
});

/** A pod subnet of a plan with the azure-cni-pod-subnet plugin, in the given allocation mode. */
const podSubnet = (name: string, cidr: string, podIpAllocation?: 'dynamic' | 'static-block'): HeldRange => ({
  ...plan(name, 'pod-subnet', cidr),
  ...(podIpAllocation === undefined ? {} : { podIpAllocation }),
});

const allocation = (name: string, cidr: string, planId: string | null = null): HeldRange => ({
  holder: { type: 'allocation', id: name, name },
  kind: 'allocation',
  cidr: Cidr.parse(cidr),
  planId,
});

const codes = (ranges: HeldRange[]) => findConflicts(ranges).map((c) => c.code);

/** Each item as its code and its sides, each side as its holders' names. */
const grouped = (ranges: HeldRange[]) =>
  findConflicts(ranges).map((c) => [c.code, ...c.sides.map((s) => s.holders().map((h) => h.holder.name))]);

/** A plan's platform subnet, named, with the addresses the plan takes in it. */
const platform = (name: string, cidr: string, subnetDemand?: number): HeldRange => ({
  ...plan(name, 'platform-subnet', cidr),
  subnetName: 'shared',
  ...(subnetDemand === undefined ? {} : { subnetDemand }),
});

describe('plans sharing a platform subnet', () => {
  it('fit in it together: SHARED_PLATFORM_SUBNET_FULL past its usable addresses, counted', () => {
    // API servers sharing one VNet integration subnet: a /28 has 11 usable, AKS takes 9 each.
    const [full] = findConflicts([platform('a', '10.42.9.0/28', 9), platform('b', '10.42.9.0/28', 9)]);
    expect(full).toMatchObject({
      code: 'SHARED_PLATFORM_SUBNET_FULL',
      severity: 'error',
      message:
        'platform-subnet 10.42.9.0/28 is shared by 2 plans taking 18 addresses of its 11 usable: clusters may share a platform subnet, but only as many as its addresses hold',
    });
    expect(full?.sides.map((side) => side.holders().map((h) => h.holder.name))).toEqual([['a', 'b']]);
    // A /27 holds three (27 usable), not four; plans taking nothing there count nothing.
    const three = ['a', 'b', 'c'].map((name) => platform(name, '10.42.9.0/27', 9));
    expect(codes([...three, platform('d', '10.42.9.0/27')])).toEqual([]);
    const four = findConflicts([...three, platform('d', '10.42.9.0/27'), platform('e', '10.42.9.0/27', 1)]);
    // Only the plans taking addresses there are in conflict: d shares it for nothing.
    expect(
      four.map((c) => [c.code, c.sides.map((side) => side.holders().map((h) => h.holder.name))]),
    ).toEqual([['SHARED_PLATFORM_SUBNET_FULL', [['a', 'b', 'c', 'e']]]]);
    expect(four[0]?.message).toContain('is shared by 4 plans taking 28 addresses of its 27 usable');
    // Exactly full fits; one plan over it alone is its own warning's business, not a conflict.
    expect(codes([platform('a', '10.42.9.0/28', 6), platform('b', '10.42.9.0/28', 5)])).toEqual([]);
    expect(codes([platform('a', '10.42.9.0/28', 12), platform('b', '10.42.9.0/28')])).toEqual([]);
    expect(codes([platform('a', '10.42.9.0/28', 12)])).toEqual([]);
    // Besides names that differ (in more than case: Azure's names are the same in any case).
    const shouted = { ...platform('b', '10.42.9.0/28', 2), subnetName: 'SHARED' };
    expect(codes([platform('a', '10.42.9.0/28', 9), shouted])).toEqual([]);
    const renamed = { ...platform('c', '10.42.9.0/28', 9), subnetName: 'other' };
    expect(codes([platform('a', '10.42.9.0/28', 9), renamed])).toEqual([
      'PLATFORM_SUBNET_NAMES_DIFFER',
      'SHARED_PLATFORM_SUBNET_FULL',
    ]);
  });
});

describe('findConflicts', () => {
  it.each([
    // the same plan's own ranges never conflict with each other
    [[plan('a', 'node-subnet', '10.0.0.0/16'), plan('a', 'pod-subnet', '10.0.1.0/24')], []],
    // different subnets that nest
    [[plan('a', 'node-subnet', '10.0.0.0/16'), plan('b', 'pod-subnet', '10.0.1.0/24')], ['SUBNETS_OVERLAP']],
    // one subnet shared: kubenet refuses, Azure CNI only collides
    [
      [plan('a', 'node-subnet', '10.0.0.0/24', true), plan('b', 'node-subnet', '10.0.0.0/24')],
      ['KUBENET_SUBNET_SHARED'],
    ],
    [
      [plan('a', 'node-subnet', '10.0.0.0/24'), plan('b', 'node-subnet', '10.0.0.0/24')],
      ['SHARED_SUBNET_LAYOUTS_COLLIDE'],
    ],
    // private ranges reused across clusters are fine
    [[plan('a', 'pod-cidr', '10.244.0.0/16'), plan('b', 'pod-cidr', '10.244.0.0/16')], []],
    [[plan('a', 'service-cidr', '10.0.0.0/16'), plan('b', 'service-cidr', '10.0.0.0/16')], []],
    [[plan('a', 'service-cidr', '10.0.0.0/16'), plan('b', 'pod-cidr', '10.0.0.0/16')], []],
    // a private range over a peer's subnet
    [
      [plan('a', 'pod-cidr', '10.244.0.0/16'), plan('b', 'node-subnet', '10.244.3.0/24')],
      ['POD_CIDR_OVERLAPS_SUBNET'],
    ],
    [
      [plan('a', 'service-cidr', '10.0.0.0/16'), plan('b', 'node-subnet', '10.0.3.0/24')],
      ['SERVICE_CIDR_OVERLAPS_SUBNET'],
    ],
    // allocations: their own plan is fine, someone else's is a warning, two allocations an error
    [[allocation('x', '10.1.0.0/24', 'a'), plan('a', 'node-subnet', '10.1.0.0/24')], []],
    [[allocation('x', '10.1.0.0/24'), plan('a', 'node-subnet', '10.1.0.0/25')], ['ALLOCATION_OVERLAPS_PLAN']],
    [[allocation('x', '10.1.0.0/24'), allocation('y', '10.1.0.0/23')], ['ALLOCATIONS_OVERLAP']],
    // a pod CIDR over a peer's VNet; subnets and allocations inside a VNet are where they belong
    [
      [plan('a', 'pod-cidr', '10.244.0.0/16'), plan('b', 'vnet', '10.244.0.0/14')],
      ['POD_CIDR_OVERLAPS_VNET'],
    ],
    [[plan('a', 'node-subnet', '10.244.0.0/24'), plan('b', 'vnet', '10.244.0.0/14')], []],
    [[allocation('x', '10.244.0.0/24'), plan('b', 'vnet', '10.244.0.0/14')], []],
    // families never overlap
    [[plan('a', 'pod-cidr', 'fd00::/64'), plan('b', 'node-subnet', '10.0.0.0/8')], []],
    // clusters of one VNet share its platform subnets; anything else over one is a conflict
    [[plan('a', 'platform-subnet', '10.42.2.0/26'), plan('b', 'platform-subnet', '10.42.2.0/26')], []],
    [
      [plan('a', 'platform-subnet', '10.42.2.0/26'), plan('b', 'platform-subnet', '10.42.2.0/27')],
      ['SUBNETS_OVERLAP'],
    ],
    [
      [plan('a', 'platform-subnet', '10.42.2.0/26'), plan('b', 'node-subnet', '10.42.2.0/26')],
      ['SUBNETS_OVERLAP'],
    ],
    [
      [plan('a', 'pod-cidr', '10.42.0.0/16'), plan('b', 'platform-subnet', '10.42.2.0/26')],
      ['POD_CIDR_OVERLAPS_SUBNET'],
    ],
    [
      [plan('a', 'service-cidr', '10.42.0.0/16'), plan('b', 'platform-subnet', '10.42.2.0/26')],
      ['SERVICE_CIDR_OVERLAPS_SUBNET'],
    ],
    // a shared platform subnet has one name
    [
      [
        { ...plan('a', 'platform-subnet', '10.42.2.0/26'), subnetName: 'AzureFirewallSubnet' },
        { ...plan('b', 'platform-subnet', '10.42.2.0/26'), subnetName: 'AzureFirewallSubnet' },
      ],
      [],
    ],
    [
      [
        { ...plan('a', 'platform-subnet', '10.42.2.0/26'), subnetName: 'AzureFirewallSubnet' },
        { ...plan('b', 'platform-subnet', '10.42.2.0/26'), subnetName: 'shared' },
      ],
      ['PLATFORM_SUBNET_NAMES_DIFFER'],
    ],
    // recorded addresses (public IPs, a hub firewall) are facts, never a conflict
    [[plan('a', 'known-ip', '10.42.2.4/32'), plan('b', 'platform-subnet', '10.42.2.0/26')], []],
    [[plan('a', 'known-ip', '20.1.1.1/32'), allocation('x', '20.1.1.0/24')], []],
  ])('%#', (ranges, expected) => {
    expect(codes(ranges)).toEqual(expected);
  });

  it('finds every overlapping pair in a sweep, including ranges nested several deep', () => {
    const ranges = [
      plan('a', 'node-subnet', '10.0.0.0/8'),
      plan('b', 'node-subnet', '10.1.0.0/16'),
      plan('c', 'node-subnet', '10.1.2.0/24'),
      plan('d', 'node-subnet', '10.2.0.0/16'),
      plan('e', 'node-subnet', '11.0.0.0/24'),
    ];
    const pairs = findConflicts(ranges).map((c) => c.sides.map((s) => s.holders()[0]?.holder.name).join('-'));
    expect(pairs.sort()).toEqual(['a-b', 'a-c', 'a-d', 'b-c']);
  });
});

describe('findConflicts groups the holders of one range', () => {
  it('reports a subnet many Azure CNI plans share as one item with one side', () => {
    const [only, ...rest] = findConflicts(['c', 'a', 'b'].map((n) => plan(n, 'node-subnet', '10.1.0.0/24')));
    expect(rest).toEqual([]);
    expect(only?.message).toBe(
      'node-subnet 10.1.0.0/24 is shared by 3 plans: Azure CNI clusters may share a subnet, but their planned layouts hand out the same addresses',
    );
    expect(only?.sides.map((s) => [s.kind, s.cidr.toString(), s.holderCount])).toEqual([
      ['node-subnet', '10.1.0.0/24', 3],
    ]);
    expect(only?.sides[0].holders().map((h) => h.holder.name)).toEqual(['a', 'b', 'c']);
  });

  it('sets a kubenet plan against those it shares its subnet with, and the Azure CNI ones apart', () => {
    const ranges = [
      plan('k', 'node-subnet', '10.1.0.0/24', true),
      plan('a', 'node-subnet', '10.1.0.0/24'),
      plan('b', 'node-subnet', '10.1.0.0/24'),
    ];
    expect(grouped(ranges)).toEqual([
      ['KUBENET_SUBNET_SHARED', ['k'], ['a', 'b']],
      ['SHARED_SUBNET_LAYOUTS_COLLIDE', ['a', 'b']],
    ]);
    expect(findConflicts(ranges)[0]?.message).toBe(
      'node-subnet 10.1.0.0/24 of plan "k" overlaps node-subnet 10.1.0.0/24 of 2 plans: kubenet allows one cluster per subnet',
    );
    expect(
      grouped([plan('k', 'node-subnet', '10.1.0.0/24', true), plan('j', 'node-subnet', '10.1.0.0/24', true)]),
    ).toEqual([['KUBENET_SUBNET_SHARED', ['j', 'k']]]);
  });

  it('reports an overlap of two ranges once, however many plans hold each', () => {
    const ranges = [
      ...['p', 'q'].map((n) => plan(n, 'vnet', '10.240.0.0/12')),
      ...['r', 's', 't'].map((n) => plan(n, 'pod-cidr', '10.244.0.0/16')),
    ];
    const [only, ...rest] = findConflicts(ranges);
    expect(rest).toEqual([]);
    expect(only?.message).toBe(
      "vnet 10.240.0.0/12 of 2 plans overlaps pod-cidr 10.244.0.0/16 of 3 plans: a pod CIDR must not overlap a peer's VNet",
    );
    expect(grouped(ranges)).toEqual([['POD_CIDR_OVERLAPS_VNET', ['p', 'q'], ['r', 's', 't']]]);
  });

  it('leaves a plan out of a side when the other side is that plan alone', () => {
    const ranges = [
      plan('a', 'node-subnet', '10.0.0.0/16'),
      plan('b', 'node-subnet', '10.0.0.0/16'),
      plan('a', 'pod-subnet', '10.0.1.0/24'),
    ];
    expect(grouped(ranges)).toEqual([
      ['SHARED_SUBNET_LAYOUTS_COLLIDE', ['a', 'b']],
      ['SUBNETS_OVERLAP', ['b'], ['a']],
    ]);
  });

  it('leaves the plan an allocation was made for out of its side, and drops the item when none is left', () => {
    // Plan a took its subnet from a space; b shares it, as Azure CNI clusters may: the plan
    // rule judges a and b, and a's block is only where a's subnet came from.
    const shared = [plan('a', 'node-subnet', '10.1.0.0/24'), plan('b', 'node-subnet', '10.1.0.0/24')];
    expect(grouped([allocation('x', '10.1.0.0/24', 'a'), ...shared])).toEqual([
      ['SHARED_SUBNET_LAYOUTS_COLLIDE', ['a', 'b']],
    ]);
    const reused = [plan('a', 'pod-cidr', '100.64.0.0/21'), plan('b', 'pod-cidr', '100.64.0.0/21')];
    expect(grouped([allocation('x', '100.64.0.0/21', 'a'), ...reused])).toEqual([]);
    // The part of a's block that a does not use is still the block's.
    const beside = [plan('a', 'node-subnet', '10.1.0.0/24'), plan('b', 'node-subnet', '10.1.1.0/24')];
    expect(grouped([allocation('x', '10.1.0.0/23', 'a'), ...beside])).toEqual([
      ['ALLOCATION_OVERLAPS_PLAN', ['x'], ['b']],
    ]);
    expect(grouped([allocation('x', '10.1.0.0/23', 'a'), plan('a', 'node-subnet', '10.1.0.0/24')])).toEqual(
      [],
    );
  });

  it('reports nothing for dynamic plans sharing a pod subnet: pod IPs go out at run time', () => {
    // configure-azure-cni-dynamic-ip-allocation: "A single pod subnet can be shared across
    // multiple node pools of a cluster or multiple AKS clusters".
    const dynamic = ['a', 'b', 'c'].map((n) => podSubnet(n, '10.2.0.0/16', 'dynamic'));
    expect(grouped(dynamic)).toEqual([]);
    // Nor when one of them took the subnet from a space: the block stands for its plan's range.
    expect(grouped([allocation('x', '10.2.0.0/16', 'a'), ...dynamic])).toEqual([]);
  });

  it('sets static block plans against the dynamic plans on their pod subnet: POD_SUBNET_MODES_MIXED', () => {
    const ranges = [
      podSubnet('d1', '10.2.0.0/16', 'dynamic'),
      podSubnet('s', '10.2.0.0/16', 'static-block'),
      podSubnet('d2', '10.2.0.0/16', 'dynamic'),
    ];
    const [only, ...rest] = findConflicts(ranges);
    expect(rest).toEqual([]);
    expect(only?.severity).toBe('error');
    expect(only?.message).toBe(
      'pod-subnet 10.2.0.0/16 of plan "s" overlaps pod-subnet 10.2.0.0/16 of 2 plans: a pod subnet used with static block allocation cannot be used with dynamic IP allocation in another cluster, and the other way round',
    );
    expect(grouped(ranges)).toEqual([['POD_SUBNET_MODES_MIXED', ['s'], ['d1', 'd2']]]);
  });

  it('keeps the planned layouts of a pod subnet colliding: static blocks, and modes not stored', () => {
    expect(
      grouped([
        podSubnet('s1', '10.2.0.0/16', 'static-block'),
        podSubnet('s2', '10.2.0.0/16', 'static-block'),
      ]),
    ).toEqual([['SHARED_SUBNET_LAYOUTS_COLLIDE', ['s1', 's2']]]);
    // A plan stored before its pod subnet's mode was is judged as before, as a planned layout.
    const ranges = [
      podSubnet('s1', '10.2.0.0/16', 'static-block'),
      podSubnet('s2', '10.2.0.0/16', 'static-block'),
      podSubnet('d1', '10.2.0.0/16', 'dynamic'),
      podSubnet('d2', '10.2.0.0/16', 'dynamic'),
      podSubnet('old', '10.2.0.0/16'),
    ];
    expect(grouped(ranges)).toEqual([
      ['POD_SUBNET_MODES_MIXED', ['s1', 's2'], ['d1', 'd2']],
      ['SHARED_SUBNET_LAYOUTS_COLLIDE', ['old', 's1', 's2']],
      ['SHARED_SUBNET_LAYOUTS_COLLIDE', ['old'], ['d1', 'd2']],
    ]);
  });

  it("keeps a dynamic pod subnet that is another plan's node subnet colliding with that node layout", () => {
    const ranges = [plan('n', 'node-subnet', '10.2.0.0/16'), podSubnet('d', '10.2.0.0/16', 'dynamic')];
    expect(grouped(ranges)).toEqual([['SHARED_SUBNET_LAYOUTS_COLLIDE', ['n'], ['d']]]);
  });

  it('keeps allocations apart: each is judged on its own', () => {
    expect(grouped([allocation('x', '10.1.0.0/24'), allocation('y', '10.1.0.0/24')])).toEqual([
      ['ALLOCATIONS_OVERLAP', ['x'], ['y']],
    ]);
  });

  it('answers 20,000 plans on one subnet with one item, listing holders only as far as asked', () => {
    const ranges = Array.from({ length: 20_000 }, (_, i) => plan(`p${i}`, 'node-subnet', '10.1.0.0/16'));
    const [only, ...rest] = findConflicts(ranges);
    expect(rest).toEqual([]);
    expect(only?.sides[0].holderCount).toBe(20_000);
    expect(only?.sides[0].holders(100)).toHaveLength(100);
  });

  it('keeps a conflict at its position when plans join or leave its groups between pages', () => {
    const before = [
      plan('m', 'node-subnet', '10.1.0.0/24'),
      plan('n', 'node-subnet', '10.1.0.0/24'),
      plan('wide', 'node-subnet', '10.2.0.0/16'),
      plan('narrow', 'node-subnet', '10.2.4.0/24'),
    ];
    const positions = (ranges: HeldRange[]) => findConflicts(ranges).map((c) => [c.code, c.position]);
    // A plan whose name sorts first joins the shared subnet, another overlap appears beside.
    const after = [...before, plan('a', 'node-subnet', '10.1.0.0/24'), plan('b', 'pod-cidr', '10.2.4.0/24')];
    const kept = positions(before);
    const now = positions(after);
    for (const item of kept) expect(now).toContainEqual(item);
  });
});
