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
  const pools = model.plan.spec.nodePools.map((p) => p.name);
  const declared = new Set([...pools, ...matched.map((m) => m.node.pool)]);
  const overfullPools = [...declared].flatMap((pool) => {
    const nodes = matched.filter((m) => m.node.pool === pool).length;
    const slots = pools.includes(pool) ? model.slotCount(pool) : 0;
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
