/**
 * What a plan's records say of an address in one of its ranges: the pods recorded then, else
 * its recorded nodes over the layout's prediction, from memory or from the store.
 */
import type { IpAddress } from '../domain/ip/index.js';
import type { AddressMatch } from '../domain/layout/layout-types.js';
import { type LookupAddress, toIpAddress } from '../domain/lookup/lookup-address.js';
import { matchNodes, matchSlot, type RealNode, type SlotRef } from '../domain/nodes/real-node.js';
import {
  nodesThatAnswer,
  type SlotBlock,
  type SourcedMatch,
  slotBlocks,
  withRecords,
} from '../domain/nodes/recorded-matches.js';
import type { PlannedDesign } from '../domain/plan/planner.js';
import { type HolderInterval, type PodNode, recordedPodMatches } from '../domain/pods/recorded-pods.js';
import type { PlanRecords } from '../domain/records/plan-records.js';
import type { Store } from '../store/store.js';
import type { IndexEntry } from './plan-index.js';
import { type PlanMatch, pushSourced, RecordedMatch, rangeMatches } from './plan-matches.js';

/** An address's matches as they are found, at most `limit` of them, and how many were left out. */
export class Found {
  readonly matches: PlanMatch[] = [];
  left = 0;

  constructor(readonly limit: number) {}
}

/**
 * What one plan's records in memory say of an address in one range: the pods recorded at `at`
 * (now without it) where there are any, else its recorded nodes over the layout's prediction.
 */
export function fromRecords(
  found: Found,
  records: PlanRecords,
  address: LookupAddress,
  entry: IndexEntry,
  design: PlannedDesign,
  at: string | undefined,
  expiredBefore: string,
): void {
  const pods = records.podsAt(address.text, at, expiredBefore);
  const ip = toIpAddress(address);
  const sourced = () => {
    const { layout, blocks } = nearby(design, entry, ip);
    const nodes = records.nodesAt(nodeIpsAsked(ip, layout), podAddressesAsked(ip, blocks));
    return sourcedLayout(design, ip, layout, blocks, nodes);
  };
  if (pods.length > 0) {
    // Most pods' nodes are recorded: the layout is read only for those that are not, once.
    let unrecorded: PodNode | undefined | null = null;
    pushPods(found, entry, pods, (i) => {
      const node = records.nodeNamed(i.node);
      if (node !== undefined) return podNode(node, records.slotOf(node, design.model));
      if (unrecorded === null)
        unrecorded = predictsPodNodes(design, entry) ? podNodeOf(sourced()) : undefined;
      return unrecorded;
    });
    return;
  }
  pushSourced(found.matches, entry, sourced());
}

/** The layout's matches of an address in one range, and the pod blocks of the slots they name. */
function nearby(design: PlannedDesign, entry: IndexEntry, ip: IpAddress) {
  const layout = rangeMatches(design, entry, ip);
  return { layout, blocks: slotBlocks(design.model, layout) };
}

/** The layout's matches with what the recorded nodes around the address say of them. */
function sourcedLayout(
  design: PlannedDesign,
  ip: IpAddress,
  layout: readonly AddressMatch[],
  blocks: readonly SlotBlock[],
  nodes: readonly RealNode[],
): SourcedMatch[] {
  // Only the nodes that answer are matched to slots: many may share the address.
  return withRecords(ip, layout, matchNodes(design.model, nodesThatAnswer(ip, layout, nodes, blocks)));
}

/** The node IPs whose recorded nodes could answer an address: its own, and those the layout names. */
function nodeIpsAsked(ip: IpAddress, layout: readonly AddressMatch[]): IpAddress[] {
  return [ip, ...layout.flatMap((m) => (m.nodeIp === undefined ? [] : [m.nodeIp]))];
}

/** The addresses whose pod CIDRs' nodes could answer: its own, and the blocks of the slots named. */
function podAddressesAsked(ip: IpAddress, blocks: readonly SlotBlock[]): IpAddress[] {
  return [ip, ...blocks.map((b) => b.first)];
}

/**
 * Where a recorded pod's recorded node is: its own pool, and its slot only when that slot is the
 * pool's, as a lookup of the node names it (recordedMatch), so that a node and its pods never
 * answer two pools. A node recorded without an IP gives none: its slot's planned IP may be
 * another node's.
 */
function podNode(node: RealNode, slot: SlotRef | null): PodNode {
  const own = slot !== null && slot.pool === node.pool ? slot : null;
  const nodeIp = node.nodeIp ?? undefined;
  return own === null ? { pool: node.pool, nodeIp } : { pool: own.pool, index: own.index, nodeIp };
}

/**
 * Whether the plan predicts a node for a pod address: a dynamic pod subnet hands out addresses
 * to any node, so it predicts none (and flow logs ask this of every line).
 */
function predictsPodNodes(design: PlannedDesign, entry: IndexEntry): boolean {
  return entry.kind !== 'pod-subnet' || design.spec.network.podIpAllocation === 'static-block';
}

/**
 * Where a recorded pod is whose node was never recorded: what a lookup of its address says
 * without pods (the prediction with the recorded nodes around it: a planned node IP that another
 * slot's node holds is not named), so that a recorded pod never says less, nor other.
 */
function podNodeOf(sourced: readonly SourcedMatch[]): PodNode | undefined {
  const pod = sourced.find((m) => m.role === 'pod');
  return pod && { pool: pod.pool, index: pod.nodeIndex, nodeIp: pod.nodeIp };
}

/**
 * The recorded pods' matches, named with their plan, as many as `found` has room for: pods that
 * share an address (recorded so by an import) are counted past that, not matched.
 */
function pushPods<T extends HolderInterval>(
  found: Found,
  entry: IndexEntry,
  pods: readonly T[],
  nodeOf: (pod: T) => PodNode | undefined,
): void {
  const shown: T[] = [];
  for (const pod of pods) {
    if (pod.hostNetwork) continue; // its node answers for its address
    if (found.matches.length + shown.length < found.limit) shown.push(pod);
    else found.left++;
  }
  for (const match of recordedPodMatches(shown, entry.kind, entry.cidr, nodeOf)) {
    found.matches.push(new RecordedMatch(match, entry));
  }
}

/**
 * `recorded` for a plan whose records are past the memory budget: two indexed reads. Retention
 * holds as in memory: what ended before `expiredBefore` is not answered, pruned yet or not.
 */
export async function fromStore(
  store: Store,
  found: Found,
  ip: IpAddress,
  entry: IndexEntry,
  design: PlannedDesign,
  at: string | undefined,
  expiredBefore: string,
): Promise<void> {
  const held = await store.podsAt(entry.planId, [ip], at, expiredBefore);
  const intervals = held.filter((i) => !i.hostNetwork);
  const sourced = async () => {
    const { layout, blocks } = nearby(design, entry, ip);
    const nodes = await store.nodesAt(entry.planId, nodeIpsAsked(ip, layout), podAddressesAsked(ip, blocks));
    return sourcedLayout(design, ip, layout, blocks, nodes);
  };
  if (intervals.length > 0) {
    // The read joins each pod's node record: its slot is arithmetic on the layout. Pods whose
    // node was never recorded share one prediction, with the nodes around it read first.
    const unrecorded =
      intervals.some((i) => !i.nodeRecord) && predictsPodNodes(design, entry)
        ? podNodeOf(await sourced())
        : undefined;
    pushPods(found, entry, intervals, (i) =>
      i.nodeRecord ? podNode(i.nodeRecord, matchSlot(design.model, i.nodeRecord)) : unrecorded,
    );
    return;
  }
  pushSourced(found.matches, entry, await sourced());
}
