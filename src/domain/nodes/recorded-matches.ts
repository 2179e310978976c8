import type { IpAddress } from '../ip/index.js';
import type { AddressMatch, AddressRole, NodeSlot } from '../layout/layout-types.js';
import { type MatchedNode, type SlotKey, slotKey } from './real-node.js';

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
  const atIp = recorded.find((r) => r.node.nodeIp?.equals(address));
  const atPods = recorded.find(
    (r) => r.node.podCidr?.contains(address) || r.node.ipv6PodCidr?.contains(address),
  );
  return matches.map((match): SourcedMatch => {
    if (match.kind === 'node-subnet' && atIp !== undefined) return recordedMatch(match, 'node', atIp);
    if (match.kind === 'pod-cidr' && atPods !== undefined) return recordedMatch(match, 'pod', atPods);
    if (match.role !== 'node' && match.role !== 'pod') return match;
    // A pod CIDR block is confirmed by the node's pod CIDR only, never by its node IP.
    const confirmedBy =
      match.kind === 'pod-cidr' ? undefined : recorded.find((r) => sameAddress(r.node.nodeIp, match.nodeIp));
    return confirmedBy === undefined
      ? { ...match, source: 'predicted' }
      : recordedMatch(match, match.role, confirmedBy);
  });
}

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

function sameAddress(a: IpAddress | null | undefined, b: IpAddress | undefined): boolean {
  return a != null && b !== undefined && a.equals(b);
}

/** The name of the recorded node in each slot of a page (the first by name when several claim it). */
export function namesInSlots(
  slots: readonly NodeSlot[],
  recorded: readonly MatchedNode[],
): (NodeSlot & { nodeName?: string })[] {
  const names = new Map<SlotKey, string>();
  for (const { node, slot } of [...recorded].sort((a, b) => (a.node.name < b.node.name ? -1 : 1))) {
    if (slot !== null && !names.has(slotKey(slot))) names.set(slotKey(slot), node.name);
  }
  return slots.map((s) => {
    const nodeName = names.get(slotKey(s));
    return nodeName === undefined ? s : { ...s, nodeName };
  });
}
