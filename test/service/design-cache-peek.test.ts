import { describe, expect, it } from 'vitest';
import { DesignCache } from '../../src/service/design-cache.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import { planWrite } from '../store/contract/fixtures.js';

describe('DesignCache.peek', () => {
  it('lays out a design without keeping it, and answers a kept one from the cache', async () => {
    const store = openSqliteStore(':memory:');
    const plan = await store.createPlan(planWrite('alpha'));
    const cache = new DesignCache();
    const peeked = cache.peek(plan);
    expect(peeked.spec.name).toBe('alpha');
    expect(cache.size).toBe(0);
    const kept = cache.design(plan);
    expect(cache.size).toBeGreaterThan(0);
    expect(cache.peek(plan)).toBe(kept);
    await store.close();
  });
});
