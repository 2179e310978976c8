import type { IpAddress } from '../../domain/ip/index.js';
import type { RealNode } from '../../domain/nodes/real-node.js';
import { checkNodeImportTime, enclosingCidrs, NODE_COLUMNS, type NodeRow, toNode } from '../node-row.js';
import type { StoreClock } from '../page.js';
import { nodesPerPool } from '../plan-row.js';
import type { Sql } from './sql.js';

const COLUMNS = NODE_COLUMNS;

/** Real nodes of plans in PostgreSQL, inside the caller's transaction. */
export class PgPlanNodes {
  constructor(private readonly clock: StoreClock) {}

  /** The cluster's whole node list: nodes of the plan it does not name are removed (see PlanStore). */
  async replace(sql: Sql, planId: string, nodes: readonly RealNode[], observedAt?: string): Promise<void> {
    const at = observedAt ?? this.clock.now().toISOString();
    // The last import's time, or a later node recorded on its own: null when there is neither.
    const [last] = await sql.rows<{ last: string | null }>(
      `SELECT greatest((SELECT observed_at FROM node_imports WHERE plan_id = $1),
                       (SELECT max(recorded_at) FROM plan_nodes WHERE plan_id = $1)) AS last`,
      [planId],
    );
    checkNodeImportTime(at, last?.last);
    await sql.run('DELETE FROM plan_nodes WHERE plan_id = $1 AND NOT (name = ANY($2))', [
      planId,
      nodes.map((n) => n.name),
    ]);
    await this.upsert(sql, planId, nodes, at);
    await sql.run(
      `INSERT INTO node_imports (plan_id, observed_at) VALUES ($1, $2)
       ON CONFLICT (plan_id) DO UPDATE SET observed_at = excluded.observed_at`,
      [planId, at],
    );
  }

  /** One statement for the whole import, however many nodes. */
  async upsert(sql: Sql, planId: string, nodes: readonly RealNode[], observedAt?: string): Promise<void> {
    if (nodes.length === 0) return;
    await sql.run(
      `INSERT INTO plan_nodes (plan_id, name, pool, node_ip, pod_cidr, ipv6_pod_cidr, recorded_at)
       SELECT $1, n, p, i, c, c6, $7
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS t (n, p, i, c, c6)
       ON CONFLICT (plan_id, name) DO UPDATE SET pool = excluded.pool, node_ip = excluded.node_ip,
         pod_cidr = excluded.pod_cidr, ipv6_pod_cidr = excluded.ipv6_pod_cidr, recorded_at = excluded.recorded_at`,
      [
        planId,
        nodes.map((n) => n.name),
        nodes.map((n) => n.pool),
        nodes.map((n) => n.nodeIp?.toString() ?? null),
        nodes.map((n) => n.podCidr?.toString() ?? null),
        nodes.map((n) => n.ipv6PodCidr?.toString() ?? null),
        observedAt ?? this.clock.now().toISOString(),
      ],
    );
  }

  async list(sql: Sql, planId: string): Promise<RealNode[]> {
    const rows = await sql.rows<NodeRow>(
      `SELECT ${COLUMNS} FROM plan_nodes WHERE plan_id = $1 ORDER BY name COLLATE "C"`,
      [planId],
    );
    return rows.map(toNode);
  }

  async perPool(sql: Sql, planIds: readonly string[]): Promise<Map<string, Map<string, number>>> {
    const rows = await sql.rows<{ plan_id: string; pool: string; n: number }>(
      'SELECT plan_id, pool, count(*)::int AS n FROM plan_nodes WHERE plan_id = ANY($1) GROUP BY plan_id, pool',
      [planIds],
    );
    return nodesPerPool(rows);
  }

  /** Plans among `planIds` with at least one recorded node. */
  async plansWithNodes(sql: Sql, planIds: readonly string[]): Promise<Set<string>> {
    const rows = await sql.rows<{ plan_id: string }>(
      'SELECT DISTINCT plan_id FROM plan_nodes WHERE plan_id = ANY($1)',
      [planIds],
    );
    return new Set(rows.map((r) => r.plan_id));
  }

  /**
   * Nodes of a plan whose node IP is one of `nodeIps`, or whose pod CIDR holds one of
   * `podAddresses` (by the prefixes that could hold each address: stored CIDRs are canonical).
   */
  async at(
    sql: Sql,
    planId: string,
    nodeIps: readonly IpAddress[],
    podAddresses: readonly IpAddress[],
  ): Promise<RealNode[]> {
    const rows = await sql.rows<NodeRow>(
      `SELECT ${COLUMNS} FROM plan_nodes
       WHERE plan_id = $1 AND (node_ip = ANY($2) OR pod_cidr = ANY($3) OR ipv6_pod_cidr = ANY($3))
       ORDER BY name COLLATE "C"`,
      [planId, nodeIps.map((ip) => ip.toString()), podAddresses.flatMap(enclosingCidrs)],
    );
    return rows.map(toNode);
  }
}
