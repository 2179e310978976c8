/**
 * GET /v1/conflicts at scale: `plans` Azure CNI plans on one node subnet, every two of which
 * collide. Run with `npx tsx bench/conflicts.ts [plans]` (default 10,000); it prints the time
 * of one answer, storing the plans first (not timed).
 */

import { pathToFileURL } from 'node:url';
import { buildApp } from '../src/http/app.js';
import { openSqliteStore } from '../src/store/sqlite/open-sqlite.js';

const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';

/** Milliseconds for the first page of /v1/conflicts over `plans` plans sharing one subnet. */
export async function conflictsTime(plans: number): Promise<number> {
  const app = await buildApp({
    store: openSqliteStore(':memory:'),
    adminToken: ADMIN_TOKEN,
    edge: { rateLimitPerMinute: 100_000_000 },
  });
  const headers = { authorization: `Bearer ${ADMIN_TOKEN}` };
  try {
    for (let i = 0; i < plans; i++) {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/plans',
        headers,
        payload: {
          name: `shared${i}`,
          network: { plugin: 'azure-cni-node-subnet', nodeSubnet: '10.240.0.0/16' },
          nodePools: [{ name: 'system', nodeCount: 3 }],
        },
      });
      if (res.statusCode !== 201) throw new Error(`plan ${i}: ${res.statusCode} ${res.body}`);
    }
    const start = process.hrtime.bigint();
    const res = await app.inject({ method: 'GET', url: '/v1/conflicts', headers });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const { items } = res.json() as { items: { sides: { holderCount: number }[] }[] };
    if (res.statusCode !== 200 || items[0]?.sides[0]?.holderCount !== plans)
      throw new Error(`unexpected answer: ${res.statusCode} ${res.body.slice(0, 500)}`);
    return ms;
  } finally {
    await app.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const plans = Number(process.argv[2] ?? 10_000);
  const ms = await conflictsTime(plans);
  process.stdout.write(`GET /v1/conflicts, ${plans} plans on one subnet: ${ms.toFixed(1)} ms\n`);
}
