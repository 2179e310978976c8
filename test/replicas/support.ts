import { afterEach } from 'vitest';
import { openPostgresStore } from '../../src/store/postgres/open-postgres.js';
import type { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { type Request, testApp } from '../http/support/app.js';
import { freshDatabase } from '../support/postgres.js';

/** Replicas in one test process: each its own app and its own pool, on one fresh database. */
export interface Replicas {
  readonly url: string;
  readonly requests: readonly Request[];
  readonly stores: readonly PostgresStore[];
}

const cleanups: (() => Promise<unknown>)[] = [];

/** Closes what `replicas` opened, after each test of the file that calls it. */
export function useReplicaCleanup(): void {
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
}

export async function openStoreAt(url: string): Promise<PostgresStore> {
  const { store } = await openPostgresStore({
    url,
    poolSize: 8,
    statementTimeoutMs: 30_000,
    connectTimeoutMs: 5_000,
    retryMs: 500,
  });
  return store;
}

export async function replicas(count: number, database?: string): Promise<Replicas> {
  let url = database;
  if (url === undefined) {
    const db = await freshDatabase();
    cleanups.push(db.drop);
    url = db.url;
  }
  const requests: Request[] = [];
  const stores: PostgresStore[] = [];
  for (let i = 0; i < count; i++) {
    const store = await openStoreAt(url);
    const { app, request } = await testApp(store);
    cleanups.push(() => app.close());
    requests.push(request);
    stores.push(store);
  }
  return { url, requests, stores };
}

/** Every item of a paginated list, page by page (100 at a time, the largest page). */
export async function everyItem<T>(
  request: Request,
  path: string,
  query: Record<string, string> = {},
): Promise<T[]> {
  const items: T[] = [];
  for (let cursor: string | null = ''; cursor !== null; ) {
    const page = await request
      .get(path)
      .query({ ...query, limit: 100, ...(cursor === '' ? {} : { cursor }) });
    if (page.status !== 200) throw new Error(`${path}: ${page.status} ${JSON.stringify(page.body)}`);
    items.push(...(page.body.items as T[]));
    cursor = page.body.nextCursor;
  }
  return items;
}
