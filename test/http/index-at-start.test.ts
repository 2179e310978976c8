/**
 * The plan index is built while the app gets ready, before the port opens: building it for
 * 10,000 plans held the event loop for most of a second when the first lookup did it. A build
 * longer than start waits goes on in the background; a store that cannot be read then leaves
 * it to the first lookup. Either way the app starts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import type { Store } from '../../src/store/store.js';
import { StoreUnavailableError } from '../../src/store/store-unavailable.js';
import { type TestApp, testApp } from './support/app.js';

let current: TestApp | undefined;
afterEach(async () => {
  await current?.app.close();
  current = undefined;
});

/** The store, counting the full reads of the index. */
function counting(store: Store, fails = false): { store: Store; snapshots: () => number } {
  let snapshots = 0;
  const original = store.indexSnapshot.bind(store);
  store.indexSnapshot = async () => {
    snapshots++;
    if (fails) throw new StoreUnavailableError('connection refused');
    return original();
  };
  return { store, snapshots: () => snapshots };
}

describe('the plan index at start', () => {
  it('is read from the store before the first request, and not again by it', async () => {
    const seeded = openSqliteStore(':memory:');
    const { store, snapshots } = counting(seeded);
    current = await testApp(store);
    expect(snapshots()).toBe(1);
    const plan = {
      name: 'p',
      network: { plugin: 'kubenet', nodeSubnet: '10.240.0.0/24' },
      nodePools: [{ name: 'system', nodeCount: 3 }],
    };
    expect((await current.request.post('/v1/plans').send(plan)).status).toBe(201);
    const found = await current.request.get('/v1/lookup?ip=10.240.0.4');
    expect(found.status).toBe(200);
    expect(found.body.matches[0]).toMatchObject({ planName: 'p' });
    expect(snapshots()).toBe(1);
  });

  it('goes on in the background when it takes longer than start waits, and lookups wait for it', async () => {
    const store = openSqliteStore(':memory:');
    const original = store.indexSnapshot.bind(store);
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let snapshots = 0;
    store.indexSnapshot = async () => {
      snapshots++;
      await gate;
      return original();
    };
    current = await testApp(store, { indexWaitMs: 20 });
    expect(snapshots).toBe(1);
    let answered = false;
    const lookup = current.request
      .get('/v1/lookup?ip=10.240.0.4')
      .then((res) => res)
      .finally(() => {
        answered = true;
      });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(answered).toBe(false);
    release();
    expect((await lookup).status).toBe(200);
    expect(snapshots).toBe(1);
  });

  it('is left to the first lookup when the store cannot be read at start', async () => {
    const { store, snapshots } = counting(openSqliteStore(':memory:'), true);
    current = await testApp(store);
    expect(snapshots()).toBe(1);
    expect((await current.request.get('/healthz')).status).toBe(200);
    const lookup = await current.request.get('/v1/lookup?ip=10.240.0.4');
    expect([lookup.status, lookup.body.code]).toEqual([503, 'DATABASE_UNAVAILABLE']);
    expect(snapshots()).toBe(2);
  });
});
