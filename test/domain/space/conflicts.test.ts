import { describe, expect, it } from 'vitest';
import { Cidr } from '../../../src/domain/ip/index.js';
import { findConflicts, type HeldRange } from '../../../src/domain/space/conflicts.js';

const plan = (name: string, kind: HeldRange['kind'], cidr: string, exclusive = false): HeldRange => ({
  holder: { type: 'plan', id: name, name },
  kind,
  cidr: Cidr.parse(cidr),
  exclusive,
});

const allocation = (name: string, cidr: string, planId: string | null = null): HeldRange => ({
  holder: { type: 'allocation', id: name, name },
  kind: 'allocation',
  cidr: Cidr.parse(cidr),
  planId,
});

const codes = (ranges: HeldRange[]) => findConflicts(ranges).map((c) => c.code);

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
    const pairs = findConflicts(ranges).map((c) => c.sides.map((s) => s.holder.name).join('-'));
    expect(pairs.sort()).toEqual(['a-b', 'a-c', 'a-d', 'b-c']);
  });
});
