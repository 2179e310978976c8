import type { IpAddress } from '../ip/index.js';
import type { AddressMatch, AddressRole, NodeSlot } from '../layout/layout-types.js';
import type { PlanModel } from '../plan/plan-model.js';
import { givesNodesPodCidrs, type MatchedNode, type RealNode, type SlotKey, slotKey } from './real-node.js';

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
 * when a recorded node has the node IP it names, else `predicted`, but for what the records
 * contradict (see `contradicted`). `recorded` holds the plan's recorded nodes at the address, at
 * the node IPs the matches name, and in the slots they name (`slotBlocks`), with their slots.
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
    if (confirmedBy !== undefined) return recordedMatch(match, match.role, confirmedBy);
    return contradicted(match, recorded) ?? { ...match, source: 'predicted' };
  });
}

/**
 * What is left of a prediction the recorded nodes contradict, where a node found by its pod CIDR
 * (overlay, kubenet) sits at another address than its slot's planned one, as after an upgrade:
 * the planned node IP of a slot whose recorded node is elsewhere is no node's by the records
 * (`unassigned`, saying where that node is), and a pod CIDR block whose planned node IP a node of
 * another slot holds keeps its slot without that IP, so that a node IP never answers for two slots.
 */
function contradicted(match: AddressMatch, recorded: readonly MatchedNode[]): SourcedMatch | undefined {
  if (match.role === 'node' && match.kind === 'node-subnet') {
    const holder = slotHolder(recorded, match);
    if (holder === undefined) return undefined;
    const { name, nodeIp } = holder.node;
    return {
      role: 'unassigned',
      kind: match.kind,
      range: match.range,
      note: `no recorded node has this address: the node planned here (pool ${match.pool}, node ${match.nodeIndex}) is recorded as ${name} at ${nodeIp}`,
    };
  }
  if (match.kind !== 'pod-cidr') return undefined;
  const atNodeIp = recorded.find((r) => hasNodeIp(r.node, match.nodeIp));
  // A dual-stack slot's node, found by its IPv4 block, may hold another /80 at another IP.
  const holder = slotHolder(recorded, match);
  const elsewhere =
    (atNodeIp !== undefined && !holdsSlotOf(atNodeIp, match)) ||
    (holder !== undefined && !hasNodeIp(holder.node, match.nodeIp));
  if (!elsewhere) return undefined;
  const { nodeIp: _taken, ...slot } = match;
  return { ...slot, source: 'predicted' };
}

/** The recorded node with an IP that sits in the slot a match names, if any. */
const slotHolder = (recorded: readonly MatchedNode[], match: AddressMatch) =>
  recorded.find((r) => r.node.nodeIp !== null && holdsSlotOf(r, match));

/** Whether a recorded node sits in the slot a match names, in its own pool (as lookups name it). */
const holdsSlotOf = ({ node, slot }: MatchedNode, match: AddressMatch) =>
  slot !== null && slot.pool === node.pool && slot.pool === match.pool && slot.index === match.nodeIndex;

/** The pod CIDR block of a node slot a match names: its pool, and the block's first address. */
export interface SlotBlock {
  readonly pool: string;
  readonly first: IpAddress;
}

/**
 * The pod CIDR block of each slot whose planned node IP, or IPv6 pod block, a match names, for
 * plugins that give each node a block (overlay, kubenet): the recorded node whose (IPv4) pod
 * CIDR holds its first address sits in that slot, wherever its node IP and its /80 are.
 */
export function slotBlocks(model: PlanModel, matches: readonly AddressMatch[]): SlotBlock[] {
  const blocks: SlotBlock[] = [];
  if (!givesNodesPodCidrs(model)) return blocks; // nodes sit in slots by their IP alone
  for (const { role, kind, range, pool, nodeIndex } of matches) {
    const ipv6Pods = role === 'pod' && kind === 'pod-cidr' && range.family === 6;
    if ((role !== 'node' && !ipv6Pods) || pool === undefined || nodeIndex === undefined) continue;
    const [slot] = model.slots({ pool, offset: nodeIndex, limit: 1 });
    if (slot?.podCidr != null) blocks.push({ pool, first: slot.podCidr.first });
  }
  return blocks;
}

/**
 * The recorded nodes `withRecords` reads of `nodes` (in their order): the first at the address,
 * the first whose pod CIDR holds it, the first at each node IP a match names, and the first of
 * each block's pool, with a node IP, whose pod CIDR holds the block (`slotBlocks`). An import may
 * record many nodes at one address (Kubernetes does not refuse it); matching each of them to a
 * slot, for every lookup of that address, cost seconds a batch.
 */
export function nodesThatAnswer(
  address: IpAddress,
  matches: readonly AddressMatch[],
  nodes: readonly RealNode[],
  blocks: readonly SlotBlock[] = [],
): RealNode[] {
  const answering = new Set<RealNode>();
  const firstOf = (test: (node: RealNode) => boolean) => {
    const found = nodes.find(test);
    if (found !== undefined) answering.add(found);
  };
  firstOf((node) => hasNodeIp(node, address));
  firstOf((node) => podCidrHolds(node, address));
  for (const match of matches) {
    if (match.role === 'node' || match.role === 'pod') firstOf((node) => hasNodeIp(node, match.nodeIp));
  }
  for (const { pool, first } of blocks) {
    firstOf((node) => node.nodeIp !== null && node.pool === pool && podCidrHolds(node, first));
  }
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
  // A set: a page of 1,000 slots over 1,000 recorded nodes asks it 1,000 times.
  const held = new Set(
    recorded.flatMap(({ node }) => (node.nodeIp === null ? [] : [node.nodeIp.toString()])),
  );
  return slots.map((s) => {
    const node = nodes.get(slotKey(s));
    // Matched by its pod CIDR, a node may hold another IP than the slot's planned one: the
    // recorded node wins, as in lookups. A slot keeps its planned IP unless a recorded node
    // holds it, so that a slot never names one node beside another's IP.
    const planned = s.nodeIp;
    const plannedIp = planned !== null && held.has(planned.toString()) ? null : planned;
    if (node === undefined) return plannedIp === planned ? s : { ...s, nodeIp: plannedIp };
    return { ...s, nodeName: node.name, nodeIp: node.nodeIp ?? plannedIp };
  });
}
