import type { RangeKind } from '../design/range-kind.js';
import type { Cidr, IpAddress } from '../ip/index.js';
import type { AddressInterval } from './address-history.js';

/** An interval without its address: what held it, and when. */
export type HolderInterval = Omit<AddressInterval, 'ip'>;

/** The pod that held an address, as a lookup names it. */
export interface PodRef {
  readonly namespace: string;
  readonly name: string;
  readonly ownerKind: string | null;
  readonly ownerName: string | null;
}

/** A recorded pod's match in one range of a plan: the pod, its node and slot, the interval. */
export interface RecordedPodMatch {
  readonly role: 'pod';
  readonly kind: RangeKind;
  readonly range: Cidr;
  readonly pool?: string;
  readonly nodeIndex?: number;
  readonly nodeIp?: IpAddress;
  readonly nodeName?: string;
  readonly source: 'recorded';
  readonly pod: PodRef;
  readonly interval: { readonly from: string; readonly to: string | null };
}

/** Where a pod's node is: its pool and slot, and its address. */
export interface PodNode {
  readonly pool?: string | undefined;
  readonly index?: number | undefined;
  readonly nodeIp?: IpAddress | undefined;
}

/**
 * The matches the recorded intervals give an address in one range: one per pod that held it
 * then. Host-network pods are left out: their address is their node's, which the node answers.
 * `nodeOf` says where the pod's node is: recorded, or as the plan predicts the address.
 */
export function recordedPodMatches<T extends HolderInterval>(
  intervals: readonly T[],
  kind: RangeKind,
  range: Cidr,
  nodeOf: (interval: T) => PodNode | undefined,
): RecordedPodMatch[] {
  const matches: RecordedPodMatch[] = [];
  for (const i of intervals) {
    if (i.hostNetwork) continue;
    // Built field by field: a flow log asks this of every line, and spreads allocate.
    const match: { -readonly [K in keyof RecordedPodMatch]: RecordedPodMatch[K] } = {
      role: 'pod',
      kind,
      range,
      source: 'recorded',
      pod: { namespace: i.namespace, name: i.pod, ownerKind: i.ownerKind, ownerName: i.ownerName },
      interval: { from: i.from, to: i.to },
    };
    const node = nodeOf(i);
    if (node?.pool !== undefined) match.pool = node.pool;
    if (node?.index !== undefined) match.nodeIndex = node.index;
    if (node?.nodeIp !== undefined) match.nodeIp = node.nodeIp;
    if (i.node !== null) match.nodeName = i.node;
    matches.push(match);
  }
  return matches;
}
