import { describe, expect, it } from 'vitest';
import { DomainError, MAX_LISTED_PROBLEMS } from '../../../src/domain/errors.js';
import { parseKubectlNodes, readKubectlNodes } from '../../../src/domain/nodes/kubectl-import.js';

const item = (overrides: Record<string, unknown> = {}) => ({
  metadata: { name: 'aks-system-0', labels: { 'kubernetes.azure.com/agentpool': 'system' } },
  spec: { podCIDR: '10.244.0.0/24' },
  status: { addresses: [{ type: 'InternalIP', address: '10.240.0.4' }] },
  ...overrides,
});

/** The DomainError `run` throws. */
function rejection(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

const plain = (document: unknown) =>
  parseKubectlNodes(document).nodes.map((n) => ({
    ...n,
    nodeIp: n.nodeIp?.toString() ?? null,
    podCidr: n.podCidr?.toString() ?? null,
    ...(n.ipv6PodCidr == null ? {} : { ipv6PodCidr: n.ipv6PodCidr.toString() }),
  }));

describe('parseKubectlNodes', () => {
  it('reads 5,000 nodes, the most an AKS cluster has, and refuses 5,001', () => {
    const nodes = (count: number) => ({
      kind: 'List',
      items: Array.from({ length: count }, (_, i) => ({
        metadata: { name: `aks-system-${i}`, labels: { 'kubernetes.azure.com/agentpool': 'system' } },
        status: {
          addresses: [{ type: 'InternalIP', address: `10.${240 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}` }],
        },
      })),
    });
    expect(parseKubectlNodes(nodes(5000)).nodes).toHaveLength(5000);
    expect(rejection(() => parseKubectlNodes(nodes(5001))).problems.map((p) => [p.code, p.path])).toEqual([
      ['KUBECTL_NODES_INVALID', 'items'],
    ]);
  });

  it('reports every bad item at once, each at its own path', () => {
    const document = {
      items: [item(), null, item({ metadata: { name: 'n', labels: {} }, spec: { podCIDR: 'x' } })],
    };
    try {
      parseKubectlNodes(document);
      expect.unreachable();
    } catch (error) {
      expect((error as DomainError).problems.map((p) => p.path)).toEqual([
        'items[1]',
        'items[2].metadata.labels',
        'items[2].spec.podCIDR',
      ]);
    }
  });

  it('refuses an item of more problems than a call takes arguments, listing the first ones', () => {
    const addresses = Array.from({ length: 200_000 }, () => ({ type: 'InternalIP', address: 'x' }));
    try {
      parseKubectlNodes({ items: [item({ status: { addresses } })] });
      expect.unreachable();
    } catch (error) {
      const { problems } = error as DomainError;
      expect(problems).toHaveLength(MAX_LISTED_PROBLEMS);
      expect(problems[0]).toMatchObject({ path: 'items[0].status.addresses[0].address' });
    }
  });

  it('refuses a node name or agentpool label Kubernetes would not accept', () => {
    const document = {
      items: [
        item({ metadata: { name: 'x'.repeat(254), labels: { agentpool: 'system' } } }),
        item({ metadata: { name: 'aks-user-0', labels: { 'kubernetes.azure.com/agentpool': 'sys\ntem' } } }),
      ],
    };
    try {
      parseKubectlNodes(document);
      expect.unreachable();
    } catch (error) {
      expect((error as DomainError).problems.map((p) => p.path)).toEqual([
        'items[0].metadata.name',
        'items[1].metadata.labels["kubernetes.azure.com/agentpool"]',
      ]);
    }
  });

  it('reads the name, the agentpool label, the InternalIP and the pod CIDR', () => {
    expect(plain({ items: [item()] })).toEqual([
      { name: 'aks-system-0', pool: 'system', nodeIp: '10.240.0.4', podCidr: '10.244.0.0/24' },
    ]);
  });

  it('takes the IPv4 entries of a dual-stack node, its IPv6 pod CIDR beside, and the older agentpool label', () => {
    const dual = item({
      metadata: { name: 'n', labels: { agentpool: 'user' } },
      spec: { podCIDRs: ['fd12:3456:789a::/80', '10.244.3.0/24'] },
      status: {
        addresses: [
          { type: 'InternalIP', address: 'fd00::4' },
          { type: 'InternalIP', address: '10.240.0.9' },
        ],
      },
    });
    expect(plain({ items: [dual] })).toEqual([
      {
        name: 'n',
        pool: 'user',
        nodeIp: '10.240.0.9',
        podCidr: '10.244.3.0/24',
        ipv6PodCidr: 'fd12:3456:789a::/80',
      },
    ]);
  });

  it("leaves out AKS's virtual node and names it, where a node without a pool is refused", () => {
    // As `kubectl get nodes -o json` shows the ACI connector: no agentpool label, no pod CIDR.
    const virtual = item({
      metadata: {
        name: 'virtual-node-aci-linux',
        labels: { type: 'virtual-kubelet', 'kubernetes.io/role': 'agent', 'kubernetes.io/os': 'linux' },
      },
      spec: { taints: [{ key: 'virtual-kubelet.io/provider', value: 'azure', effect: 'NoSchedule' }] },
      status: { addresses: [{ type: 'InternalIP', address: '10.240.0.77' }] },
    });
    const parsed = parseKubectlNodes({ items: [item(), virtual] });
    expect(parsed.nodes.map((n) => n.name)).toEqual(['aks-system-0']);
    expect(parsed.skipped).toEqual([
      { name: 'virtual-node-aci-linux', reason: expect.stringMatching(/virtual node/) },
    ]);
    // The label alone does not hide a node of a pool, and a node in no pool is still refused.
    const labelled = item({
      metadata: { name: 'aks-system-1', labels: { agentpool: 'system', type: 'virtual-kubelet' } },
    });
    expect(parseKubectlNodes({ items: [labelled] }).nodes).toHaveLength(1);
    const poolless = { ...virtual, metadata: { name: 'edge-1', labels: { type: 'edge' } } };
    expect(() => parseKubectlNodes({ items: [poolless] })).toThrow(/agentpool/);
    // Listed twice is still not one cluster's list.
    expect(() => parseKubectlNodes({ items: [virtual, virtual] })).toThrow(DomainError);
  });

  it('reads a list a piece at a time as it reads it whole: nodes, skipped ones, and names seen twice', () => {
    const named = (name: string, address: string) =>
      item({
        metadata: { name, labels: { agentpool: 'system' } },
        spec: {},
        status: { addresses: [{ type: 'InternalIP', address }] },
      });
    const virtual = item({
      metadata: { name: 'virtual-node-aci-linux', labels: { type: 'virtual-kubelet' } },
    });
    const good = {
      items: [named('a', '10.240.0.4'), virtual, named('b', '10.240.0.5'), named('c', '10.240.0.6')],
    };
    const reader = readKubectlNodes(good);
    const reads: number[] = [];
    while (!reader.done) {
      reader.read(1);
      reads.push(1);
    }
    expect(reads).toHaveLength(4);
    expect(reader.finish()).toEqual(parseKubectlNodes(good));
    expect(reader.finish().nodes.map((n) => n.name)).toEqual(['a', 'b', 'c']);
    // A name met again in a later piece is refused at its own path.
    const twice = readKubectlNodes({
      items: [named('a', '10.240.0.4'), named('b', '10.240.0.5'), named('a', '10.240.0.6')],
    });
    twice.read(2);
    twice.read(2);
    try {
      twice.finish();
      expect.unreachable();
    } catch (error) {
      expect((error as DomainError).problems.map((p) => p.path)).toEqual(['items[2].metadata.name']);
    }
  });

  it('accepts a node without a pod CIDR (Azure CNI)', () => {
    expect(plain({ items: [item({ spec: {} })] })[0]?.podCidr).toBeNull();
  });

  it.each([
    // not a node list at all
    [{ kind: 'Node' }, 'items'],
    // a node without a name
    [{ items: [item({ metadata: { labels: { agentpool: 'x' } } })] }, 'items[0].metadata.name'],
    // no address to match by
    [{ items: [item({ spec: {}, status: { addresses: [] } })] }, 'items[0].status.addresses'],
    // null items, and items that are not objects
    [{ items: [null] }, 'items[0]'],
    [{ items: ['node'] }, 'items[0]'],
    // metadata that is not an object
    [{ items: [item({ metadata: 'aks-0' })] }, 'items[0].metadata.name'],
    // addresses that are not a list, a null address, an address that is not an IP
    [{ items: [item({ status: { addresses: 'x' } })] }, 'items[0].status.addresses'],
    [
      { items: [item({ status: { addresses: [{ type: 'InternalIP', address: null }] } })] },
      'items[0].status.addresses[0].address',
    ],
    [
      { items: [item({ status: { addresses: [null, { type: 'InternalIP', address: '10.0.0.300' }] } })] },
      'items[0].status.addresses[1].address',
    ],
    // pod CIDRs that are not CIDRs, or not a list
    [{ items: [item({ spec: { podCIDR: '10.244.0.1/24' } })] }, 'items[0].spec.podCIDR'],
    [{ items: [item({ spec: { podCIDRs: {} } })] }, 'items[0].spec.podCIDRs'],
    [{ items: [item({ spec: { podCIDRs: [42] } })] }, 'items[0].spec.podCIDRs[0]'],
    // pod CIDRs no node has: AKS gives each a /24 (a /80 of IPv6); a wider one would own every pod
    [{ items: [item({ spec: { podCIDR: '10.244.0.0/16' } })] }, 'items[0].spec.podCIDR'],
    [{ items: [item({ spec: { podCIDR: '0.0.0.0/0' } })] }, 'items[0].spec.podCIDR'],
    [
      { items: [item({ spec: { podCIDRs: ['10.244.3.0/24', 'fd12:3456:789a::/64'] } })] },
      'items[0].spec.podCIDRs[1]',
    ],
    // more pod CIDRs than a node has: one per family (podCIDR again as podCIDRs[0] is one)
    [
      { items: [item({ spec: { podCIDR: '10.244.3.0/24', podCIDRs: ['10.244.3.0/24', '10.244.4.0/24'] } })] },
      'items[0].spec.podCIDRs[1]',
    ],
    [
      { items: [item({ spec: { podCIDRs: ['10.244.3.0/24', 'fd12::/80', 'fd12:0:0:1::/80'] } })] },
      'items[0].spec.podCIDRs',
    ],
    // podCIDR is podCIDRs[0] when both are given (Kubernetes keeps them so)
    [
      { items: [item({ spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['fd12::/80', '10.244.1.0/24'] } })] },
      'items[0].spec.podCIDR',
    ],
    // a document that is not an object at all
    [null, 'items'],
    [[item()], 'items'],
  ])('refuses %j at %s', (document, path) => {
    try {
      parseKubectlNodes(document);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).problems.map((p) => [p.code, p.path])).toEqual([
        ['KUBECTL_NODES_INVALID', path],
      ]);
    }
  });

  it('refuses two nodes holding one address or one pod CIDR, each at its own path', () => {
    const node = (name: string, address: string, podCIDR: string) =>
      item({
        metadata: { name, labels: { agentpool: 'system' } },
        spec: { podCIDR },
        status: { addresses: [{ type: 'InternalIP', address }] },
      });
    const refused = rejection(() =>
      parseKubectlNodes({
        items: [
          node('a', '10.240.0.4', '10.244.0.0/24'),
          node('b', '10.240.0.4', '10.244.1.0/24'),
          node('c', '10.240.0.6', '10.244.0.0/24'),
        ],
      }),
    );
    expect(refused.problems).toEqual([
      {
        code: 'KUBECTL_NODES_INVALID',
        path: 'items[1].status.addresses',
        message: 'node b has 10.240.0.4, as node a has',
      },
      {
        code: 'KUBECTL_NODES_INVALID',
        path: 'items[2].spec.podCIDR',
        message: 'node c has 10.244.0.0/24, as node a has',
      },
    ]);
  });

  it('refuses a list with no node of an agent pool: an AKS cluster always has its System node', () => {
    const virtual = item({
      metadata: { name: 'virtual-node-aci-linux', labels: { type: 'virtual-kubelet' } },
    });
    for (const items of [[], [virtual]]) {
      expect(rejection(() => parseKubectlNodes({ items })).problems).toEqual([
        {
          code: 'KUBECTL_NODES_INVALID',
          path: 'items',
          message: 'the list holds no node of an agent pool: an AKS cluster always has one',
        },
      ]);
    }
  });
});
