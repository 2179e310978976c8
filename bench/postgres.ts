/**
 * PostgreSQL beside SQLite: plan creates and allocations per second through the store, with 1
 * and 4 concurrent clients, each backend measured in the same run. SQLite is a WAL file (what
 * a deployment uses); PostgreSQL is the embedded server of the run, on the same 2 cores.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Cidr } from '../src/domain/ip/index.js';
import { openPostgresStore } from '../src/store/postgres/open-postgres.js';
import { openSqliteStore } from '../src/store/sqlite/open-sqlite.js';
import type { Store } from '../src/store/store.js';
import { nodeSubnetPlanWriter } from './fill.js';

const CREATES = 400;
const ALLOCATIONS = 800;

export interface WriteRates {
  readonly backend: 'SQLite' | 'PostgreSQL';
  readonly clients: number;
  readonly createsPerSecond: number;
  readonly allocationsPerSecond: number;
}

export async function writeRates(postgresUrl: string): Promise<WriteRates[]> {
  const rates: WriteRates[] = [];
  for (const clients of [1, 4]) {
    for (const backend of ['SQLite', 'PostgreSQL'] as const) {
      const opened = backend === 'SQLite' ? sqliteFile() : await postgresDatabase(postgresUrl);
      try {
        rates.push({ backend, clients, ...(await measure(opened.store, clients)) });
      } finally {
        await opened.close();
      }
    }
  }
  return rates;
}

async function measure(store: Store, clients: number) {
  const write = nodeSubnetPlanWriter('bench');
  const createsPerSecond = await perSecond(clients, CREATES, (i) => store.createPlan(write(i)));
  const space = await store.spaces.createSpace({
    name: 'bench',
    description: null,
    cidrs: [Cidr.parse('10.0.0.0/8')],
    labels: {},
  });
  const allocationsPerSecond = await perSecond(clients, ALLOCATIONS, () =>
    store.spaces.allocate(space.id, { kind: 'size', family: 4, prefixLength: 28 }, { purpose: 'bench' }),
  );
  return { createsPerSecond, allocationsPerSecond };
}

/** `total` calls shared by `clients` loops running at once: calls per second. */
async function perSecond(
  clients: number,
  total: number,
  call: (i: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = next++; i < total; i = next++) await call(i);
    }),
  );
  return total / ((performance.now() - start) / 1000);
}

function sqliteFile(): { store: Store; close: () => Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'aksip-bench-'));
  const store = openSqliteStore(join(dir, 'ipam.db'));
  return {
    store,
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A store on a new database of the run's PostgreSQL, dropped when closed. */
async function postgresDatabase(serverUrl: string): Promise<{ store: Store; close: () => Promise<void> }> {
  const database = await newDatabase(serverUrl);
  const { store } = await openPostgresStore({
    url: database.url,
    poolSize: 10,
    statementTimeoutMs: 30_000,
    connectTimeoutMs: 5_000,
    retryMs: 1_000,
  });
  return {
    store,
    close: async () => {
      await store.close();
      await database.drop();
    },
  };
}

/** A new, empty database on the PostgreSQL server at `serverUrl`. */
export async function newDatabase(serverUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `bench_${process.pid}_${Math.random().toString(36).slice(2)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
