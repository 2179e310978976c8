import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cidr, IpAddress } from '../../../src/domain/ip/index.js';
import { type MatchedNode, matchNodes, type RealNode } from '../../../src/domain/nodes/real-node.js';
import { nodesThatAnswer, slotBlocks, withRecords } from '../../../src/domain/nodes/recorded-matches.js';
import { plan } from '../helpers.js';

const ip = (text: string) => IpAddress.parse(text);
const node = (name: string, pool: string, nodeIp: string | null, podCidr?: string): RealNode => ({
  name,
  pool,
  nodeIp: nodeIp === null ? null : ip(nodeIp),
  podCidr: podCidr === undefined ? null : Cidr.parse(podCidr),
});
const at = (n: RealNode, slot: { pool: string; index: number } | null = null): MatchedNode => ({
  node: n,
  slot,
});

/** The api.md example: 3 nodes (+2 growth, +1 surge) at maxPods 30 in a /24, 2 ILB + 1 PE at .97-.99. */
const cni = () =>
  plan({
    network: { nodeSubnet: '10.240.0.0/24' },
    nodePools: [{ name: 'system', nodeCount: 3, maxCount: 5, maxPods: 30, maxSurge: 1 }],
    reservations: { internalLoadBalancers: 2, privateEndpoints: 1 },
  });

const overlay = () =>
  plan({
    network: { plugin: 'azure-cni-overlay', nodeSubnet: '10.240.0.0/24', podCidr: '10.244.0.0/16' },
    nodePools: [{ name: 'system', nodeCount: 3, maxPods: 250 }],
  });

function sourced(design: ReturnType<typeof plan>, address: string, recorded: MatchedNode[]) {
  return withRecords(ip(address), design.model.lookup(ip(address)), recorded).map((m) => ({
    role: m.role,
    pool: m.pool,
    nodeIndex: m.nodeIndex,
    nodeIp: m.nodeIp?.toString(),
    nodeName: m.nodeName,
    source: m.source,
  }));
}

describe('withRecords: recorded nodes against the prediction', () => {
  it('marks node and pod matches predicted when no recorded node confirms them', () => {
    expect(sourced(cni(), '10.240.0.8', [])).toEqual([
      { role: 'pod', pool: 'system', nodeIndex: 0, nodeIp: '10.240.0.4', source: 'predicted' },
    ]);
  });

  it('leaves matches that name no node without a source', () => {
    const [lb] = sourced(cni(), '10.240.0.97', []);
    expect(lb).toEqual({ role: 'load-balancer', source: undefined });
  });

  it('confirms a node and its pods by the recorded node IP', () => {
    const recorded = [at(node('aks-0', 'system', '10.240.0.4'), { pool: 'system', index: 0 })];
    expect(sourced(cni(), '10.240.0.4', recorded)).toEqual([
      {
        role: 'node',
        pool: 'system',
        nodeIndex: 0,
        nodeIp: '10.240.0.4',
        nodeName: 'aks-0',
        source: 'recorded',
      },
    ]);
    expect(sourced(cni(), '10.240.0.20', recorded)[0]).toMatchObject({
      nodeName: 'aks-0',
      source: 'recorded',
    });
  });

  it('lets a recorded node win where the prediction has a load balancer', () => {
    // After a scale-down and up, a node took .97; the recorded node says so.
    const recorded = [at(node('aks-9', 'system', '10.240.0.97'))];
    expect(sourced(cni(), '10.240.0.97', recorded)).toEqual([
      { role: 'node', pool: 'system', nodeIp: '10.240.0.97', nodeName: 'aks-9', source: 'recorded' },
    ]);
  });

  it("names the recorded pool, and no index when the node sits in another pool's slot", () => {
    const recorded = [at(node('gpu-0', 'gpu', '10.240.0.35'), { pool: 'system', index: 1 })];
    expect(sourced(cni(), '10.240.0.35', recorded)).toEqual([
      { role: 'node', pool: 'gpu', nodeIp: '10.240.0.35', nodeName: 'gpu-0', source: 'recorded' },
    ]);
  });

  it('gives a pod CIDR address to the recorded node whose pod CIDR holds it, whatever the prediction', () => {
    const moved = at(node('aks-0', 'system', '10.240.0.4', '10.244.7.0/24'));
    expect(sourced(overlay(), '10.244.7.9', [moved])).toEqual([
      { role: 'pod', pool: 'system', nodeIp: '10.240.0.4', nodeName: 'aks-0', source: 'recorded' },
    ]);
    // Its old predicted block is not confirmed by the node IP alone: the node's pod CIDR is
    // elsewhere, so the block keeps its slot without an IP that is another slot's node's.
    expect(sourced(overlay(), '10.244.0.9', [moved])).toEqual([
      { role: 'pod', pool: 'system', nodeIndex: 0, source: 'predicted' },
    ]);
  });

  it('keeps the planned node IP of a block when the node there sits in that slot', () => {
    const inSlot = at(node('aks-0', 'system', '10.240.0.4'), { pool: 'system', index: 0 });
    expect(sourced(overlay(), '10.244.0.9', [inSlot])).toEqual([
      { role: 'pod', pool: 'system', nodeIndex: 0, nodeIp: '10.240.0.4', source: 'predicted' },
    ]);
  });

  it("answers a slot's planned node IP as no node's when the slot's recorded node is elsewhere", () => {
    // After an upgrade: the node with slot 2's block (10.244.2.0/24) came up at slot 0's IP.
    const upgraded = at(node('vmss000003', 'system', '10.240.0.4', '10.244.2.0/24'), {
      pool: 'system',
      index: 2,
    });
    const [slot2Ip] = withRecords(ip('10.240.0.6'), overlay().model.lookup(ip('10.240.0.6')), [upgraded]);
    expect(slot2Ip).toMatchObject({ role: 'unassigned', kind: 'node-subnet' });
    expect(slot2Ip?.note).toBe(
      'no recorded node has this address: the node planned here (pool system, node 2) is recorded as vmss000003 at 10.240.0.4',
    );
    expect(slot2Ip?.pool).toBeUndefined();
    // Slot 0's IP answers the node there, in its own slot; slot 1's, held by nobody, stays predicted.
    expect(sourced(overlay(), '10.240.0.4', [upgraded])).toEqual([
      {
        role: 'node',
        pool: 'system',
        nodeIndex: 2,
        nodeIp: '10.240.0.4',
        nodeName: 'vmss000003',
        source: 'recorded',
      },
    ]);
    expect(sourced(overlay(), '10.240.0.5', [upgraded])).toEqual([
      { role: 'node', pool: 'system', nodeIndex: 1, nodeIp: '10.240.0.5', source: 'predicted' },
    ]);
  });

  it("names no planned IP for a slot's IPv6 block when the slot's node, by its IPv4 block, is elsewhere", () => {
    const dual = plan({
      network: { plugin: 'azure-cni-overlay', nodeSubnet: '10.240.0.0/24', ipFamilies: ['ipv4', 'ipv6'] },
      nodePools: [{ name: 'system', nodeCount: 3 }],
    });
    // Slot 2's node (its /24) came up at .5 with slot 1's /80: slot 2's /80 is no recorded node's.
    const split: RealNode = {
      ...node('aks-2', 'system', '10.240.0.5', '10.244.2.0/24'),
      ipv6PodCidr: Cidr.parse('fd12:3456:789a:0:1::/80'),
    };
    const matched = matchNodes(dual.model, [split]);
    const slot2Pod = ip('fd12:3456:789a:0:2::7');
    const [answer] = withRecords(slot2Pod, dual.model.lookup(slot2Pod), matched);
    expect(answer).toMatchObject({ role: 'pod', pool: 'system', nodeIndex: 2, source: 'predicted' });
    expect(answer?.nodeIp).toBeUndefined();
    // The /80 it holds answers it, and the blocks slotBlocks reads find it.
    const own = ip('fd12:3456:789a:0:1::7');
    expect(withRecords(own, dual.model.lookup(own), matched)[0]).toMatchObject({ nodeName: 'aks-2' });
    const layout = dual.model.lookup(slot2Pod);
    expect(nodesThatAnswer(slot2Pod, layout, [split], slotBlocks(dual.model, layout))).toEqual([split]);
  });

  it("leaves a slot's planned IP to the prediction when its recorded node has no IP, or is another pool's", () => {
    const noIp = at(node('aks-2', 'system', null, '10.244.2.0/24'), { pool: 'system', index: 2 });
    const otherPool = at(node('gpu-0', 'gpu', '10.240.0.9', '10.244.2.0/24'), { pool: 'system', index: 2 });
    for (const recorded of [[noIp], [otherPool]]) {
      expect(sourced(overlay(), '10.240.0.6', recorded)).toEqual([
        { role: 'node', pool: 'system', nodeIndex: 2, nodeIp: '10.240.0.6', source: 'predicted' },
      ]);
    }
  });

  it('answers a recorded pod CIDR even past the predicted slots', () => {
    const late = at(node('aks-5', 'system', '10.240.0.9', '10.244.40.0/24'));
    expect(sourced(overlay(), '10.244.40.1', [])[0]?.role).toBe('unassigned');
    expect(sourced(overlay(), '10.244.40.1', [late])).toEqual([
      { role: 'pod', pool: 'system', nodeIp: '10.240.0.9', nodeName: 'aks-5', source: 'recorded' },
    ]);
  });
});

describe('nodesThatAnswer: the recorded nodes withRecords reads', () => {
  // Addresses of the designs' node subnets and pod CIDR, so that nodes often share them.
  // The overlay's slot IPs (.4-.6) and blocks (10.244.0-2.0/24), so that nodes sit in each
  // other's slots as after an upgrade.
  const addresses = [
    '10.240.0.4',
    '10.240.0.5',
    '10.240.0.6',
    '10.240.0.35',
    '10.240.0.66',
    '10.240.0.8',
    '10.240.0.40',
    '10.240.0.97',
  ];
  const podCidrs = ['10.244.0.0/24', '10.244.1.0/24', '10.244.2.0/24', '10.244.7.0/24'];
  const nodes = fc.uniqueArray(
    fc.record({
      name: fc.constantFrom(...Array.from({ length: 12 }, (_, i) => `aks-${i}`)),
      nodeIp: fc.option(fc.constantFrom(...addresses), { nil: null }),
      podCidr: fc.option(fc.constantFrom(...podCidrs), { nil: undefined }),
      pool: fc.constantFrom('system', 'system', 'gpu'),
    }),
    { selector: (n) => n.name, maxLength: 10 },
  );

  it('gives withRecords the same answer as every node would, for any nodes sharing addresses', () => {
    const designs = [cni(), overlay()];
    const looked = [...addresses, '10.244.0.9', '10.244.1.200', '10.244.2.7', '10.244.7.9', '10.244.9.1'];
    fc.assert(
      fc.property(nodes, fc.constantFrom(...looked), fc.integer({ min: 0, max: 1 }), (drawn, text, d) => {
        const design = designs[d] as ReturnType<typeof plan>;
        const all = drawn
          .map((n) => node(n.name, n.pool, n.nodeIp, n.podCidr))
          .sort((a, b) => (a.name < b.name ? -1 : 1));
        const address = ip(text);
        const layout = design.model.lookup(address);
        const kept = nodesThatAnswer(address, layout, all, slotBlocks(design.model, layout));
        expect(kept.length).toBeLessThanOrEqual(2 + 2 * layout.length);
        expect(withRecords(address, layout, matchNodes(design.model, kept))).toEqual(
          withRecords(address, layout, matchNodes(design.model, all)),
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe('lookups with recorded nodes after an upgrade', () => {
  // Five overlay slots: node IPs .4-.8, blocks 10.244.0-4.0/24. Nodes as an import records them:
  // each InternalIP and pod CIDR at most once, anywhere among the slots' or outside them.
  const design = () =>
    plan({
      network: { plugin: 'azure-cni-overlay', nodeSubnet: '10.240.0.0/24', podCidr: '10.244.0.0/16' },
      nodePools: [
        { name: 'system', nodeCount: 3 },
        { name: 'gpu', mode: 'User', nodeCount: 2 },
      ],
    });
  const nodeIps = ['10.240.0.4', '10.240.0.5', '10.240.0.6', '10.240.0.7', '10.240.0.8', '10.240.0.20'];
  const blocks = [
    '10.244.0.0/24',
    '10.244.1.0/24',
    '10.244.2.0/24',
    '10.244.3.0/24',
    '10.244.4.0/24',
    '10.244.9.0/24',
  ];
  const recorded = fc
    .tuple(
      fc.shuffledSubarray(nodeIps),
      fc.shuffledSubarray(blocks),
      fc.array(fc.constantFrom('system', 'gpu'), { minLength: 6, maxLength: 6 }),
    )
    .map(([ips, cidrs, pools]) =>
      ips
        .slice(0, Math.min(ips.length, cidrs.length))
        .map((nodeIp, k) => node(`aks-${k}`, pools[k] as string, nodeIp, cidrs[k])),
    );

  it('never names one node IP for two slots, nor one slot with two node IPs', () => {
    const { model } = design();
    const asked = [...nodeIps, ...blocks.map((b) => b.replace('.0/24', '.9'))].map(ip);
    fc.assert(
      fc.property(recorded, (nodes) => {
        const slotsOfIp = new Map<string, Set<string>>();
        const ipsOfSlot = new Map<string, Set<string>>();
        for (const address of asked) {
          const layout = model.lookup(address);
          const kept = nodesThatAnswer(address, layout, nodes, slotBlocks(model, layout));
          for (const m of withRecords(address, layout, matchNodes(model, kept))) {
            if (m.nodeIp === undefined || m.nodeIndex === undefined) continue;
            const slot = `${m.pool}/${m.nodeIndex}`;
            const nodeIp = m.nodeIp.toString();
            slotsOfIp.set(nodeIp, new Set([...(slotsOfIp.get(nodeIp) ?? []), slot]));
            ipsOfSlot.set(slot, new Set([...(ipsOfSlot.get(slot) ?? []), nodeIp]));
          }
        }
        for (const [nodeIp, slots] of slotsOfIp)
          expect([nodeIp, [...slots]]).toEqual([nodeIp, [...slots].slice(0, 1)]);
        for (const [slot, ips] of ipsOfSlot) expect([slot, [...ips]]).toEqual([slot, [...ips].slice(0, 1)]);
      }),
      { numRuns: 300 },
    );
  });
});
