/**
 * SQLite reads the held ranges of conflict checks in steps, the event loop let in between: in
 * steps of any size they are what one read gives, for every team; a write committed between
 * steps (by this connection or another) starts the read again, and when writes keep landing
 * the last attempt reads in one go.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Labels } from '../../src/domain/labels.js';
import type { HeldRange } from '../../src/domain/space/conflicts.js';
import { heldRanges } from '../../src/store/sqlite/held-ranges.js';
import { migrate, readMigrations } from '../../src/store/sqlite/migrate.js';
import { MIGRATIONS_DIR } from '../../src/store/sqlite/open-sqlite.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { planWrite, size, spaceWrite, TestClock } from './contract/fixtures.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function open(path: string) {
  const db = new Database(path);
  db.pragma('foreign_keys = ON');
  migrate(db, readMigrations(MIGRATIONS_DIR));
  const clock = new TestClock();
  clock.reset();
  return { db, store: new SqliteStore(db, () => true, clock) };
}

/** Eight plans of two teams, and two spaces of the teams with a few blocks each. */
async function seeded(path = ':memory:') {
  const { db, store } = open(path);
  for (let i = 0; i < 8; i++) {
    await store.createPlan({
      ...planWrite(`plan-${i}`, `10.${240 + (i % 3)}.0.0/24`),
      labels: { team: i % 2 === 0 ? 'a' : 'b' },
    });
  }
  for (const [name, cidr, team] of [
    ['hub-a', '10.100.0.0/20', 'a'],
    ['hub-b', '10.101.0.0/20', 'b'],
  ] as const) {
    const { id } = await store.spaces.createSpace({ ...spaceWrite(name, cidr), labels: { team } });
    for (let i = 0; i < 5; i++) await store.spaces.allocate(id, size(24 + (i % 3)), { purpose: `p${i}` });
  }
  return { db, store };
}

const noPause = async () => {};
const holders = (ranges: readonly HeldRange[]) => [...new Set(ranges.map((r) => r.holder.name))].sort();

describe('SQLite held ranges read in steps', () => {
  it('are what one read gives, in steps of any size, for every team', async () => {
    const { db } = await seeded();
    for (const team of [{}, { team: 'a' }, { team: 'b' }] as Labels[]) {
      const whole = await heldRanges(db, team, noPause, Number.MAX_SAFE_INTEGER);
      expect(whole.filter((r) => r.holder.type === 'allocation')).toHaveLength(
        Object.keys(team).length === 0 ? 10 : 5,
      );
      for (const rows of [1, 2, 3, 7, 50]) expect(await heldRanges(db, team, noPause, rows)).toEqual(whole);
    }
  });

  it('let the event loop in between steps', async () => {
    const { db } = await seeded();
    let pauses = 0;
    const ranges = await heldRanges(db, {}, async () => void pauses++, 5);
    // Every five rows, and after each space's last step.
    expect(pauses).toBeGreaterThanOrEqual(Math.floor(ranges.length / 5));
  });

  it('start again when this connection writes between steps', async () => {
    const { db, store } = await seeded();
    let pauses = 0;
    const ranges = await heldRanges(
      db,
      {},
      async () => {
        if (++pauses === 2) await store.createPlan(planWrite('late', '10.250.0.0/24'));
      },
      3,
    );
    expect(holders(ranges)).toContain('late');
    expect(ranges).toEqual(await heldRanges(db, {}, noPause, Number.MAX_SAFE_INTEGER));
  });

  it('start again when another connection writes between steps', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aksip-held-'));
    dirs.push(dir);
    const path = join(dir, 'plans.db');
    const { db } = await seeded(path);
    const other = new Database(path);
    let pauses = 0;
    const ranges = await heldRanges(
      db,
      {},
      async () => {
        if (++pauses === 2) other.prepare("UPDATE plans SET name = 'elsewhere' WHERE name = 'plan-0'").run();
      },
      3,
    );
    expect(holders(ranges)).toContain('elsewhere');
    expect(holders(ranges)).not.toContain('plan-0');
    other.close();
    db.close();
  });

  it('read in one go when writes keep landing between steps', async () => {
    const { db, store } = await seeded();
    let writes = 0;
    const ranges = await heldRanges(
      db,
      {},
      async () => {
        await store.createPlan(planWrite(`busy-${++writes}`, `10.${10 + writes}.0.0/24`));
      },
      3,
    );
    // Two attempts were cut short by a write each; the third read everything at once.
    expect(writes).toBe(2);
    expect(holders(ranges)).toEqual(expect.arrayContaining(['busy-1', 'busy-2']));
    expect(ranges).toEqual(await heldRanges(db, {}, noPause, Number.MAX_SAFE_INTEGER));
  });
});
