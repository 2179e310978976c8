import type { Database } from 'better-sqlite3';
import { Cidr, IpAddress } from '../../domain/ip/index.js';
import type { RealNode, SlotRef } from '../../domain/nodes/real-node.js';
import type { RecordedNode } from '../plan-store.js';

interface NodeRow {
  name: string;
  pool: string;
  node_ip: string | null;
  pod_cidr: string | null;
  slot_pool: string | null;
  slot_index: number | null;
}

/** Real nodes of plans in SQLite; callers run these inside their transactions. */
export class PlanNodes {
  constructor(private readonly db: Database) {}

  upsert(planId: string, recorded: readonly RecordedNode[]): void {
    const write = this.db.prepare(
      `INSERT INTO plan_nodes (plan_id, name, pool, node_ip, pod_cidr, slot_pool, slot_index, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (plan_id, name) DO UPDATE SET pool = excluded.pool, node_ip = excluded.node_ip,
         pod_cidr = excluded.pod_cidr, slot_pool = excluded.slot_pool, slot_index = excluded.slot_index,
         recorded_at = excluded.recorded_at`,
    );
    const now = new Date().toISOString();
    for (const { node, slot } of recorded) {
      const address = [node.nodeIp?.toString() ?? null, node.podCidr?.toString() ?? null] as const;
      write.run(planId, node.name, node.pool, ...address, slot?.pool ?? null, slot?.index ?? null, now);
    }
  }

  list(planId: string): RecordedNode[] {
    const rows = this.db
      .prepare(
        'SELECT name, pool, node_ip, pod_cidr, slot_pool, slot_index FROM plan_nodes WHERE plan_id = ? ORDER BY name',
      )
      .all(planId) as NodeRow[];
    return rows.map(toRecorded);
  }

  /** Moves every recorded node of a plan to its slot in a new design. */
  rematch(planId: string, match: (node: RealNode) => SlotRef | null): void {
    this.upsert(
      planId,
      this.list(planId).map(({ node }) => ({ node, slot: match(node) })),
    );
  }

  namesAt(slots: readonly { planId: string; pool: string; index: number }[]): Map<string, string> {
    const find = this.db.prepare(
      'SELECT name FROM plan_nodes WHERE plan_id = ? AND slot_pool = ? AND slot_index = ? ORDER BY name LIMIT 1',
    );
    const names = new Map<string, string>();
    for (const { planId, pool, index } of slots) {
      const row = find.get(planId, pool, index) as { name: string } | undefined;
      if (row !== undefined) names.set(`${planId}#${pool}#${index}`, row.name);
    }
    return names;
  }
}

function toRecorded(row: NodeRow): RecordedNode {
  const node: RealNode = {
    name: row.name,
    pool: row.pool,
    nodeIp: row.node_ip === null ? null : IpAddress.parse(row.node_ip),
    podCidr: row.pod_cidr === null ? null : Cidr.parse(row.pod_cidr),
  };
  const slot =
    row.slot_pool === null || row.slot_index === null ? null : { pool: row.slot_pool, index: row.slot_index };
  return { node, slot };
}
