/**
 * Azure CNI with a pod subnet (aks-networking.md section 2). Static blocks: ceil((maxPods + 1)
 * / 16) /28 blocks per slot from the second /28 on (the first and last hold Azure's reserved
 * addresses). Dynamic (the default): batches of 16 to whichever node needs them, planned at
 * 16 x ceil(maxPods / 16) per node at most and 16 at least, with no address owned by a node.
 */
import { describe, expect, it } from 'vitest';
import { expectOnlyProblem, problemKeys } from '../helpers.js';
import {
  lookupText,
  onlyRange,
  planOf,
  podSubnetDesign,
  rangesOf,
  requirement,
  slotsOf,
  staticBlockDesign,
  warningCodes,
} from './helpers.js';

const DYNAMIC_NOTE =
  'dynamic pod IP allocation hands out batches of 16 addresses to whichever node needs them, so no address belongs to a fixed node';

/**
 * 10.241.0.0/24 has 16 /28s: block 0 (.0-.15) and block 15 (.240-.255) hold Azure's addresses,
 * blocks 1-14 are assignable. system (maxPods 30: 2 blocks) has 2 nodes + 1 surge = blocks 1-6;
 * user (maxPods 32: 3 blocks) has 1 node + 0 surge = blocks 7-9; blocks 10-14 stay free.
 */
function twoPoolStatic() {
  return planOf(
    staticBlockDesign({
      nodePools: [
        { name: 'system', nodeCount: 2, maxPods: 30 },
        { name: 'user', nodeCount: 1, maxPods: 32, maxSurge: 0 },
      ],
    }),
  );
}

describe('static block layout', () => {
  it.each([
    // maxPods, blocks per node: maxPods + 1 addresses in /28s.
    [10, 1],
    [15, 1],
    [16, 2],
    [30, 2], // documented
    [31, 2], // documented: 16N-1 uses the blocks fully
    [32, 3], // documented
    [47, 3],
    [48, 4],
    [250, 16],
  ])('maxPods %s takes %s /28 blocks per node', (maxPods, blocks) => {
    const planned = planOf(
      staticBlockDesign({
        network: { podSubnet: '10.241.0.0/20' },
        nodePools: [{ name: 'system', nodeCount: 3, maxPods }],
      }),
    );

    for (const slot of slotsOf(planned)) {
      expect(slot.podBlocks).toHaveLength(blocks);
      expect(slot.podBlocks?.every((b) => b.endsWith('/28'))).toBe(true);
    }
  });

  it('starts at the second /28 and hands out consecutive blocks in creation order', () => {
    // system 0-1 and user 0 (current nodes), then system 2 (surge).
    expect(slotsOf(twoPoolStatic())).toEqual([
      {
        pool: 'system',
        index: 0,
        fits: true,
        nodeIp: '10.240.0.4',
        podBlocks: ['10.241.0.16/28', '10.241.0.32/28'],
      },
      {
        pool: 'system',
        index: 1,
        fits: true,
        nodeIp: '10.240.0.5',
        podBlocks: ['10.241.0.48/28', '10.241.0.64/28'],
      },
      {
        pool: 'system',
        index: 2,
        fits: true,
        nodeIp: '10.240.0.7',
        podBlocks: ['10.241.0.128/28', '10.241.0.144/28'],
      },
      {
        pool: 'user',
        index: 0,
        fits: true,
        nodeIp: '10.240.0.6',
        podBlocks: ['10.241.0.80/28', '10.241.0.96/28', '10.241.0.112/28'],
      },
    ]);
  });

  it('never hands out the last /28: a /26 holds one node of 2 blocks, the next has none', () => {
    // 10.241.0.0/26: blocks .0, .16, .32, .48; only .16 and .32 are assignable.
    const planned = planOf(
      staticBlockDesign({
        network: { podSubnet: '10.241.0.0/26' },
        nodePools: [{ name: 'system', nodeCount: 1, maxPods: 30 }],
      }),
    );

    expect(slotsOf(planned)).toEqual([
      {
        pool: 'system',
        index: 0,
        fits: true,
        nodeIp: '10.240.0.4',
        podBlocks: ['10.241.0.16/28', '10.241.0.32/28'],
      },
      { pool: 'system', index: 1, fits: false, nodeIp: '10.240.0.5', podBlocks: null },
    ]);
    expect(lookupText(planned, '10.241.0.50')).toEqual([{ role: 'unassigned', range: '10.241.0.0/26' }]);
    expect(onlyRange(planned, 'pod-subnet').verdict).toBe('exhausted');
  });

  it('starts every pod subnet of its own at its second /28', () => {
    const planned = planOf(
      staticBlockDesign({
        nodePools: [
          { name: 'system', nodeCount: 1, maxPods: 31, maxSurge: 0 },
          { name: 'user', nodeCount: 2, maxPods: 15, maxSurge: 0, podSubnet: '10.242.0.0/24' },
        ],
      }),
    );

    expect(slotsOf(planned).map((s) => [s.pool, s.index, s.podBlocks])).toEqual([
      ['system', 0, ['10.241.0.16/28', '10.241.0.32/28']],
      ['user', 0, ['10.242.0.16/28']],
      ['user', 1, ['10.242.0.32/28']],
    ]);
    expect(rangesOf(planned, 'pod-subnet').map((r) => [r.cidr, r.required.duringUpgrade])).toEqual([
      ['10.241.0.0/24', 32n],
      ['10.242.0.0/24', 32n],
    ]);
  });
});

describe('static block lookup', () => {
  const planned = twoPoolStatic();
  const range = '10.241.0.0/24';
  const pod = (pool: string, nodeIndex: number, nodeIp: string) => [
    { role: 'pod', range, pool, nodeIndex, nodeIp },
  ];

  it.each([
    ['10.241.0.0', [{ role: 'azure-reserved', range }]],
    ['10.241.0.3', [{ role: 'azure-reserved', range }]],
    ['10.241.0.4', [{ role: 'unassigned', range }]], // rest of the first /28
    ['10.241.0.15', [{ role: 'unassigned', range }]],
    ['10.241.0.16', pod('system', 0, '10.240.0.4')],
    ['10.241.0.47', pod('system', 0, '10.240.0.4')],
    ['10.241.0.48', pod('system', 1, '10.240.0.5')],
    ['10.241.0.79', pod('system', 1, '10.240.0.5')],
    ['10.241.0.80', pod('user', 0, '10.240.0.6')],
    ['10.241.0.127', pod('user', 0, '10.240.0.6')],
    ['10.241.0.128', pod('system', 2, '10.240.0.7')], // the surge slot, after user's node
    ['10.241.0.159', pod('system', 2, '10.240.0.7')],
    ['10.241.0.160', [{ role: 'unassigned', range }]], // past the last slot
    ['10.241.0.240', [{ role: 'unassigned', range }]], // the last /28
    ['10.241.0.254', [{ role: 'unassigned', range }]],
    ['10.241.0.255', [{ role: 'azure-reserved', range }]],
  ])('%s', (address, matches) => {
    expect(lookupText(planned, address)).toEqual(matches);
  });

  it('still answers node IPs from the node subnet', () => {
    expect(lookupText(planned, '10.240.0.6')).toEqual([
      { role: 'node', range: '10.240.0.0/24', pool: 'user', nodeIndex: 0, nodeIp: '10.240.0.6' },
    ]);
  });
});

describe('static block capacity', () => {
  it('counts usable as (256 / 16 - 2) x 16 = 224 and the blocks each pool takes', () => {
    expect(onlyRange(twoPoolStatic(), 'pod-subnet')).toEqual({
      kind: 'pod-subnet',
      cidr: '10.241.0.0/24',
      total: 256n,
      azureReserved: 5n,
      usable: 224n,
      // system 2 x 32 + user 1 x 48 now; with surge 3 x 32 + 1 x 48.
      required: requirement(112n, 112n, 144n),
      free: 80n,
      utilization: 0.643,
      nodeSlots: 4n, // 14 assignable blocks / 3 per node at the widest pool
      verdict: 'ok',
      explain:
        "system (2 nodes + 1 surge) x 2 /28 blocks (30 pods + 1 reserved in 32: 1 wasted per node) + user (1 node + 0 surge) x 3 /28 blocks (32 pods + 1 reserved in 48: 15 wasted per node) = 144 of 224 usable (14 assignable /28 blocks: the first and last hold Azure's reserved addresses)",
      recommendedPrefixLength: 24,
    });
  });

  it.each([
    // prefix, assignable blocks x 16
    ['10.241.0.0/27', 0n],
    ['10.241.0.0/26', 32n],
    ['10.241.0.0/24', 224n],
    ['10.241.0.0/16', 65_504n],
    ['10.32.0.0/12', 1_048_544n],
  ])('a %s pod subnet has %s usable addresses', (podSubnet, usable) => {
    const range = onlyRange(
      planOf(
        staticBlockDesign({
          network: { podSubnet },
          nodePools: [{ name: 'system', nodeCount: 1, maxPods: 31 }],
        }),
      ),
      'pod-subnet',
    );

    expect(range.usable).toBe(usable);
  });

  it('recommends a pod subnet with a block to assign even where nothing is planned: a /26', () => {
    // A spare pool of no node in a /28 of its own: the /28 has no block to assign (exhausted),
    // and the smallest pod subnet with one is a /26 (a /27's two blocks hold Azure's addresses).
    const design = staticBlockDesign({
      nodePools: [
        { name: 'system', nodeCount: 1, maxPods: 31 },
        { name: 'spare', nodeCount: 0, maxPods: 31, podSubnet: '10.241.1.0/28' },
      ],
    });
    const spare = planOf(design)
      .model.capacity()
      .ranges.find((r) => r.cidr.toString() === '10.241.1.0/28');
    expect(spare).toMatchObject({ usable: 0n, verdict: 'exhausted', recommendedPrefixLength: 26 });
  });
});

describe('static block warnings and limits', () => {
  it.each([
    [30, 'pool "system": maxPods 30 takes 2 /28 blocks per node; maxPods 31 (16N-1) would use them fully'],
    [32, 'pool "system": maxPods 32 takes 3 /28 blocks per node; maxPods 47 (16N-1) would use them fully'],
    // 255 fills 16 blocks but passes the largest maxPods: the advice is the 16N-1 below.
    [
      250,
      'pool "system": maxPods 250 takes 16 /28 blocks per node, 5 addresses of them unused (maxPods 255 is above the 250 AKS allows); maxPods 239 (16N-1) would fill 15 blocks',
    ],
    [
      240,
      'pool "system": maxPods 240 takes 16 /28 blocks per node, 15 addresses of them unused (maxPods 255 is above the 250 AKS allows); maxPods 239 (16N-1) would fill 15 blocks',
    ],
  ])('warns STATIC_BLOCK_WASTE for maxPods %s', (maxPods, message) => {
    const planned = planOf(staticBlockDesign({ nodePools: [{ name: 'system', nodeCount: 3, maxPods }] }));

    expect(planned.warnings).toEqual([{ code: 'STATIC_BLOCK_WASTE', message }]);
  });

  it.each([15, 31, 47, 63])('gives no warning for maxPods %s (16N-1)', (maxPods) => {
    const planned = planOf(
      staticBlockDesign({
        network: { podSubnet: '10.241.0.0/22' },
        nodePools: [{ name: 'system', nodeCount: 3, maxPods }],
      }),
    );

    expect(planned.warnings).toEqual([]);
  });

  it('refuses a pod subnet larger than /12: POD_SUBNET_TOO_LARGE', () => {
    const error = expectOnlyProblem(
      staticBlockDesign({ network: { podSubnet: '10.32.0.0/11' } }),
      'POD_SUBNET_TOO_LARGE',
      'network.podSubnet',
    );
    expect(error.message).toBe(
      '10.32.0.0/11 is larger than /12, the largest pod subnet static block allocation supports',
    );
  });

  it("names a pool's own pod subnet when it is the one too large", () => {
    expectOnlyProblem(
      staticBlockDesign({
        nodePools: [
          { name: 'system', nodeCount: 3, maxPods: 31 },
          { name: 'user', nodeCount: 1, maxPods: 31, podSubnet: '10.64.0.0/10' },
        ],
      }),
      'POD_SUBNET_TOO_LARGE',
      'nodePools[1].podSubnet',
    );
  });

  it('accepts a /11 pod subnet with dynamic allocation', () => {
    expect(() => planOf(podSubnetDesign({ network: { podSubnet: '10.32.0.0/11' } }))).not.toThrow();
  });
});

describe('dynamic allocation', () => {
  it('is the default allocation, with maxPods 250, both listed in defaultsApplied', () => {
    const planned = planOf(podSubnetDesign());

    expect(planned.spec.network.podIpAllocation).toBe('dynamic');
    expect(planned.spec.nodePools[0]?.maxPods).toBe(250);
    expect(planned.defaultsApplied).toEqual(
      expect.arrayContaining(['network.podIpAllocation', 'nodePools[0].maxPods']),
    );
    expect(planned.warnings).toEqual([]);
  });

  it('gives slots a node IP and no pod field', () => {
    const planned = planOf(podSubnetDesign());
    const raw = planned.model.slots({ offset: 0, limit: 10 });

    expect(slotsOf(planned)).toEqual([
      { pool: 'system', index: 0, fits: true, nodeIp: '10.240.0.4' },
      { pool: 'system', index: 1, fits: true, nodeIp: '10.240.0.5' },
      { pool: 'system', index: 2, fits: true, nodeIp: '10.240.0.6' },
      { pool: 'system', index: 3, fits: true, nodeIp: '10.240.0.7' },
    ]);
    for (const slot of raw) {
      expect(Object.keys(slot).sort()).toEqual(['fits', 'index', 'nodeIp', 'pool']);
    }
  });

  it('plans 16 x ceil(maxPods / 16) per node at most and 16 at least', () => {
    // 3 nodes + 1 surge at maxPods 30: at most 4 x 32 = 128, at least 4 x 16 = 64.
    expect(
      onlyRange(
        planOf(podSubnetDesign({ nodePools: [{ name: 'system', nodeCount: 3, maxPods: 30 }] })),
        'pod-subnet',
      ),
    ).toEqual({
      kind: 'pod-subnet',
      cidr: '10.241.0.0/24',
      total: 256n,
      azureReserved: 5n,
      usable: 251n,
      required: requirement(96n, 96n, 128n),
      requiredAtLeast: requirement(48n, 48n, 64n),
      free: 123n,
      utilization: 0.51,
      nodeSlots: 7n, // 251 / 32
      verdict: 'ok',
      explain:
        'at most (3 nodes + 1 surge) x 32 (16 x ceil(30 / 16)) = 128 of 251 usable; at least (3 nodes + 1 surge) x 16 = 64',
      recommendedPrefixLength: 24, // 128 + Azure's 5 is more than a /25's 128
    });
  });

  it.each([
    // maxPods, per node at most
    [10, 16n],
    [16, 16n],
    [17, 32n],
    [110, 112n],
    [250, 256n],
  ])('maxPods %s plans %s per node', (maxPods, perNode) => {
    const range = onlyRange(
      planOf(
        podSubnetDesign({
          network: { podSubnet: '10.241.0.0/20' },
          nodePools: [{ name: 'system', nodeCount: 3, maxPods, maxSurge: 0 }],
        }),
      ),
      'pod-subnet',
    );

    expect(range.required.duringUpgrade).toBe(3n * perNode);
    expect(range.requiredAtLeast?.duringUpgrade).toBe(48n);
  });

  it('judges exhaustion on the most: 4 x 256 in a /24 is exhausted', () => {
    const range = onlyRange(planOf(podSubnetDesign()), 'pod-subnet');

    expect(range.required.duringUpgrade).toBe(1024n);
    expect(range.verdict).toBe('exhausted');
    expect(range.recommendedPrefixLength).toBe(21);
  });

  it.each([
    ['10.241.0.0', 'azure-reserved'],
    ['10.241.0.3', 'azure-reserved'],
    ['10.241.0.255', 'azure-reserved'],
  ])('%s is %s', (address, role) => {
    expect(lookupText(planOf(podSubnetDesign()), address)).toEqual([{ role, range: '10.241.0.0/24' }]);
  });

  it.each(['10.241.0.4', '10.241.0.16', '10.241.0.254'])(
    '%s is a pod of no fixed node, with a note',
    (address) => {
      expect(lookupText(planOf(podSubnetDesign()), address)).toEqual([
        { role: 'pod', range: '10.241.0.0/24', note: DYNAMIC_NOTE },
      ]);
    },
  );

  it('warns DYNAMIC_POD_IPS_ABOVE_LIMIT above 64,000 pod IPs at the maxima', () => {
    const planned = planOf(
      podSubnetDesign({
        network: { nodeSubnet: '10.240.0.0/22', podSubnet: '10.241.0.0/16' },
        nodePools: [{ name: 'system', nodeCount: 257 }],
      }),
    );

    // 257 x 250 pods = 64,250; with 256 addresses per node at most (16 x 16), the VNet's
    // 65,536 configured addresses are passed too.
    expect(warningCodes(planned)).toEqual(['DYNAMIC_POD_IPS_ABOVE_LIMIT', 'VNET_CONFIGURED_IPS_ABOVE_LIMIT']);
    // 256 x 250 = 64,000 exactly: the limit itself is supported.
    const atLimit = planOf(
      podSubnetDesign({
        network: { nodeSubnet: '10.240.0.0/22', podSubnet: '10.241.0.0/16' },
        nodePools: [{ name: 'system', nodeCount: 256 }],
      }),
    );
    expect(warningCodes(atLimit)).not.toContain('DYNAMIC_POD_IPS_ABOVE_LIMIT');
  });

  it('counts each static /28 block once toward the VNet limit: 5,000 nodes x (1 + 13 blocks) pass 65,536', () => {
    const pools = (maxPods: number) =>
      Array.from({ length: 5 }, (_, i) => ({ name: `p${i}`, nodeCount: 1000, maxPods, maxSurge: 0 }));
    const design = (maxPods: number) =>
      podSubnetDesign({
        network: { nodeSubnet: '10.240.0.0/18', podSubnet: '10.64.0.0/12', podIpAllocation: 'static-block' },
        nodePools: pools(maxPods),
      });

    // maxPods 207 takes 13 blocks: 5,000 node IPs + 65,000 blocks = 70,000 configured.
    expect(warningCodes(planOf(design(207)))).toContain('VNET_CONFIGURED_IPS_ABOVE_LIMIT');
    // maxPods 191 takes 12: 5,000 + 60,000 = 65,000, within the limit.
    expect(warningCodes(planOf(design(191)))).not.toContain('VNET_CONFIGURED_IPS_ABOVE_LIMIT');
  });

  it('counts a static-block pod subnet as prefixes: no VNet warning for its blocks', () => {
    const planned = planOf(
      podSubnetDesign({
        network: { nodeSubnet: '10.240.0.0/22', podSubnet: '10.64.0.0/12', podIpAllocation: 'static-block' },
        nodePools: [{ name: 'system', nodeCount: 300, maxPods: 250 }],
      }),
    );

    expect(warningCodes(planned)).not.toContain('VNET_CONFIGURED_IPS_ABOVE_LIMIT');
  });
});

describe('pod subnet validation', () => {
  it('requires a pod subnet for every pool: POD_SUBNET_REQUIRED', () => {
    const error = expectOnlyProblem(
      podSubnetDesign({ network: { podSubnet: undefined } }),
      'POD_SUBNET_REQUIRED',
      'nodePools[0].podSubnet',
    );
    expect(error.message).toBe(
      'pool "system" needs a pod subnet: set network.podSubnet or the pool\'s podSubnet',
    );
  });

  it('names only the pool that has none when others bring their own', () => {
    expect(
      problemKeys(
        podSubnetDesign({
          network: { podSubnet: undefined },
          nodePools: [
            { name: 'system', nodeCount: 3, podSubnet: '10.241.0.0/24' },
            { name: 'user', nodeCount: 1 },
          ],
        }),
      ),
    ).toEqual([{ code: 'POD_SUBNET_REQUIRED', path: 'nodePools[1].podSubnet' }]);
  });

  it('refuses a pod subnet overlapping a node subnet: POD_SUBNET_OVERLAPS_NODE_SUBNET', () => {
    const error = expectOnlyProblem(
      podSubnetDesign({ network: { podSubnet: '10.240.0.128/25' } }),
      'POD_SUBNET_OVERLAPS_NODE_SUBNET',
      'network.podSubnet',
    );
    expect(error.message).toBe(
      '10.240.0.128/25 overlaps the node subnet 10.240.0.0/24 (network.nodeSubnet); pods need a subnet of their own',
    );
  });

  it('refuses a service CIDR overlapping the pod subnet: SERVICE_CIDR_OVERLAPS_POD_SUBNET', () => {
    const error = expectOnlyProblem(
      podSubnetDesign({ network: { podSubnet: '10.0.0.0/24' } }),
      'SERVICE_CIDR_OVERLAPS_POD_SUBNET',
      'network.serviceCidr',
    );
    expect(error.message).toBe('10.0.0.0/16 overlaps the pod subnet 10.0.0.0/24 (network.podSubnet)');
  });

  it('refuses a pod subnet outside the VNet: SUBNET_OUTSIDE_VNET', () => {
    expectOnlyProblem(
      podSubnetDesign({ network: { vnetAddressSpace: ['10.240.0.0/16'] } }),
      'SUBNET_OUTSIDE_VNET',
      'network.podSubnet',
    );
  });

  it('refuses network.podCidr: FIELD_NOT_FOR_PLUGIN', () => {
    expectOnlyProblem(
      podSubnetDesign({ network: { podCidr: '10.244.0.0/16' } }),
      'FIELD_NOT_FOR_PLUGIN',
      'network.podCidr',
    );
  });
});

describe('static blocks of a node that cannot be created', () => {
  it('are not taken: the next node created gets them', () => {
    // The /29 holds 3 node IPs: a0, a1 and b0. a's surge nodes a2 and a3 are never created, so
    // in the shared pod subnet (blocks 1-14) c's surge takes blocks 7 and 8 after a0 1-2, a1 3-4,
    // c0 5 and c1 6; c has a node subnet of its own.
    const planned = planOf({
      name: 'x',
      network: {
        plugin: 'azure-cni-pod-subnet',
        podIpAllocation: 'static-block',
        nodeSubnet: '10.240.0.0/29',
        podSubnet: '10.241.0.0/24',
        vnetAddressSpace: ['10.240.0.0/14'],
      },
      nodePools: [
        { name: 'a', nodeCount: 2, maxPods: 31, maxSurge: 2 },
        { name: 'b', nodeCount: 1, maxPods: 31, maxSurge: 1, mode: 'User', podSubnet: '10.241.1.0/26' },
        { name: 'c', nodeCount: 2, maxPods: 15, maxSurge: 2, mode: 'User', nodeSubnet: '10.240.2.0/28' },
      ],
    });
    const blocks = Object.fromEntries(slotsOf(planned).map((s) => [`${s.pool}${s.index}`, s.podBlocks]));
    expect(blocks).toMatchObject({
      a1: ['10.241.0.48/28', '10.241.0.64/28'],
      a2: null,
      a3: null,
      b1: null,
      c1: ['10.241.0.96/28'],
      c2: ['10.241.0.112/28'],
      c3: ['10.241.0.128/28'],
    });
    expect(lookupText(planned, '10.241.0.120')).toMatchObject([{ role: 'pod', pool: 'c', nodeIndex: 2 }]);
  });
});
