import type { Database, Statement } from 'better-sqlite3';
import { bitsOf, type IpAddress } from '../../domain/ip/index.js';
import type { RealNode } from '../../domain/nodes/real-node.js';
import { checkNodeImportTime, enclosingCidrs, NODE_COLUMNS, type NodeRow, toNode } from '../node-row.js';
import type { StoreClock } from '../page.js';
import { nodesPerPool } from '../plan-row.js';
import { RowInserts } from './row-inserts.js';

const COLUMNS = NODE_COLUMNS;

/** A node's name, pool, node IP, pod CIDR and IPv6 pod CIDR, as a row holds them. */
export type NodeValues = readonly [string, string, string | null, string | null, string | null];

export function nodeValues(node: RealNode): NodeValues {
  return [
    node.name,
    node.pool,
    node.nodeIp?.toString() ?? null,
    node.podCidr?.toString() ?? null,
    node.ipv6PodCidr?.toString() ?? null,
  ];
}

/** Real nodes of plans in SQLite; callers run the writes inside their transactions. */
export class PlanNodes {
  /** Rows in statements of many: an import of 5,000 nodes writes them all. */
  private readonly write: RowInserts;
  private readonly all: Statement<[string], NodeRow>;
  private readonly byIp: Statement<[string, string], NodeRow>;
  private readonly byPodCidr: Record<4 | 6, Statement<unknown[], NodeRow>>;
  private readonly lastRecorded: Statement<[string, string], string | null>;
  private readonly removeOthers: Statement<[string, string]>;
  private readonly noteImport: Statement<[string, string]>;

  constructor(
    private readonly db: Database,
    private readonly clock: StoreClock,
  ) {
    this.write = new RowInserts(
      db,
      7,
      (values) =>
        `INSERT INTO plan_nodes (plan_id, name, pool, node_ip, pod_cidr, ipv6_pod_cidr, recorded_at) VALUES ${values}
         ON CONFLICT (plan_id, name) DO UPDATE SET pool = excluded.pool, node_ip = excluded.node_ip,
           pod_cidr = excluded.pod_cidr, ipv6_pod_cidr = excluded.ipv6_pod_cidr, recorded_at = excluded.recorded_at`,
    );
    this.all = db.prepare(`SELECT ${COLUMNS} FROM plan_nodes WHERE plan_id = ? ORDER BY name`);
    // The last import's time, or a later node recorded on its own: '' when there is neither.
    this.lastRecorded = db
      .prepare<[string, string], string | null>(
        `SELECT max(coalesce((SELECT observed_at FROM node_imports WHERE plan_id = ?), ''),
                    coalesce((SELECT max(recorded_at) FROM plan_nodes WHERE plan_id = ?), ''))`,
      )
      .pluck();
    this.noteImport = db.prepare(
      `INSERT INTO node_imports (plan_id, observed_at) VALUES (?, ?)
       ON CONFLICT (plan_id) DO UPDATE SET observed_at = excluded.observed_at`,
    );
    this.removeOthers = db.prepare(
      'DELETE FROM plan_nodes WHERE plan_id = ? AND name NOT IN (SELECT value FROM json_each(?))',
    );
    this.byIp = db.prepare(NODE_LOOKUPS.byIp);
    this.byPodCidr = { 4: db.prepare(NODE_LOOKUPS.byPodCidr(4)), 6: db.prepare(NODE_LOOKUPS.byPodCidr(6)) };
  }

  /** The cluster's whole node list: nodes of the plan it does not name are removed (see PlanStore). */
  replace(planId: string, nodes: readonly RealNode[], observedAt?: string): void {
    this.replaceRows(planId, nodes.map(nodeValues), observedAt);
  }

  upsert(planId: string, nodes: readonly RealNode[], observedAt?: string): void {
    this.upsertRows(planId, nodes.map(nodeValues), observedAt);
  }

  /** replace, of nodes as nodeValues gives them. */
  replaceRows(planId: string, rows: readonly NodeValues[], observedAt?: string): void {
    const at = observedAt ?? this.clock.now().toISOString();
    checkNodeImportTime(at, this.lastRecorded.get(planId, planId) || null);
    this.removeOthers.run(planId, JSON.stringify(rows.map(([name]) => name)));
    this.upsertRows(planId, rows, at);
    this.noteImport.run(planId, at);
  }

  /** upsert, of nodes as nodeValues gives them. */
  upsertRows(planId: string, rows: readonly NodeValues[], observedAt?: string): void {
    const now = observedAt ?? this.clock.now().toISOString();
    this.write.run(rows, (values) => [planId, ...values, now]);
  }

  list(planId: string): RealNode[] {
    return this.all.all(planId).map(toNode);
  }

  perPool(planIds: readonly string[]): Map<string, Map<string, number>> {
    const count = this.db.prepare<[string], { pool: string; n: number }>(
      'SELECT pool, count(*) AS n FROM plan_nodes WHERE plan_id = ? GROUP BY pool',
    );
    return nodesPerPool(planIds.flatMap((id) => count.all(id).map((r) => ({ plan_id: id, ...r }))));
  }

  /** Plans among `planIds` with at least one recorded node. */
  plansWithNodes(planIds: readonly string[]): Set<string> {
    const has = this.db.prepare('SELECT 1 FROM plan_nodes WHERE plan_id = ? LIMIT 1').pluck();
    return new Set(planIds.filter((id) => has.get(id) !== undefined));
  }

  /**
   * Nodes of a plan whose node IP is one of `nodeIps`, or whose pod CIDR holds one of
   * `podAddresses`: one indexed probe per address, each pod CIDR probe by the prefixes that
   * could hold the address (stored CIDRs are canonical text).
   */
  at(planId: string, nodeIps: readonly IpAddress[], podAddresses: readonly IpAddress[]): RealNode[] {
    const found = new Map<string, RealNode>();
    const keep = (rows: NodeRow[]) => {
      for (const row of rows) if (!found.has(row.name)) found.set(row.name, toNode(row));
    };
    for (const ip of nodeIps) keep(this.byIp.all(planId, ip.toString()));
    for (const address of podAddresses) {
      const cidrs = enclosingCidrs(address);
      const asked = address.family === 4 ? [planId, ...cidrs] : [planId, ...cidrs, planId, ...cidrs];
      keep(this.byPodCidr[address.family].all(...asked));
    }
    return [...found.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

/** The reads of nodes by address, each answered by an address index (see the test). */
export const NODE_LOOKUPS = {
  // No ORDER BY: it made SQLite walk the plan's nodes by name instead of asking the address
  // index (one probe read all 5,000 nodes); `at` sorts what it finds.
  byIp: `SELECT ${COLUMNS} FROM plan_nodes WHERE plan_id = ? AND node_ip = ?`,
  /** Parameters: the plan, then the prefixes that could hold the address (twice for IPv6). */
  byPodCidr(family: 4 | 6): string {
    const slots = Array.from({ length: bitsOf(family) + 1 }, () => '?').join(', ');
    const byColumn = (column: string) =>
      `SELECT ${COLUMNS} FROM plan_nodes WHERE plan_id = ? AND ${column} IN (${slots})`;
    // A dual-stack node's IPv6 block is in a column of its own: the same prefixes are asked of
    // both, each by its own index (an OR of the two read every node of the plan).
    return family === 4
      ? byColumn('pod_cidr')
      : `${byColumn('pod_cidr')} UNION ALL ${byColumn('ipv6_pod_cidr')}`;
  },
};
