import { Cidr, type IpAddress } from '../ip/index.js';
import type { RealNode } from './real-node.js';

/**
 * A plan's recorded nodes in memory, found by name, by node IP, and by the pod CIDR holding an
 * address: the answers of the store's `nodesAt`, without a query. Pod CIDRs are probed only at
 * the prefix lengths some node has (usually one).
 */
export class NodeDirectory {
  private readonly byName = new Map<string, RealNode>();
  private readonly byIp = new Map<string, RealNode[]>();
  private readonly byPodCidr = new Map<string, RealNode[]>();
  private readonly podLengths: Record<4 | 6, number[]> = { 4: [], 6: [] };

  constructor(nodes: readonly RealNode[]) {
    for (const node of nodes) {
      this.byName.set(node.name, node);
      if (node.nodeIp !== null) push(this.byIp, node.nodeIp.toString(), node);
      for (const cidr of [node.podCidr, node.ipv6PodCidr]) {
        if (cidr == null) continue;
        push(this.byPodCidr, cidr.toString(), node);
        const lengths = this.podLengths[cidr.family];
        if (!lengths.includes(cidr.prefixLength)) lengths.push(cidr.prefixLength);
      }
    }
    for (const list of [...this.byIp.values(), ...this.byPodCidr.values()]) list.sort(byName);
  }

  get size(): number {
    return this.byName.size;
  }

  named(name: string): RealNode | undefined {
    return this.byName.get(name);
  }

  /** The nodes whose node IP is one of `nodeIps` or whose pod CIDR holds one of `podAddresses`, by name. */
  at(nodeIps: readonly IpAddress[], podAddresses: readonly IpAddress[]): RealNode[] {
    const lists: RealNode[][] = [];
    const add = (list: RealNode[] | undefined) => {
      if (list !== undefined && !lists.includes(list)) lists.push(list);
    };
    for (const ip of nodeIps) add(this.byIp.get(ip.toString()));
    for (const address of podAddresses) {
      for (const length of this.podLengths[address.family]) {
        add(this.byPodCidr.get(Cidr.containing(address, length).toString()));
      }
    }
    // Usually one list, sorted already: many nodes may share an address (an import allows it).
    return lists.length <= 1 ? [...(lists[0] ?? [])] : mergedByName(lists);
  }
}

/**
 * Lists sorted by name merged into one, each node once: a pass, where a set and a sort of 1,000
 * nodes sharing a pod CIDR cost about 115 µs a lookup. Nodes of one name come in list order.
 */
function mergedByName(lists: readonly (readonly RealNode[])[]): RealNode[] {
  const merged: RealNode[] = [];
  const next = lists.map(() => 0);
  for (;;) {
    let first: RealNode | undefined;
    for (let k = 0; k < lists.length; k++) {
      const node = (lists[k] as readonly RealNode[])[next[k] as number];
      if (node !== undefined && (first === undefined || node.name < first.name)) first = node;
    }
    if (first === undefined) return merged;
    // Every list's run of that name; a node in two lists (its IP and its pod CIDR) once.
    const run = merged.length;
    for (let k = 0; k < lists.length; k++) {
      const list = lists[k] as readonly RealNode[];
      let at = next[k] as number;
      for (let node = list[at]; node !== undefined && node.name === first.name; node = list[++at]) {
        if (!merged.includes(node, run)) merged.push(node);
      }
      next[k] = at;
    }
  }
}

const byName = (a: RealNode, b: RealNode) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function push(map: Map<string, RealNode[]>, key: string, node: RealNode): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [node]);
  else list.push(node);
}
