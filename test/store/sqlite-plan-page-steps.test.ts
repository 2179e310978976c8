import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import { turnsDuring } from '../support/event-loop-turns.js';
import { planWrite } from './contract/fixtures.js';

describe('a page of plans from SQLite', () => {
  it('is read in one snapshot and parsed 25 plans at a time, the event loop let in between', async () => {
    const store = openSqliteStore(':memory:');
    for (let i = 0; i < 60; i++) await store.createPlan(planWrite(`p${i}`, `10.${100 + i}.0.0/24`));
    let names: string[] = [];
    const turns = await turnsDuring(async () => {
      names = (await store.listPlans({ limit: 60 })).items.map((p) => p.name);
    });
    expect(names).toEqual(Array.from({ length: 60 }, (_, i) => `p${i}`));
    // The counter's own first turn, then a turn at least in each of two pauses (after 25 and 50).
    expect(turns).toBeGreaterThanOrEqual(3);
    await store.close();
  });
});
