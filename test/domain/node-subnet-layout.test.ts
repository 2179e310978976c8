import { describe, expect, it } from 'vitest';
import { allSlots, lookup, plan } from './helpers.js';

/** The documented example: 10.240.0.0/16, maxPods 110. */
const documented = () =>
  plan({
    network: { nodeSubnet: '10.240.0.0/16' },
    nodePools: [{ name: 'system', nodeCount: 2, maxPods: 110 }],
  });

/** The api.md capacity example: a /24, 5 max + 1 surge nodes at maxPods 30, 2 ILB + 1 PE. */
const apiExample = (network = {}) =>
  plan({
    network: { vnetAddressSpace: ['10.240.0.0/16'], nodeSubnet: '10.240.0.0/24', ...network },
    nodePools: [{ name: 'system', nodeCount: 3, maxCount: 5, maxPods: 30, maxSurge: 1 }],
    reservations: { internalLoadBalancers: 2, privateEndpoints: 1 },
  });

describe('node slots: the documented 10.240.0.0/16 maxPods 110 layout', () => {
  it('gives node 0 the address after the 4 reserved ones and its 110 pods right after', () => {
    expect(allSlots(documented())[0]).toEqual({
      pool: 'system',
      index: 0,
      fits: true,
      nodeIp: '10.240.0.4',
      podRange: { first: '10.240.0.5', last: '10.240.0.114', count: 110 },
    });
  });

  it('starts node 1 where node 0 ended', () => {
    expect(allSlots(documented())[1]).toEqual({
      pool: 'system',
      index: 1,
      fits: true,
      nodeIp: '10.240.0.115',
      podRange: { first: '10.240.0.116', last: '10.240.0.225', count: 110 },
    });
  });

  it('has one slot per node plus the default surge node', () => {
    const planned = documented();
    expect(planned.model.slotCount()).toBe(3);
    expect(allSlots(planned)[2]?.nodeIp).toBe('10.240.0.226');
  });

  it('gives the internal load balancer .226, right after the current nodes, and the surge slot after it', () => {
    const planned = plan({
      network: { nodeSubnet: '10.240.0.0/16' },
      nodePools: [{ name: 'system', nodeCount: 2, maxPods: 110 }],
      reservations: { internalLoadBalancers: 1 },
    });
    expect(lookup(planned, '10.240.0.226')).toEqual([{ role: 'load-balancer', range: '10.240.0.0/16' }]);
    expect(allSlots(planned).map((s) => s.nodeIp)).toEqual(['10.240.0.4', '10.240.0.115', '10.240.0.227']);
    expect(lookup(planned, '10.240.0.227')).toEqual([
      { role: 'node', range: '10.240.0.0/16', pool: 'system', nodeIndex: 2, nodeIp: '10.240.0.227' },
    ]);
  });
});

describe('lookup in the documented layout', () => {
  const range = '10.240.0.0/16';

  it.each([
    ['10.240.0.8', 'pod', 0, '10.240.0.4'], // the documented example: a pod of node 0
    ['10.240.0.4', 'node', 0, '10.240.0.4'], // node 0's own IP
    ['10.240.0.5', 'pod', 0, '10.240.0.4'], // node 0's first pod
    ['10.240.0.114', 'pod', 0, '10.240.0.4'], // node 0's last pod
    ['10.240.0.115', 'node', 1, '10.240.0.115'], // node 1's IP, right after node 0's last pod
    ['10.240.0.225', 'pod', 1, '10.240.0.115'], // node 1's last pod
    ['10.240.1.80', 'pod', 2, '10.240.0.226'], // the surge slot, across an octet boundary
  ])('%s is a %s of node %s (%s)', (address, role, nodeIndex, nodeIp) => {
    expect(lookup(documented(), address)).toEqual([{ role, range, pool: 'system', nodeIndex, nodeIp }]);
  });

  it.each([
    ['10.240.0.0', 'azure-reserved'], // network address
    ['10.240.0.1', 'azure-reserved'], // default gateway
    ['10.240.0.3', 'azure-reserved'], // second Azure DNS address
    ['10.240.255.255', 'azure-reserved'], // the last address
    ['10.240.1.81', 'unassigned'], // right after the last slot (3 x 111 + 4 = 337 = 10.240.1.81)
    ['10.240.200.0', 'unassigned'], // deep in the free part of the subnet
  ])('%s is %s', (address, role) => {
    expect(lookup(documented(), address)).toEqual([{ role, range }]);
  });

  it('answers nothing for an address outside every range of the plan', () => {
    expect(lookup(documented(), '192.168.0.1')).toEqual([]);
    expect(lookup(documented(), '10.241.0.4')).toEqual([]);
    expect(lookup(documented(), '::1')).toEqual([]);
  });

  it('classifies the service CIDR', () => {
    const planned = documented();
    expect(lookup(planned, '10.0.0.10')).toEqual([{ role: 'dns-service', range: '10.0.0.0/16' }]);
    expect(lookup(planned, '10.0.0.1')).toEqual([{ role: 'kubernetes-api-service', range: '10.0.0.0/16' }]);
    expect(lookup(planned, '10.0.3.7')).toEqual([{ role: 'service', range: '10.0.0.0/16' }]);
  });

  it('answers unassigned for the network and broadcast addresses Kubernetes never gives a service', () => {
    const planned = documented();
    expect(lookup(planned, '10.0.0.0')).toEqual([{ role: 'unassigned', range: '10.0.0.0/16' }]);
    expect(lookup(planned, '10.0.255.255')).toEqual([{ role: 'unassigned', range: '10.0.0.0/16' }]);
    expect(lookup(planned, '10.0.255.254')).toEqual([{ role: 'service', range: '10.0.0.0/16' }]);
  });

  it('lists the ranges it occupies', () => {
    expect(
      documented()
        .model.ranges()
        .map((r) => ({ kind: r.kind, cidr: r.cidr.toString() })),
    ).toEqual([
      { kind: 'node-subnet', cidr: '10.240.0.0/16' },
      { kind: 'service-cidr', cidr: '10.0.0.0/16' },
    ]);
  });
});

describe('several pools', () => {
  const twoPools = () =>
    plan({
      network: { nodeSubnet: '10.240.0.0/16' },
      nodePools: [
        { name: 'system', nodeCount: 3, maxPods: 30 }, // 3 + 1 surge slots of 31 addresses
        { name: 'user', nodeCount: 2, maxCount: 4, maxPods: 50, maxSurge: 2 }, // 2 + 2 growth + 2 surge slots of 51
      ],
    });

  it('lays out the current nodes of every pool first, then growth and surge, pools in spec order', () => {
    const slots = allSlots(twoPools());
    // Listed by pool and index; addresses in creation order: system 0-2, user 0-1, system 3, user 2-5.
    expect(slots.map((s) => `${s.pool}#${s.index} ${s.nodeIp}`)).toEqual([
      'system#0 10.240.0.4',
      'system#1 10.240.0.35',
      'system#2 10.240.0.66',
      'system#3 10.240.0.199', // the surge slot, after both pools' current nodes (4 + 3 x 31 + 2 x 51)
      'user#0 10.240.0.97', // right after system's current nodes (4 + 3 x 31)
      'user#1 10.240.0.148',
      'user#2 10.240.0.230', // growth, after system's surge slot (199 + 31)
      'user#3 10.240.1.25',
      'user#4 10.240.1.76', // surge
      'user#5 10.240.1.127',
    ]);
    expect(slots[4]?.podRange).toEqual({ first: '10.240.0.98', last: '10.240.0.147', count: 50 });
  });

  it('counts and pages slots per pool', () => {
    const planned = twoPools();
    expect(planned.model.slotCount()).toBe(10);
    expect(planned.model.slotCount('system')).toBe(4);
    expect(planned.model.slotCount('user')).toBe(6);
    expect(planned.model.slotCount('nope')).toBe(0);
    const page = planned.model.slots({ pool: 'user', offset: 1, limit: 2 });
    expect(page.map((s) => [s.pool, s.index])).toEqual([
      ['user', 1],
      ['user', 2],
    ]);
    // Paging across the pool boundary keeps plan order.
    expect(planned.model.slots({ offset: 3, limit: 2 }).map((s) => [s.pool, s.index])).toEqual([
      ['system', 3],
      ['user', 0],
    ]);
    expect(planned.model.slots({ offset: 10, limit: 5 })).toEqual([]);
  });

  it('looks up the second pool by its own node index', () => {
    expect(lookup(twoPools(), '10.240.0.180')).toEqual([
      { role: 'pod', range: '10.240.0.0/16', pool: 'user', nodeIndex: 1, nodeIp: '10.240.0.148' },
    ]);
    expect(lookup(twoPools(), '10.240.0.229')).toEqual([
      { role: 'pod', range: '10.240.0.0/16', pool: 'system', nodeIndex: 3, nodeIp: '10.240.0.199' },
    ]);
  });

  it('starts a pool with its own node subnet at .4 of that subnet', () => {
    const planned = plan({
      network: { nodeSubnet: '10.240.0.0/16' },
      nodePools: [
        { name: 'system', nodeCount: 3 },
        { name: 'user', nodeCount: 2, maxPods: 50, nodeSubnet: '10.241.0.0/24' },
      ],
      reservations: { internalLoadBalancers: 1 },
    });
    const user = allSlots(planned, 'user');
    expect(user.map((s) => s.nodeIp)).toEqual(['10.241.0.4', '10.241.0.55', '10.241.0.106']);
    expect(lookup(planned, '10.241.0.56')).toEqual([
      { role: 'pod', range: '10.241.0.0/24', pool: 'user', nodeIndex: 1, nodeIp: '10.241.0.55' },
    ]);
    // Reservations live in the first pool's subnet only, after its current nodes (4 + 3 x 31 = .97).
    expect(lookup(planned, '10.240.0.97')).toEqual([{ role: 'load-balancer', range: '10.240.0.0/16' }]);
    expect(allSlots(planned, 'system').map((s) => s.nodeIp)).toEqual([
      '10.240.0.4',
      '10.240.0.35',
      '10.240.0.66',
      '10.240.0.98', // the surge slot, after the load balancer
    ]);
    expect(lookup(planned, '10.241.0.157')).toEqual([{ role: 'unassigned', range: '10.241.0.0/24' }]);
    expect(planned.model.ranges().map((r) => r.cidr.toString())).toEqual([
      '10.240.0.0/16',
      '10.241.0.0/24',
      '10.0.0.0/16',
    ]);
  });
});

describe('reservations and the rest of the subnet', () => {
  // 3 current nodes x 31 from offset 4 -> offsets 4..96. Reservations: 97, 98 (ILB), 99 (PE).
  // Then 2 growth slots and 1 surge slot x 31 -> offsets 100..192.
  it.each([
    ['10.240.0.0', 'azure-reserved'], // network address
    ['10.240.0.3', 'azure-reserved'], // last of the 4 leading reserved
    ['10.240.0.97', 'load-balancer'], // first ILB frontend: the next free address after the current nodes
    ['10.240.0.98', 'load-balancer'], // second ILB frontend
    ['10.240.0.99', 'private-endpoint'], // the private endpoint after the load balancers
    ['10.240.0.193', 'unassigned'], // first address after the last (surge) slot
    ['10.240.0.254', 'unassigned'], // last usable address
    ['10.240.0.255', 'azure-reserved'], // broadcast
  ])('%s is %s', (address, role) => {
    expect(lookup(apiExample(), address)).toEqual([{ role, range: '10.240.0.0/24' }]);
  });

  it('puts the growth and surge slots right after the reservations', () => {
    const slots = allSlots(apiExample());
    expect(slots).toHaveLength(6);
    expect(slots.map((s) => s.nodeIp)).toEqual([
      '10.240.0.4',
      '10.240.0.35',
      '10.240.0.66',
      '10.240.0.100',
      '10.240.0.131',
      '10.240.0.162',
    ]);
    expect(slots[5]).toEqual({
      pool: 'system',
      index: 5,
      fits: true,
      nodeIp: '10.240.0.162',
      podRange: { first: '10.240.0.163', last: '10.240.0.192', count: 30 },
    });
    expect(lookup(apiExample(), '10.240.0.192')).toEqual([
      { role: 'pod', range: '10.240.0.0/24', pool: 'system', nodeIndex: 5, nodeIp: '10.240.0.162' },
    ]);
  });

  it("gives a private cluster's API server endpoint the address after the private endpoints", () => {
    const planned = apiExample({ privateCluster: true });
    expect(lookup(planned, '10.240.0.100')).toEqual([{ role: 'private-endpoint', range: '10.240.0.0/24' }]);
    expect(lookup(planned, '10.240.0.101')).toEqual([
      { role: 'node', range: '10.240.0.0/24', pool: 'system', nodeIndex: 3, nodeIp: '10.240.0.101' },
    ]);
    expect(lookup(planned, '10.240.0.194')).toEqual([{ role: 'unassigned', range: '10.240.0.0/24' }]);
  });
});

describe('slots that do not fit', () => {
  // A /24 holds 8 blocks of 31 (offsets 4..251); 10 nodes + 1 surge = 11 slots.
  const exhausted = () =>
    plan({
      network: { nodeSubnet: '10.240.0.0/24' },
      nodePools: [{ name: 'system', nodeCount: 10, maxPods: 30 }],
    });

  it('marks slots past the usable end fits:false with no addresses', () => {
    const slots = allSlots(exhausted());
    expect(slots).toHaveLength(11);
    expect(slots.filter((s) => s.fits).map((s) => s.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(slots[7]?.podRange?.last).toBe('10.240.0.251');
    for (const slot of slots.slice(8)) {
      expect(slot).toEqual({ pool: 'system', index: slot.index, fits: false, nodeIp: null, podRange: null });
    }
  });

  it('does not attribute the tail of the subnet to a slot that does not fit', () => {
    expect(lookup(exhausted(), '10.240.0.252')).toEqual([{ role: 'unassigned', range: '10.240.0.0/24' }]);
    expect(lookup(exhausted(), '10.240.0.254')).toEqual([{ role: 'unassigned', range: '10.240.0.0/24' }]);
    expect(lookup(exhausted(), '10.240.0.255')).toEqual([{ role: 'azure-reserved', range: '10.240.0.0/24' }]);
  });

  it('still reports the plan instead of rejecting it', () => {
    expect(exhausted().model.capacity().verdict).toBe('exhausted');
  });

  it('treats a block ending exactly on the last usable address as fitting', () => {
    // /26: usable offsets 4..62 = 59 addresses. maxPods 58 -> one block of 59 fills them exactly.
    const planned = plan({
      network: { nodeSubnet: '10.240.0.0/26' },
      nodePools: [{ name: 'system', nodeCount: 1, maxPods: 58, maxSurge: 0 }],
    });
    expect(allSlots(planned)).toEqual([
      {
        pool: 'system',
        index: 0,
        fits: true,
        nodeIp: '10.240.0.4',
        podRange: { first: '10.240.0.5', last: '10.240.0.62', count: 58 },
      },
    ]);
    // One more pod and the block would reach the broadcast address.
    const tooBig = plan({
      network: { nodeSubnet: '10.240.0.0/26' },
      nodePools: [{ name: 'system', nodeCount: 1, maxPods: 59, maxSurge: 0 }],
    });
    expect(allSlots(tooBig)[0]?.fits).toBe(false);
  });

  it('gives a slot that does not fit no addresses: a smaller slot of another pool takes them', () => {
    // /25: usable .4-.126. Current: a0 .4-.64 (61), b0 .65-.80, b1 .81-.96 (16 each). Then
    // a1 (surge, 61) would reach .157: never created; b2 (surge) takes .97-.112.
    const planned = plan({
      network: { nodeSubnet: '10.240.0.0/25' },
      nodePools: [
        { name: 'a', nodeCount: 1, maxPods: 60, maxSurge: 1 },
        { name: 'b', nodeCount: 2, maxPods: 15, maxSurge: 1, mode: 'User' },
      ],
    });
    const slots = allSlots(planned);
    expect(slots.find((s) => s.pool === 'a' && s.index === 1)).toMatchObject({ fits: false, nodeIp: null });
    expect(slots.find((s) => s.pool === 'b' && s.index === 2)).toEqual({
      pool: 'b',
      index: 2,
      fits: true,
      nodeIp: '10.240.0.97',
      podRange: { first: '10.240.0.98', last: '10.240.0.112', count: 15 },
    });
    expect(lookup(planned, '10.240.0.97')).toMatchObject([{ role: 'node', pool: 'b', nodeIndex: 2 }]);
    expect(lookup(planned, '10.240.0.113')).toEqual([{ role: 'unassigned', range: '10.240.0.0/25' }]);
  });
});
