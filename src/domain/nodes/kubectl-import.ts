import { AKS } from '../aks-limits.js';
import { DomainError, type Problem } from '../errors.js';
import { Cidr, IpAddress } from '../ip/index.js';
import {
  field,
  type ItemFields,
  isObject,
  type Json,
  KUBERNETES_NAMES,
  KubectlListReader,
  NamesSeen,
  nameProblem,
} from '../kubectl-list.js';
import { nodePodCidrProblem, type RealNode } from './real-node.js';

/** Labels AKS puts on a node naming its pool, newest first. */
const POOL_LABELS = ['kubernetes.azure.com/agentpool', 'agentpool'];
const CODE = 'KUBECTL_NODES_INVALID';

/** A node the list names that is in no pool: left out of the record, said in the answer. */
export interface SkippedNode {
  readonly name: string;
  readonly reason: string;
}

/** What a node list records, and what it leaves out. */
export interface KubectlNodes {
  readonly nodes: RealNode[];
  readonly skipped: SkippedNode[];
}

/**
 * AKS's virtual node (the ACI connector, `virtual-node-aci-linux`) carries this label and no
 * agentpool label: its pods run in Azure Container Instances on a subnet of their own, so it
 * holds no slot of the plan.
 */
const VIRTUAL_KUBELET = { label: 'type', value: 'virtual-kubelet' };
const VIRTUAL_REASON =
  'a virtual node (type=virtual-kubelet): its pods run in Azure Container Instances on their own subnet, in no node pool of the plan';

/** The fields of a node item `parseKubectlNodes` reads (see `projected`). */
export const KUBECTL_NODE_FIELDS: ItemFields = {
  metadata: {
    name: true,
    labels: Object.fromEntries([...POOL_LABELS, VIRTUAL_KUBELET.label].map((label) => [label, true])),
  },
  status: { addresses: true },
  spec: { podCIDR: true, podCIDRs: true },
};

/** A value quoted for a message, cut short: a document may hold anything. */
function quoted(value: Json): string {
  const text = JSON.stringify(value) ?? 'nothing';
  return text.length > 64 ? `${text.slice(0, 61)}...` : text;
}

/**
 * The nodes of `kubectl get nodes -o json` (a List with items), as they are: the name, the
 * InternalIP, spec.podCIDR or the IPv4 entry of spec.podCIDRs (and a dual-stack node's IPv6 entry),
 * and the agentpool label. The
 * document is untrusted JSON: every shape is checked, and every unusable item is reported at
 * once with the path of what is wrong.
 */
export function parseKubectlNodes(document: Json): KubectlNodes {
  return readKubectlNodes(document).readAll();
}

/** A node list read a few items at a time (see KubectlListReader): 5,000 nodes take tens of ms. */
export function readKubectlNodes(document: Json): KubectlListReader<KubectlNodes> {
  // More nodes than a cluster can have is no cluster's list, and would grow every answer about it.
  const items = field(document, 'items');
  if (Array.isArray(items) && items.length > AKS.maxNodesPerCluster) {
    throw DomainError.invalid(
      CODE,
      'items',
      `${items.length} nodes: an AKS cluster has at most ${AKS.maxNodesPerCluster.toLocaleString('en-US')}`,
    );
  }
  const names = new NamesSeen(CODE, 'node');
  const held = new AddressesHeld();
  const skipped: SkippedNode[] = [];
  const nodes: RealNode[] = [];
  const readItem = (item: Json, at: string): readonly Problem[] | undefined => {
    const virtual = virtualNodeName(item);
    if (virtual !== undefined) {
      const twice = names.twice(virtual, at);
      if (twice === undefined) skipped.push({ name: virtual, reason: VIRTUAL_REASON });
      return twice?.problems;
    }
    const parsed = parseItem(item, at);
    if ('problems' in parsed) return parsed.problems;
    const twice = [...(names.twice(parsed.name, at)?.problems ?? []), ...held.twice(parsed, at)];
    if (twice.length === 0) nodes.push(parsed);
    return twice.length === 0 ? undefined : twice;
  };
  return new KubectlListReader(document, CODE, 'kubectl get nodes -o json', readItem, () => {
    // Every AKS cluster keeps a System node: a list without one node is a kubectl that read
    // another context, or nothing, and taken as it is it would forget every node recorded.
    if (nodes.length === 0)
      throw DomainError.invalid(
        CODE,
        'items',
        'the list holds no node of an agent pool: an AKS cluster always has one',
      );
    return { nodes, skipped };
  });
}

/**
 * The node IPs and pod CIDRs of the nodes read so far: Azure gives no two VMs one address, and
 * the node IPAM controller no two nodes one block, so a list holding one twice is no cluster's.
 */
class AddressesHeld {
  private readonly seen = new Map<string, string>();

  twice(node: RealNode, at: string): Problem[] {
    const held: [IpAddress | Cidr | null | undefined, string][] = [
      [node.nodeIp, `${at}.status.addresses`],
      [node.podCidr, `${at}.spec.podCIDR`],
      [node.ipv6PodCidr, `${at}.spec.podCIDRs`],
    ];
    return held.flatMap(([value, path]) => {
      if (value === null || value === undefined) return [];
      const key = value.toString();
      const first = this.seen.get(key);
      if (first === undefined) this.seen.set(key, node.name);
      return first === undefined
        ? []
        : [{ code: CODE, path, message: `node ${node.name} has ${key}, as node ${first} has` }];
    });
  }
}

/** The name of a virtual node with a valid name and no agentpool label; undefined otherwise. */
function virtualNodeName(item: Json): string | undefined {
  const labels = field(field(item, 'metadata'), 'labels');
  if (field(labels, VIRTUAL_KUBELET.label) !== VIRTUAL_KUBELET.value) return undefined;
  if (POOL_LABELS.some((key) => field(labels, key) !== undefined)) return undefined;
  const name = field(field(item, 'metadata'), 'name');
  return typeof name === 'string' && nameProblem(name, KUBERNETES_NAMES.object) === undefined
    ? name
    : undefined;
}

function parseItem(item: Json, at: string): RealNode | { problems: Problem[] } {
  const problems: Problem[] = [];
  const refuse = (path: string, message: string) => problems.push({ code: CODE, path, message });
  if (!isObject(item)) {
    refuse(at, 'a node item must be an object');
    return { problems };
  }
  const name = field(item.metadata, 'name');
  if (typeof name !== 'string' || name === '') {
    refuse(`${at}.metadata.name`, 'a node needs a name');
    return { problems };
  }
  const badName = nameProblem(name, KUBERNETES_NAMES.object);
  if (badName !== undefined) {
    refuse(`${at}.metadata.name`, badName);
    return { problems };
  }
  const labels = field(item.metadata, 'labels');
  const label = POOL_LABELS.find((key) => typeof field(labels, key) === 'string');
  const pool = label === undefined ? undefined : (field(labels, label) as string);
  if (label === undefined || pool === undefined) {
    refuse(`${at}.metadata.labels`, `node ${name} has no kubernetes.azure.com/agentpool label`);
  } else {
    const badPool = nameProblem(pool, KUBERNETES_NAMES.labelValue);
    if (badPool !== undefined) refuse(`${at}.metadata.labels["${label}"]`, badPool);
  }
  const nodeIp = internalIp(item.status, `${at}.status.addresses`, refuse);
  const cidrs = podCidrsOf(item.spec, `${at}.spec`, refuse);
  const podCidr = cidrs.find((c) => c.family === 4) ?? cidrs[0] ?? null;
  if (problems.length === 0 && nodeIp === null && podCidr === null) {
    refuse(`${at}.status.addresses`, `node ${name} has neither an InternalIP nor a pod CIDR`);
  }
  if (problems.length > 0 || typeof pool !== 'string') return { problems };
  // Dual-stack: the IPv6 block too, so that IPv6 pod addresses name the node that holds them.
  const ipv6 = podCidr?.family === 4 ? cidrs.find((c) => c.family === 6) : undefined;
  return ipv6 === undefined
    ? { name, pool, nodeIp, podCidr }
    : { name, pool, nodeIp, podCidr, ipv6PodCidr: ipv6 };
}

type Refuse = (path: string, message: string) => void;

/** The IPv4 InternalIP, else the first InternalIP, else null. */
function internalIp(status: Json, at: string, refuse: Refuse): IpAddress | null {
  const addresses = field(status, 'addresses') ?? [];
  if (!Array.isArray(addresses)) {
    refuse(at, 'status.addresses must be a list');
    return null;
  }
  const internal = addresses.flatMap((entry, j) => {
    if (field(entry, 'type') !== 'InternalIP') return [];
    const text = field(entry, 'address');
    const address = typeof text === 'string' ? IpAddress.tryParse(text) : undefined;
    if (address === undefined) refuse(`${at}[${j}].address`, `${quoted(text)} is not an IP address`);
    return address === undefined ? [] : [address];
  });
  return internal.find((a) => a.family === 4) ?? internal[0] ?? null;
}

/**
 * spec.podCIDR and the entries of spec.podCIDRs, in that order, each once. Kubernetes gives a
 * node at most one pod CIDR per family (podCIDR is podCIDRs[0]): a longer list, or two of one
 * family, is no node's, and is refused rather than read in part.
 */
function podCidrsOf(spec: Json, at: string, refuse: Refuse): Cidr[] {
  const list = field(spec, 'podCIDRs') ?? [];
  if (!Array.isArray(list)) {
    refuse(`${at}.podCIDRs`, 'spec.podCIDRs must be a list');
    return [];
  }
  const single = field(spec, 'podCIDR');
  if (list.length > MAX_POD_CIDRS) {
    refuse(`${at}.podCIDRs`, `spec.podCIDRs lists ${list.length} CIDRs; a node has at most one per family`);
    return [];
  }
  if (single !== undefined && list.length > 0 && single !== list[0]) {
    refuse(`${at}.podCIDR`, `spec.podCIDR ${quoted(single)} is not spec.podCIDRs[0] ${quoted(list[0])}`);
    return [];
  }
  const given: { text: Json; path: string }[] = [
    ...(single === undefined ? [] : [{ text: single, path: `${at}.podCIDR` }]),
    ...list.map((text, k) => ({ text, path: `${at}.podCIDRs[${k}]` })),
  ];
  const cidrs: Cidr[] = [];
  for (const { text, path } of given) {
    const cidr = typeof text === 'string' ? Cidr.tryParse(text) : undefined;
    const problem = cidr === undefined ? `${quoted(text)} is not a CIDR` : nodePodCidrProblem(cidr);
    if (problem !== undefined) refuse(path, problem);
    else if (cidr !== undefined && !cidrs.some((known) => known.equals(cidr))) {
      if (cidrs.some((known) => known.family === cidr.family))
        refuse(path, `${cidr} is a second IPv${cidr.family} pod CIDR; a node has at most one per family`);
      else cidrs.push(cidr);
    }
  }
  return cidrs;
}

/** Pod CIDRs a node's spec lists at most: one IPv4 and one IPv6 (dual-stack). */
const MAX_POD_CIDRS = 2;
