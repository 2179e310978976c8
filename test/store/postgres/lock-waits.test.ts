/**
 * Writes waiting for a lock another replica holds take one pooled connection, not the pool:
 * other spaces, reads and the readiness probe go on meanwhile.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { Cidr } from '../../../src/domain/ip/index.js';
import { openPostgresStore } from '../../../src/store/postgres/open-postgres.js';
import { freshDatabase } from '../../support/postgres.js';
import { planWrite, size } from '../contract/fixtures.js';

const space = (name: string, cidr: string) => ({
  name,
  description: null,
  cidrs: [Cidr.parse(cidr)],
  labels: {},
});

describe('writes waiting for a lock on PostgreSQL', () => {
  it('wait one at a time on a connection: the rest of the pool serves other spaces and reads', async () => {
    const db = await freshDatabase();
    const { store } = await openPostgresStore({
      url: db.url,
      poolSize: 3,
      statementTimeoutMs: 10_000,
      connectTimeoutMs: 500,
      retryMs: 500,
    });
    const other = new pg.Client({ connectionString: db.url });
    try {
      const locked = await store.spaces.createSpace(space('locked', '10.0.0.0/16'));
      const free = await store.spaces.createSpace(space('free', '10.1.0.0/16'));
      await store.createPlan(planWrite('alpha'));
      // Another replica holds the space's row, as an allocation does for its transaction.
      await other.connect();
      await other.query('BEGIN');
      await other.query('SELECT id FROM spaces WHERE id = $1 FOR UPDATE', [locked.id]);
      const waiting = Array.from({ length: 6 }, () =>
        store.spaces.allocate(locked.id, size(24), { purpose: 'queued' }),
      );
      await new Promise((resolve) => setTimeout(resolve, 200)); // they are all waiting by now
      // Were the six waiting on connections, all three would be taken, and this would fail after
      // waiting the connect timeout (500 ms) for one.
      const elsewhere = await store.spaces.allocate(free.id, size(24), { purpose: 'elsewhere' });
      expect(String(elsewhere.allocation.cidr)).toBe('10.1.0.0/24');
      expect((await store.getPlan('alpha'))?.name).toBe('alpha');
      expect(await store.isReady()).toBe(true);
      await other.query('COMMIT');
      const granted = await Promise.all(waiting);
      expect(granted.map((g) => String(g.allocation.cidr)).sort()).toEqual([
        '10.0.0.0/24',
        '10.0.1.0/24',
        '10.0.2.0/24',
        '10.0.3.0/24',
        '10.0.4.0/24',
        '10.0.5.0/24',
      ]);
    } finally {
      await other.end().catch(() => {});
      await store.close();
      await db.drop();
    }
  });
});
