import type { PlanModel } from '../plan/plan-model.js';
import { type MatchedNode, type RealNode, type SlotKey, type SlotRef, slotKey } from './real-node.js';

export interface Drift {
  /** Recorded nodes whose address is in no slot of the plan. */
  readonly outsidePlan: readonly RealNode[];
  /** Pools with more recorded nodes than planned slots (maxCount or nodeCount, plus surge). */
  readonly overfullPools: readonly { pool: string; nodes: number; slots: number }[];
  /** Nodes sitting in a slot planned for another pool. */
  readonly wrongPool: readonly { node: RealNode; slot: SlotRef }[];
  /** Slots that more than one recorded node claims. */
  readonly sharedSlots: readonly { slot: SlotRef; nodes: readonly string[] }[];
}

/** How the recorded nodes depart from the plan. */
export function findDrift(model: PlanModel, matched: readonly MatchedNode[]): Drift {
  const pools = new Set(model.plan.spec.nodePools.map((p) => p.name));
  // Counted in one pass: an import may name as many pools as it has nodes (5,000).
  const nodesIn = new Map<string, number>([...pools].map((pool) => [pool, 0]));
  for (const { node } of matched) nodesIn.set(node.pool, (nodesIn.get(node.pool) ?? 0) + 1);
  const overfullPools = [...nodesIn].flatMap(([pool, nodes]) => {
    const slots = pools.has(pool) ? model.slotCount(pool) : 0;
    return nodes > slots ? [{ pool, nodes, slots }] : [];
  });
  const bySlot = new Map<SlotKey, { slot: SlotRef; nodes: string[] }>();
  for (const { slot, node } of matched) {
    if (slot === null) continue;
    const claim = bySlot.get(slotKey(slot)) ?? { slot: { pool: slot.pool, index: slot.index }, nodes: [] };
    bySlot.set(slotKey(slot), claim);
    claim.nodes.push(node.name);
  }
  return {
    outsidePlan: matched.filter((m) => m.slot === null).map((m) => m.node),
    overfullPools,
    wrongPool: matched.flatMap((m) =>
      m.slot !== null && m.slot.pool !== m.node.pool ? [{ node: m.node, slot: m.slot }] : [],
    ),
    sharedSlots: [...bySlot.values()].filter((claim) => claim.nodes.length > 1),
  };
}
