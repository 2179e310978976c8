/**
 * A write's PlanCheck on PostgreSQL reads the plan after the plan-writes lock: a change another
 * replica has made but not committed (it holds the lock) is waited for, then seen.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { IpAddress } from '../../../src/domain/ip/index.js';
import { openPostgresStore } from '../../../src/store/postgres/open-postgres.js';
import { freshDatabase } from '../../support/postgres.js';
import { planWrite } from '../contract/fixtures.js';

const PLAN_WRITES_LOCK = 7_305_421_109;

async function waitingForAdvisoryLock(client: pg.Client): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const { rows } = await client.query<{ n: string }>(
      "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
    );
    if (Number(rows[0]?.n) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the import never waited for the plan-writes lock');
}

describe('a PlanCheck on PostgreSQL', () => {
  it('sees a team move another replica commits while the write waits for the plan-writes lock', async () => {
    const db = await freshDatabase();
    const { store } = await openPostgresStore({
      url: db.url,
      poolSize: 4,
      statementTimeoutMs: 10_000,
      connectTimeoutMs: 2_000,
      retryMs: 500,
    });
    try {
      const plan = await store.createPlan({ ...planWrite('alpha'), labels: { team: 'a' } });
      const other = new pg.Client({ connectionString: db.url });
      await other.connect();
      await other.query('BEGIN');
      await other.query('SELECT pg_advisory_xact_lock($1)', [PLAN_WRITES_LOCK]);
      await other.query("UPDATE plan_labels SET value = 'b' WHERE plan_id = $1 AND key = 'team'", [plan.id]);
      const seen: string[] = [];
      const pod = {
        ip: IpAddress.parse('10.240.0.57'),
        namespace: 'n',
        pod: 'p',
        ownerKind: null,
        ownerName: null,
        node: null,
        hostNetwork: false,
      };
      const importing = store
        .recordPods(plan.id, [pod], '2026-01-01T00:00:00.000Z', undefined, (read) => {
          seen.push(read.labels.team ?? '');
          if (read.labels.team !== 'a') throw new Error('refused: team b');
        })
        .then(
          () => 'written',
          (error: Error) => error.message,
        );
      await waitingForAdvisoryLock(other);
      await other.query('COMMIT');
      await other.end();
      expect(await importing).toBe('refused: team b');
      expect(seen).toEqual(['b']);
      expect(await store.podsAt(plan.id, [pod.ip])).toEqual([]);
    } finally {
      await store.close();
      await db.drop();
    }
  });
});
