import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import { planWrite, rejection, size, spaceWrite } from './contract/fixtures.js';
import { storeContract } from './contract/index.js';

storeContract('SQLite in memory', (clock) => ({ store: openSqliteStore(':memory:', clock) }));

storeContract('SQLite file (WAL)', (clock) => {
  const dir = mkdtempSync(join(tmpdir(), 'ipam-'));
  return {
    store: openSqliteStore(join(dir, 'nested', 'ipam.db'), clock),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
});

describe('SQLite: rows damaged outside the service are refused where they are read', () => {
  it('names the first field of a stored spec that does not fit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ipam-'));
    const path = join(dir, 'ipam.db');
    try {
      const store = openSqliteStore(path);
      const { id } = await store.createPlan(planWrite('alpha'));
      await store.close();
      const db = new Database(path);
      db.prepare(`UPDATE plans SET spec = json_set(spec, '$.network.plugin', 'calico') WHERE id = ?`).run(id);
      db.close();
      const reopened = openSqliteStore(path);
      await expect(reopened.getPlan(id)).rejects.toThrow(
        'stored plan spec is damaged: spec.network.plugin is not one of azure-cni-node-subnet',
      );
      await reopened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SQLite: the change log', () => {
  it('answers undefined (rebuild) once it was trimmed past a reader', async () => {
    const store = openSqliteStore(':memory:');
    const before = await store.changeVersion();
    await store.createPlan(planWrite('alpha'));
    await store.createPlan(planWrite('beta', '10.241.0.0/24'));
    const db = (store as unknown as { db: Database.Database }).db;
    db.prepare('DELETE FROM plan_changes WHERE seq = (SELECT min(seq) FROM plan_changes)').run();
    expect(await store.indexChangesSince(before)).toBeUndefined();
    expect((await store.indexChangesSince(before + 1))?.plans.map((p) => p.name)).toEqual(['beta']);
    await store.close();
  });
});

describe('SQLite: an Idempotency-Key kept without its answer (from a dump of an older release)', () => {
  it('is replayed from its allocation while that is held, and refused once it is released', async () => {
    const store = openSqliteStore(':memory:');
    const { id } = await store.spaces.createSpace(spaceWrite('hub', '10.0.0.0/16'));
    const keyed = { purpose: 'p', idempotency: { key: 'k1', fingerprint: 'f1' } };
    const first = await store.spaces.allocate(id, size(24), keyed);
    const db = (store as unknown as { db: Database.Database }).db;
    db.prepare('UPDATE idempotency_keys SET response = NULL').run();
    expect(await store.spaces.allocate(id, size(24), keyed)).toEqual({
      allocation: first.allocation,
      replayed: true,
    });
    await store.spaces.release(id, first.allocation.id);
    expect((await rejection(store.spaces.allocate(id, size(24), keyed))).code).toBe(
      'IDEMPOTENCY_KEY_RELEASED',
    );
    await store.close();
  });
});
