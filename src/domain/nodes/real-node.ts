import type { Cidr, IpAddress } from '../ip/index.js';
import type { PlanModel } from '../plan/plan-model.js';

/** A node that exists in the cluster, as recorded by a client or imported from kubectl. */
export interface RealNode {
  readonly name: string;
  /** The pool the node says it belongs to (its agentpool label). */
  readonly pool: string;
  readonly nodeIp: IpAddress | null;
  readonly podCidr: Cidr | null;
  /** A dual-stack node's IPv6 pod CIDR (its /80), beside the IPv4 one in podCidr. */
  readonly ipv6PodCidr?: Cidr | null;
}

/**
 * Why a CIDR cannot be a node's pod CIDR, or undefined when it can: AKS gives each node a /24 of
 * the cluster's pod CIDR, and a /80 of an IPv6 one, never another size. A recorded node's pod
 * CIDR answers lookups of every address it holds, so a wider one (10.244.0.0/16, 0.0.0.0/0) would
 * take the pods of every other node.
 */
export function nodePodCidrProblem(cidr: Cidr): string | undefined {
  const size = cidr.family === 4 ? 24 : 80;
  if (cidr.prefixLength === size) return undefined;
  return `${cidr.toString()} is no node's pod CIDR: AKS gives each node a /${size} of the cluster's pod CIDR`;
}

/** A node slot of a plan. */
export interface SlotRef {
  readonly pool: string;
  readonly index: number;
}

/** A recorded node and the slot of the current layout its address falls in (null: drift). */
export interface MatchedNode {
  readonly node: RealNode;
  readonly slot: SlotRef | null;
}

export function matchNodes(model: PlanModel, nodes: readonly RealNode[]): MatchedNode[] {
  return nodes.map((node) => matchNode(model, node));
}

export function matchNode(model: PlanModel, node: RealNode): MatchedNode {
  return { node, slot: matchSlot(model, node) };
}

/** Plugins whose nodes each get a pod CIDR, handed out in creation order. */
const POD_CIDR_PER_NODE: ReadonlySet<string> = new Set(['azure-cni-overlay', 'kubenet']);

/**
 * The slot a real node occupies, found by its address: its pod CIDR's first address for
 * plugins that give each node a pod CIDR (overlay, kubenet), else (or when its pod CIDR is not
 * known) its node IP. Null when the address is in no slot of the plan: the node is drift, even
 * when its other address happens to fall in a slot.
 */
/** Whether the plan's plugin gives each node a pod CIDR block (overlay, kubenet). */
export function givesNodesPodCidrs(model: PlanModel): boolean {
  return POD_CIDR_PER_NODE.has(model.plan.spec.network.plugin);
}

export function matchSlot(model: PlanModel, node: RealNode): SlotRef | null {
  if (node.podCidr !== null && givesNodesPodCidrs(model)) return slotAt(model, node.podCidr.first, 'pod');
  return node.nodeIp === null ? null : slotAt(model, node.nodeIp, 'node');
}

function slotAt(model: PlanModel, address: IpAddress, role: 'node' | 'pod'): SlotRef | null {
  const match = model.lookup(address).find((m) => m.role === role && m.pool !== undefined);
  return match?.pool === undefined || match.nodeIndex === undefined
    ? null
    : { pool: match.pool, index: match.nodeIndex };
}

/** A slot as a map key: one encoding, typed so that no other string passes for it. */
export type SlotKey = string & { readonly __slotKey: unique symbol };

export function slotKey(slot: SlotRef): SlotKey {
  return JSON.stringify([slot.pool, slot.index]) as SlotKey;
}

/**
 * Why a node's IP cannot be a VM's in the plan, or undefined: an address Azure keeps for itself
 * in one of the plan's subnets (the network, the gateway, two for DNS, the broadcast address) is
 * never a VM's, and recorded it would answer lookups as a node.
 */
export function reservedNodeIpProblem(model: PlanModel, node: RealNode): string | undefined {
  if (node.nodeIp === null) return undefined;
  const reserved = model.lookup(node.nodeIp).find((m) => m.role === 'azure-reserved');
  return reserved === undefined
    ? undefined
    : `node ${node.name}'s IP ${node.nodeIp} is one Azure reserves in the subnet ${reserved.range}: no VM has it`;
}
