import type { IpAddress } from '../ip/index.js';
import type { AddressMatch, AddressRole, NodeSlot } from '../layout/layout-types.js';
import { type MatchedNode, type RealNode, type SlotKey, slotKey } from './real-node.js';

/** Where a node or pod match comes from: a recorded node, or the plan's prediction. */
export type MatchSource = 'recorded' | 'predicted';

export interface SourcedMatch extends AddressMatch {
  /** Present on node and pod matches. */
  readonly source?: MatchSource;
  /** The recorded node the match names. */
  readonly nodeName?: string;
}

/**
 * A plan's matches for `address`, with what its recorded nodes say. A layout predicts a freshly
 * created cluster; real nodes move after upgrades and scale-downs, so a recorded node that holds
 * the address wins over the prediction: the node whose node IP it is (in the node subnet), or for
 * pod CIDR plugins the node whose pod CIDR holds it. Any other node or pod match is `recorded`
 * when a recorded node has the node IP it names, else `predicted`. `recorded` holds the plan's
 * recorded nodes at the address or at the node IPs the matches name, with their slots.
 */
export function withRecords(
  address: IpAddress,
  matches: readonly AddressMatch[],
  recorded: readonly MatchedNode[],
): SourcedMatch[] {
  const atIp = recorded.find((r) => hasNodeIp(r.node, address));
  const atPods = recorded.find((r) => podCidrHolds(r.node, address));
  return matches.map((match): SourcedMatch => {
    if (match.kind === 'node-subnet' && atIp !== undefined) return recordedMatch(match, 'node', atIp);
    if (match.kind === 'pod-cidr' && atPods !== undefined) return recordedMatch(match, 'pod', atPods);
    if (match.role !== 'node' && match.role !== 'pod') return match;
    // A pod CIDR block is confirmed by the node's pod CIDR only, never by its node IP.
    const confirmedBy = confirms(match) ? recorded.find((r) => hasNodeIp(r.node, match.nodeIp)) : undefined;
    return confirmedBy === undefined
      ? { ...match, source: 'predicted' }
      : recordedMatch(match, match.role, confirmedBy);
  });
}

/**
 * The recorded nodes `withRecords` reads of `nodes` (in their order): the first at the address,
 * the first whose pod CIDR holds it, and the first at each node IP a match names. An import may
 * record many nodes at one address (Kubernetes does not refuse it); matching each of them to a
 * slot, for every lookup of that address, cost seconds a batch.
 */
export function nodesThatAnswer(
  address: IpAddress,
  matches: readonly AddressMatch[],
  nodes: readonly RealNode[],
): RealNode[] {
  const answering = new Set<RealNode>();
  const firstOf = (test: (node: RealNode) => boolean) => {
    const found = nodes.find(test);
    if (found !== undefined) answering.add(found);
  };
  firstOf((node) => hasNodeIp(node, address));
  firstOf((node) => podCidrHolds(node, address));
  for (const match of matches) if (confirms(match)) firstOf((node) => hasNodeIp(node, match.nodeIp));
  return nodes.filter((node) => answering.has(node));
}

const hasNodeIp = (node: RealNode, address: IpAddress | undefined) =>
  address !== undefined && node.nodeIp?.equals(address) === true;

const podCidrHolds = (node: RealNode, address: IpAddress) =>
  node.podCidr?.contains(address) === true || node.ipv6PodCidr?.contains(address) === true;

/** Whether a recorded node at the match's node IP confirms it (a pod CIDR block needs its pod CIDR). */
const confirms = (match: AddressMatch) =>
  (match.role === 'node' || match.role === 'pod') && match.kind !== 'pod-cidr';

function recordedMatch(match: AddressMatch, role: AddressRole, { node, slot }: MatchedNode): SourcedMatch {
  const ownSlot = slot !== null && slot.pool === node.pool ? { nodeIndex: slot.index } : {};
  return {
    role,
    kind: match.kind,
    range: match.range,
    pool: node.pool,
    ...ownSlot,
    ...(node.nodeIp === null ? {} : { nodeIp: node.nodeIp }),
    nodeName: node.name,
    source: 'recorded',
  };
}

/** The name of the recorded node in each slot of a page (the first by name when several claim it). */
export function namesInSlots(
  slots: readonly NodeSlot[],
  recorded: readonly MatchedNode[],
): (NodeSlot & { nodeName?: string })[] {
  // A node recorded in another pool's slot is that pool's in lookups, in no slot: not named here.
  const nodes = new Map<SlotKey, RealNode>();
  for (const { node, slot } of [...recorded].sort((a, b) => (a.node.name < b.node.name ? -1 : 1))) {
    if (slot !== null && slot.pool === node.pool && !nodes.has(slotKey(slot))) nodes.set(slotKey(slot), node);
  }
  const held = recorded.flatMap(({ node }) => (node.nodeIp === null ? [] : [node.nodeIp]));
  return slots.map((s) => {
    const node = nodes.get(slotKey(s));
    if (node === undefined) return s;
    // Matched by its pod CIDR, a node may hold another IP than the slot's planned one: the
    // recorded node wins, as in lookups. One recorded without an IP keeps the planned IP unless
    // another recorded node holds it, so a slot never names one node beside another's IP.
    const planned = s.nodeIp;
    const nodeIp =
      node.nodeIp ?? (planned !== null && held.some((ip) => ip.equals(planned)) ? null : planned);
    return { ...s, nodeName: node.name, nodeIp };
  });
}
