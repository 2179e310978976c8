/**
 * Recorded pods: 50,000 pods imported 100 times into one plan (SQLite, a file on disk as the
 * service keeps it), 1% of them replaced by new pods at each import (a rollout's churn). Reports
 * the time per import, what the history holds afterwards, what it costs in memory for lookups,
 * and point-in-time lookups answered from that memory.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { IpAddress } from '../src/domain/ip/index.js';
import { parseLookupAddress } from '../src/domain/lookup/lookup-address.js';
import { ObservedPods, type PodAddress } from '../src/domain/pods/pod-address.js';
import { PlanRecords } from '../src/domain/records/plan-records.js';
import { createServices } from '../src/service/services.js';
import { openSqliteStore } from '../src/store/sqlite/open-sqlite.js';
import { median } from './http.js';

const PODS = 50_000;
const IMPORTS = 100;
const CHURN = PODS / 100;

/** Pod k of generation g: a /16 pod subnet, one address per pod, on one of 200 nodes. */
function pod(k: number, generation: number): PodAddress {
  const value = 0x0af00000 + k + 8; // 10.240.0.8 upwards
  return {
    ip: IpAddress.ipv4(value),
    namespace: 'shop',
    pod: `web-${k}-g${generation}`,
    ownerKind: 'ReplicaSet',
    ownerName: `web-${k % 50}`,
    node: `aks-system-${k % 200}`,
    hostNetwork: false,
  };
}

export async function podHistory() {
  const dir = mkdtempSync(join(tmpdir(), 'aksip-pods-'));
  const file = join(dir, 'ipam.db');
  const store = openSqliteStore(file);
  try {
    const { plans, lookups } = createServices(store);
    await plans.create({
      name: 'dyn',
      network: { plugin: 'azure-cni-pod-subnet', nodeSubnet: '10.241.0.0/22', podSubnet: '10.240.0.0/16' },
      nodePools: [{ name: 'system', nodeCount: 200, maxPods: 250 }],
    });
    const planId = (await plans.get('dyn')).plan.id;
    const generations = new Array<number>(PODS).fill(0);
    const times: number[] = [];
    const turns: Turn[] = [];
    const at = (i: number) => new Date(Date.UTC(2026, 10, 30, 0, i * 5)).toISOString();
    for (let i = 0; i < IMPORTS; i++) {
      // A rollout replaces 1% of the pods between imports: new pods on the same addresses.
      for (let c = 0; c < (i === 0 ? 0 : CHURN); c++) {
        const k = (i * CHURN + c) % PODS;
        generations[k] = (generations[k] ?? 0) + 1;
      }
      const seen = generations.map((g, k) => pod(k, g));
      const start = performance.now();
      // Keyed here in one go; the service keys a list in slices as it reads it.
      const observed = ObservedPods.of(seen);
      turns.push(await longestTurnDuring(() => store.recordPods(planId, observed, at(i))));
      times.push(performance.now() - start);
    }
    const intervals = (await store.addressHistory(planId, pod(0, 0).ip, { limit: 200 })).items.length;
    const address = parseLookupAddress('10.240.0.8');
    if (address === undefined) throw new Error('an address');
    const lookupTimes: number[] = [];
    for (let r = 0; r < 200; r++) {
      const start = performance.now();
      await lookups.lookup([address], { limitPerIp: 20, at: at(r % IMPORTS) });
      lookupTimes.push(performance.now() - start);
    }
    // A flow log's lines: 10,000 recorded addresses, each with its own time.
    const flows = Array.from({ length: 10_000 }, (_, k) =>
      parseLookupAddress(pod((k * 7) % PODS, 0).ip.toString()),
    );
    const ats = flows.map((_, k) => at(k % IMPORTS));
    const batchTimes: number[] = [];
    for (let r = 0; r < 5; r++) {
      const start = performance.now();
      await lookups.lookup(flows as NonNullable<(typeof flows)[number]>[], { limitPerIp: 20 }, ats);
      batchTimes.push(performance.now() - start);
    }
    const rows = await countRows(file);
    const memory = await recordsInMemory(store, planId);
    return {
      ...memory,
      firstImportMs: times[0] ?? Number.NaN,
      importMs: median(times.slice(1)),
      firstImportLongestTurn: turns[0],
      importLongestTurn: turns.slice(1).reduce((a, b) => (b.ms > a.ms ? b : a)),
      rows,
      expectedRows: PODS + (IMPORTS - 1) * CHURN,
      intervalsOfOneAddress: intervals,
      databaseMb: statSync(file).size / 1024 / 1024,
      lookupAtMs: median(lookupTimes),
      timedAddressesPerSecond: flows.length / (median(batchTimes) / 1000),
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A turn of the event loop: how long, and how much of it went to garbage collection. */
export interface Turn {
  readonly ms: number;
  readonly collectingMs: number;
}

/**
 * The longest the event loop went without a turn while `work` ran: the widest gap between the
 * runs of a 1 ms timer, one turn after the work is done included (a last long turn shows there),
 * with the collections' pauses inside it: a scavenge or the end of a full collection lands in
 * whatever turn is running, and in a process holding the rest of the bench's heap it can be
 * most of the turn.
 */
async function longestTurnDuring(work: () => Promise<unknown>): Promise<Turn> {
  const pauses: [start: number, ms: number][] = [];
  const collections = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) pauses.push([entry.startTime, entry.duration]);
  });
  collections.observe({ entryTypes: ['gc'] });
  let longest = { from: 0, ms: 0 };
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    if (now - last > longest.ms) longest = { from: last, ms: now - last };
    last = now;
  }, 1);
  try {
    await work();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const end = longest.from + longest.ms;
    const inside = pauses.filter(([start]) => start >= longest.from && start < end);
    return { ms: longest.ms, collectingMs: inside.reduce((sum, [, ms]) => sum + ms, 0) };
  } finally {
    clearInterval(timer);
    collections.disconnect();
  }
}

/** What the plan's records cost in memory, read as a lookup reads them, and how long that read takes. */
async function recordsInMemory(store: ReturnType<typeof openSqliteStore>, planId: string) {
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  const start = performance.now();
  const records = await readRecords(store, planId);
  const loadMs = performance.now() - start;
  // Twice: the rows read are garbage only once the frame that awaited them has gone.
  await new Promise((resolve) => setImmediate(resolve));
  global.gc?.();
  global.gc?.();
  const bytes = process.memoryUsage().heapUsed - before;
  return { recordsLoadMs: loadMs, recordBytesPerEntry: bytes / records.size, recordEntries: records.size };
}

async function readRecords(store: ReturnType<typeof openSqliteStore>, planId: string): Promise<PlanRecords> {
  const records = new PlanRecords();
  for (;;) {
    const page = await store.podIntervalPage(planId, records.lastSeq, 5_000);
    records.apply(page.rows);
    if (page.rows.length < 5_000) return records;
  }
}

async function countRows(file: string): Promise<number> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM pod_addresses').pluck().get() as number;
  } finally {
    db.close();
  }
}
