import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cidr, IpAddress } from '../../../src/domain/ip/index.js';
import { type MatchedNode, matchNodes, type RealNode } from '../../../src/domain/nodes/real-node.js';
import { nodesThatAnswer, withRecords } from '../../../src/domain/nodes/recorded-matches.js';
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
    // Its old predicted block is not confirmed by the node IP alone: the node's pod CIDR is elsewhere.
    expect(sourced(overlay(), '10.244.0.9', [moved])).toEqual([
      { role: 'pod', pool: 'system', nodeIndex: 0, nodeIp: '10.240.0.4', source: 'predicted' },
    ]);
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
  const addresses = ['10.240.0.4', '10.240.0.35', '10.240.0.66', '10.240.0.8', '10.240.0.40', '10.240.0.97'];
  const podCidrs = ['10.244.0.0/24', '10.244.1.0/24', '10.244.7.0/24'];
  const nodes = fc.uniqueArray(
    fc.record({
      name: fc.constantFrom(...Array.from({ length: 12 }, (_, i) => `aks-${i}`)),
      nodeIp: fc.option(fc.constantFrom(...addresses), { nil: null }),
      podCidr: fc.option(fc.constantFrom(...podCidrs), { nil: undefined }),
    }),
    { selector: (n) => n.name, maxLength: 10 },
  );

  it('gives withRecords the same answer as every node would, for any nodes sharing addresses', () => {
    const designs = [cni(), overlay()];
    const looked = [...addresses, '10.244.0.9', '10.244.1.200', '10.244.7.9', '10.244.9.1'];
    fc.assert(
      fc.property(nodes, fc.constantFrom(...looked), fc.integer({ min: 0, max: 1 }), (drawn, text, d) => {
        const design = designs[d] as ReturnType<typeof plan>;
        const all = drawn
          .map((n) => node(n.name, 'system', n.nodeIp, n.podCidr))
          .sort((a, b) => (a.name < b.name ? -1 : 1));
        const address = ip(text);
        const layout = design.model.lookup(address);
        const kept = nodesThatAnswer(address, layout, all);
        expect(kept.length).toBeLessThanOrEqual(2 + layout.length);
        expect(withRecords(address, layout, matchNodes(design.model, kept))).toEqual(
          withRecords(address, layout, matchNodes(design.model, all)),
        );
      }),
      { numRuns: 300 },
    );
  });
});
