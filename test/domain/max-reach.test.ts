import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NodePoolInput, PlanInput, PlanSpec } from '../../src/domain/design/spec.js';
import { largestCountFor } from '../../src/domain/plan/max-reach.js';
import { loadDesign, planDesign } from '../../src/domain/plan/planner.js';

const reachOf = (input: PlanInput) => planDesign(input).model.capacity().maxReach;

describe('capacity.maxReach: hand-worked', () => {
  it('a /24 at maxPods 30 with 2 load balancers and 1 private endpoint: (251 - 3) / 31 = 8 slots = 7 + 1 surge', () => {
    const reach = reachOf({
      name: 'r',
      network: { plugin: 'azure-cni-node-subnet', nodeSubnet: '10.240.0.0/24' },
      nodePools: [{ name: 'system', nodeCount: 3, maxCount: 5, maxPods: 30 }],
      reservations: { internalLoadBalancers: 2, privateEndpoints: 1 },
    });
    expect(reach).toEqual([
      {
        pool: 'system',
        currentMaxCount: 5,
        maxCount: 7,
        limitedBy: { kind: 'node-subnet', cidr: '10.240.0.0/24' },
      },
    ]);
  });

  it('overlay: the /22 pod CIDR (4 /24s) stops the pool before the node subnet does', () => {
    const reach = reachOf({
      name: 'r',
      network: { plugin: 'azure-cni-overlay', nodeSubnet: '10.240.0.0/24', podCidr: '10.244.0.0/22' },
      nodePools: [{ name: 'system', nodeCount: 2 }],
    });
    expect(reach[0]).toEqual({
      pool: 'system',
      currentMaxCount: 2,
      maxCount: 3,
      limitedBy: { kind: 'pod-cidr', cidr: '10.244.0.0/22' },
    });
  });

  it('holds the other pools: two pools sharing a /24 split what is left', () => {
    const reach = reachOf({
      name: 'r',
      network: { plugin: 'azure-cni-node-subnet', nodeSubnet: '10.240.0.0/24' },
      nodePools: [
        { name: 'system', nodeCount: 2, maxPods: 30 },
        { name: 'user', nodeCount: 1, maxPods: 30 },
      ],
    });
    // 8 slots in all; system holds 3 (2 + 1 surge), user holds 2 (1 + 1 surge).
    expect(reach.map((r) => [r.pool, r.maxCount])).toEqual([
      ['system', 5],
      ['user', 4],
    ]);
  });

  it('an explicit SNAT allocation: 4,000 ports x 2 IPs carry 32 nodes, surge included', () => {
    const reach = reachOf({
      name: 'r',
      network: { plugin: 'azure-cni-overlay', nodeSubnet: '10.240.0.0/16', podCidr: '10.244.0.0/14' },
      nodePools: [{ name: 'system', nodeCount: 3 }],
      outbound: { allocatedOutboundPorts: 4000, managedOutboundIps: 2 },
    });
    // M + ceil(10% of M) <= 32 (the default surge): M = 29 (29 + 3 = 32).
    expect(reach[0]).toMatchObject({ maxCount: 29, limitedBy: { kind: 'snat' } });
  });

  it('kubenet stops at 400 nodes with surge, and AKS stops a pool at 1,000', () => {
    const kubenet = reachOf({
      name: 'r',
      network: { plugin: 'kubenet', nodeSubnet: '10.240.0.0/16', podCidr: '10.200.0.0/14' },
      nodePools: [{ name: 'system', nodeCount: 3 }],
    });
    // M + ceil(10% of M) <= 400 (the default surge): M = 363 (363 + 37 = 400).
    expect(kubenet[0]).toMatchObject({ maxCount: 363, limitedBy: { kind: 'kubenet-node-limit' } });
    const big = reachOf({
      name: 'r',
      network: { plugin: 'azure-cni-overlay', nodeSubnet: '10.240.0.0/16', podCidr: '10.192.0.0/12' },
      nodePools: [{ name: 'system', nodeCount: 3, maxSurge: '10%' }],
    });
    // M + ceil(10% of M) <= 1,000: M = 909 (909 + 91 = 1,000).
    expect(big[0]).toMatchObject({ maxCount: 909, limitedBy: { kind: 'pool-size-limit' } });
  });

  it("stops at the cluster's 5,000 nodes, counting the other pools at their maxima", () => {
    const autoscaled = (name: string) => ({ name, nodeCount: 1, maxCount: 900, maxSurge: 0 });
    const reach = reachOf({
      name: 'r',
      network: { plugin: 'azure-cni-overlay', nodeSubnet: '10.240.0.0/16', podCidr: '100.64.0.0/10' },
      nodePools: [...['a', 'b', 'c', 'd', 'e'].map(autoscaled), { name: 'f', nodeCount: 1, maxSurge: 0 }],
    });
    // f: 5,000 - 5 x 900 = 500 (today the others have 5 nodes; the autoscaler may take them to 4,500).
    expect(reach[5]).toMatchObject({ pool: 'f', maxCount: 500, limitedBy: { kind: 'cluster-size-limit' } });
    // a: 5,000 - (4 x 900 + 1) = 1,399, past the 1,000 a pool holds.
    expect(reach[0]).toMatchObject({ pool: 'a', maxCount: 1000, limitedBy: { kind: 'pool-size-limit' } });
  });

  describe('stops where the service would warn that AKS cannot go', () => {
    const warned = (input: PlanInput, count: number) =>
      planDesign({
        ...input,
        nodePools: [{ ...input.nodePools[0], name: 'system', nodeCount: count }],
      }).warnings.map((w) => w.code);

    it("at the VNet's 65,536 configured addresses", () => {
      // 251 addresses a node (its IP and 250 pods), 10% surge: (M + ceil(M / 10)) x 251 <= 65,536
      // gives 261 slots, M = 237 (237 + 24 = 261; 238 + 24 = 262 x 251 = 65,762).
      const input: PlanInput = {
        name: 'r',
        network: {
          plugin: 'azure-cni-node-subnet',
          vnetAddressSpace: ['10.240.0.0/14'],
          nodeSubnet: '10.240.0.0/15',
        },
        nodePools: [{ name: 'system', nodeCount: 3, maxPods: 250 }],
      };
      expect(reachOf(input)[0]).toMatchObject({ maxCount: 237, limitedBy: { kind: 'vnet-address-limit' } });
      expect(warned(input, 237)).not.toContain('VNET_CONFIGURED_IPS_ABOVE_LIMIT');
      expect(warned(input, 238)).toContain('VNET_CONFIGURED_IPS_ABOVE_LIMIT');
    });

    it("at a dynamic pod subnet cluster's 64,000 pod IPs", () => {
      // maxPods 240 without surge: 241 configured addresses a node allow 271 nodes, but
      // 240 x 267 = 64,080 pods are more than 64,000: M = 266.
      const input: PlanInput = {
        name: 'r',
        network: {
          plugin: 'azure-cni-pod-subnet',
          nodeSubnet: '10.240.0.0/22',
          podSubnet: '10.128.0.0/15',
          podIpAllocation: 'dynamic',
        },
        nodePools: [{ name: 'system', nodeCount: 3, maxPods: 240, maxSurge: 0 }],
      };
      expect(reachOf(input)[0]).toMatchObject({ maxCount: 266, limitedBy: { kind: 'dynamic-pod-ip-limit' } });
      expect(warned(input, 266)).not.toContain('DYNAMIC_POD_IPS_ABOVE_LIMIT');
      expect(warned(input, 267)).toContain('DYNAMIC_POD_IPS_ABOVE_LIMIT');
      // At 250 pods a node the VNet binds first: 257 addresses a node, 255 nodes.
      const wider = { ...input, nodePools: [{ name: 'system', nodeCount: 3, maxPods: 250, maxSurge: 0 }] };
      expect(reachOf(wider)[0]).toMatchObject({ maxCount: 255, limitedBy: { kind: 'vnet-address-limit' } });
    });
  });

  it('reports 0 for a pool whose range is already too small', () => {
    const reach = reachOf({
      name: 'r',
      network: { plugin: 'azure-cni-node-subnet', nodeSubnet: '10.240.0.0/27' },
      nodePools: [{ name: 'system', nodeCount: 5, maxPods: 30 }],
    });
    expect(reach[0]).toMatchObject({ maxCount: 0, limitedBy: { kind: 'node-subnet' } });
  });
});

describe('largestCountFor', () => {
  it.each([
    // surge, slots, largest count
    [1, 8, 7],
    [0, 8, 8],
    ['50%', 3, 2],
    ['50%', 2, 1],
    ['33%', 10, 7],
    ['100%', 9, 4],
    ['10%', 1000, 909],
    // a surge larger than the pool surges the pool: 3 nodes + 3 in 6 slots, not 6 - 5 = 1
    [5, 6, 3],
    [5, 7, 3],
    [5, 10, 5],
    [2, 0, 0],
  ])('surge %s in %i slots -> %i', (surge, slots, count) => {
    expect(largestCountFor(surge, slots)).toBe(count);
  });

  it('answers a shortfall at once, however large: reservations past the subnet leave negative slots', () => {
    // The search stepped one count at a time from the shortfall up: 2^53 reservations never ended.
    expect(largestCountFor('10%', -(2 ** 53))).toBe(-(2 ** 53));
    expect(largestCountFor('10%', -1)).toBeLessThanOrEqual(0);
    expect(largestCountFor(1, -7)).toBeLessThanOrEqual(0);
  });
});

describe('capacity.maxReach against a one-count-at-a-time reference', () => {
  /** The slow oracle: raise one pool's max count until some range or limit breaks. */
  function reference(spec: PlanSpec, index: number): number {
    const fits = (count: number) => {
      const nodePools = spec.nodePools.map((p, j) =>
        j === index ? { ...p, nodeCount: 0, maxCount: count } : p,
      );
      const variant = { ...spec, nodePools };
      const slots = variant.nodePools.map((p) => {
        const size = p.maxCount ?? p.nodeCount;
        const asked =
          typeof p.maxSurge === 'number'
            ? p.maxSurge
            : Math.ceil((size * Number(p.maxSurge.slice(0, -1))) / 100);
        const surge = Math.min(asked, size);
        return { size, withSurge: size + surge };
      });
      const pool = slots[index];
      if (pool === undefined || pool.withSurge > 1000) return false;
      if (slots.reduce((sum, s) => sum + s.size, 0) > 5000) return false;
      const ranges = loadDesign(variant, []).model.rangeCapacity();
      return ranges.every((r) => r.required.duringUpgrade <= r.usable);
    };
    let count = 0;
    while (count < 1000 && fits(count + 1)) count++;
    return fits(count) ? count : 0;
  }

  const poolArb = (i: number): fc.Arbitrary<NodePoolInput> =>
    fc.record({
      name: fc.constant(i === 0 ? 'system' : `pool${i}`),
      nodeCount: fc.integer({ min: 1, max: 6 }),
      maxPods: fc.integer({ min: 30, max: 120 }),
      maxSurge: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom('10%', '33%', '50%', '100%')),
    });

  it('agrees for random node-subnet, overlay, kubenet and pod-subnet (dynamic and static) designs', () => {
    type Plugin = 'azure-cni-node-subnet' | 'azure-cni-overlay' | 'kubenet' | 'dynamic' | 'static-block';
    const networkOf = (plugin: Plugin, nodePrefix: number, podPrefix: number) => {
      const nodeSubnet = `10.240.0.0/${nodePrefix}`;
      if (plugin === 'azure-cni-overlay' || plugin === 'kubenet')
        return { plugin, nodeSubnet, podCidr: `10.200.0.0/${podPrefix}` };
      if (plugin === 'azure-cni-node-subnet') return { plugin, nodeSubnet };
      // A pod subnet four bits longer than the pod CIDR would be: /23 to /27, as tight as a node subnet.
      const podSubnet = `10.200.0.0/${podPrefix + 4}`;
      return { plugin: 'azure-cni-pod-subnet' as const, nodeSubnet, podSubnet, podIpAllocation: plugin };
    };
    fc.assert(
      fc.property(
        fc.constantFrom<Plugin>(
          'azure-cni-node-subnet',
          'azure-cni-overlay',
          'kubenet',
          'dynamic',
          'static-block',
        ),
        fc.integer({ min: 22, max: 26 }),
        fc.integer({ min: 19, max: 23 }),
        fc
          .integer({ min: 1, max: 3 })
          .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => poolArb(i)))),
        fc.integer({ min: 0, max: 3 }),
        (plugin, nodePrefix, podPrefix, nodePools, loadBalancers) => {
          const design = planDesign({
            name: 'p',
            network: networkOf(plugin, nodePrefix, podPrefix),
            nodePools,
            reservations: { internalLoadBalancers: loadBalancers },
          });
          const reach = design.model.capacity().maxReach;
          design.spec.nodePools.forEach((_, i) => {
            expect(reach[i]?.maxCount, `pool ${i}`).toBe(reference(design.spec, i));
          });
        },
      ),
      { numRuns: 150 },
    );
  });
});
