import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import { planWrite, TestClock } from '../store/contract/fixtures.js';

// Guards src/store/sqlite/plan-rows.ts: `ORDER BY id = ? DESC LIMIT 1` -> `ASC`: a plan
// whose name is another plan's id (an older plan, from before names that look like ids were
// refused) wins over the plan with that id.
describe('an id wins over a name', () => {
  it('getPlan(id) answers the plan with that id, not a plan named as it', async () => {
    const clock = new TestClock();
    clock.reset();
    const store = openSqliteStore(':memory:', clock);
    try {
      const first = await store.createPlan(planWrite('alpha', '10.240.0.0/24'));
      const older = await store.createPlan(planWrite('beta', '10.241.0.0/24'));
      // As an older plan may be named (names that look like ids are refused since).
      const { db } = store as unknown as { db: import('better-sqlite3').Database };
      db.prepare('UPDATE plans SET name = ? WHERE id = ?').run(first.id, older.id);
      expect((await store.getPlan(older.id))?.name).toBe(first.id);
      expect((await store.getPlan(first.id))?.id).toBe(first.id);
    } finally {
      await store.close();
    }
  });
});
