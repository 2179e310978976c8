/**
 * Reads that run once per address of a lookup must probe an index, not walk a table: SQLite
 * picks its plan without statistics, and an ORDER BY or an OR can turn it to a scan.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, readMigrations } from '../../src/store/sqlite/migrate.js';
import { MIGRATIONS_DIR } from '../../src/store/sqlite/open-sqlite.js';
import { NODE_LOOKUPS } from '../../src/store/sqlite/plan-nodes.js';

function queryPlan(sql: string): string[] {
  const db = new Database(':memory:');
  migrate(db, readMigrations(MIGRATIONS_DIR));
  const parameters = (sql.match(/\?/g) ?? []).map(() => 'x');
  return db
    .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
    .all(...parameters)
    .map((row) => row.detail);
}

describe('SQLite query plans of recorded nodes by address', () => {
  it.each([
    ['node IP', NODE_LOOKUPS.byIp, ['plan_nodes_by_node_ip (plan_id=? AND node_ip=?)']],
    ['IPv4 pod CIDR', NODE_LOOKUPS.byPodCidr(4), ['plan_nodes_by_pod_cidr (plan_id=? AND pod_cidr=?)']],
    [
      'IPv6 pod CIDR',
      NODE_LOOKUPS.byPodCidr(6),
      [
        'plan_nodes_by_pod_cidr (plan_id=? AND pod_cidr=?)',
        'plan_nodes_by_ipv6_pod_cidr (plan_id=? AND ipv6_pod_cidr=?)',
      ],
    ],
  ])('finds a node by its %s through the index of that address', (_what, sql, indexes) => {
    const searches = queryPlan(sql).filter((step) => step.startsWith('SEARCH') || step.startsWith('SCAN'));
    expect(searches).toEqual(indexes.map((index) => `SEARCH plan_nodes USING INDEX ${index}`));
  });
});
