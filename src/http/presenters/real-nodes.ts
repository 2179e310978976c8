import type { Drift } from '../../domain/nodes/drift.js';
import type { RealNode, SlotRef } from '../../domain/nodes/real-node.js';

export function presentRecorded({ node, slot }: { node: RealNode; slot: SlotRef | null }) {
  return {
    name: node.name,
    pool: node.pool,
    nodeIp: node.nodeIp?.toString() ?? null,
    podCidr: node.podCidr?.toString() ?? null,
    slot,
  };
}

export function presentDrift(drift: Drift) {
  return {
    outsidePlan: drift.outsidePlan.map((node) => presentRecorded({ node, slot: null })),
    overfullPools: [...drift.overfullPools],
    wrongPool: drift.wrongPool.map(presentRecorded),
    sharedSlots: drift.sharedSlots.map((s) => ({ slot: s.slot, nodes: [...s.nodes] })),
  };
}
