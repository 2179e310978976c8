/**
 * `npm run bench`: every figure the README's performance section quotes, each next to its
 * target. Machines here are noisy, so throughput is compared with a baseline measured in the
 * same run where the target is a ratio (HTTP against a Fastify hello-world), and medians are
 * taken over several runs.
 */

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startEmbeddedPostgres } from '../test/support/embedded-postgres.js';
import { allocationCost } from './allocation.js';
import { conflictsTime } from './conflicts.js';
import {
  batchOverHttp,
  largestBatch,
  lookupVersusHello,
  ndjsonStream,
  recordPods,
  startServer,
  timedLines,
} from './http.js';
import type { atScale } from './in-process.js';
import { batchInProcess } from './in-process.js';
import { podHistory, type Turn } from './pods.js';
import { newDatabase, writeRates } from './postgres.js';

type Row = [what: string, figure: string, target: string, met: boolean];

/** A benchmark module run in a fresh process (with the same flags), its JSON output parsed. */
async function isolated<T>(module: string): Promise<T> {
  const path = new URL(module, import.meta.url).pathname;
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--import', 'tsx', path], {
    maxBuffer: 1024 * 1024,
  });
  return JSON.parse(stdout) as T;
}
const rows: Row[] = [];
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const section = (name: string) => process.stderr.write(`${name}...\n`);
/** A turn's length and, in parentheses, its collections' part. */
const turnText = (turn: Turn | undefined) =>
  turn === undefined ? 'none' : `${fmt(turn.ms, 1)} (${fmt(turn.collectingMs, 1)})`;

/**
 * Constant memory is what a stream leaves behind after a full collection. The RSS peak is
 * reported: V8 lets the answers' garbage grow 100-250 MB above the heap before it collects,
 * whatever the stream's length.
 */
const retained = (stream: { retainedHeapMb: number; startRssMb: number; peakRssMb: number }): Row => [
  '  server heap retained after it (full collections before and after) / RSS before, peak, MB',
  `${fmt(stream.retainedHeapMb, 1)} / ${fmt(stream.startRssMb)}, ${fmt(stream.peakRssMb)}`,
  'flat (< 20 MB retained)',
  stream.retainedHeapMb < 20,
];

section('in-process batch lookup');
const inProcess = await batchInProcess();
rows.push([
  'batch lookup in-process, addresses spread over 10,000 plans, addresses/s',
  fmt(inProcess),
  '>= 1,000,000',
  inProcess >= 1_000_000,
]);
const fewPlans = await batchInProcess(100);
rows.push(['  the same, addresses of 100 plans, addresses/s', fmt(fewPlans), 'reported', true]);

section('lookup at 100,000 plans');
const scale = await isolated<Awaited<ReturnType<typeof atScale>>>('./at-scale-child.ts');
rows.push([
  'lookup at 100,000 plans / at 100 plans',
  `${fmt(scale.ratio, 2)} (${fmt(scale.atLarge, 1)} vs ${fmt(scale.at100, 1)} µs)`,
  '<= 1.5',
  scale.ratio <= 1.5,
]);
rows.push(['index build for 100,000 plans, ms', fmt(scale.buildMs), '< 5,000', scale.buildMs < 5000]);
rows.push(['index memory per stored plan, bytes', fmt(scale.indexBytesPerPlan), 'reported', true]);
rows.push(['laid-out design in the cache, bytes', fmt(scale.designBytes), 'reported', true]);

section('HTTP (10,000 node-subnet and 1,200 overlay plans in a child process)');
const server = await startServer();
try {
  const versus = await lookupVersusHello(server);
  rows.push([
    'GET /v1/lookup / Fastify hello-world, req/s',
    `${fmt(versus.ratio, 2)} (${fmt(versus.lookup)} vs ${fmt(versus.hello)})`,
    '>= 0.70',
    versus.ratio >= 0.7,
  ]);
  rows.push([
    '  a no-op read route behind the same edge / hello-world',
    `${fmt(versus.edge, 2)} (${fmt(versus.noop)} vs ${fmt(versus.hello)})`,
    'reported',
    true,
  ]);
  rows.push(['  GET /v1/lookup / that no-op route', fmt(versus.own, 2), 'reported', true]);
  const overHttp = await batchOverHttp(server);
  rows.push(['POST /v1/lookup of 10,000, addresses/s', fmt(overHttp), '>= 250,000', overHttp >= 250_000]);
  // Warms the design cache (the lines reach every plan), which the stream measured next would
  // otherwise retain: it shows whether memory grows with the lines, as it must not.
  await ndjsonStream(server, 200_000);
  const stream = await ndjsonStream(server, 1_000_000);
  rows.push([
    'NDJSON stream of 1,000,000 lines, lines/s',
    `${fmt(stream.linesPerSecond)} (${fmt(stream.seconds, 1)} s)`,
    'well under a minute',
    stream.seconds < 30,
  ]);
  rows.push(retained(stream));
  // Last, as it records pods: the lookups above must not meet records.
  await recordPods(server);
  // The first timed lines read each plan's records into memory (about 40 MB for these 1,000
  // plans): warmed first, so that the measured stream shows growth with lines, not that read.
  await ndjsonStream(server, 200_000, timedLines);
  const timed = await ndjsonStream(server, 1_000_000, timedLines);
  rows.push([
    'NDJSON stream of 1,000,000 lines each at its own time (recorded pods), lines/s',
    `${fmt(timed.linesPerSecond)} (${fmt(timed.seconds, 1)} s)`,
    'well under a minute',
    timed.seconds < 30,
  ]);
  rows.push(retained(timed));
  const largest = await largestBatch(server);
  rows.push([
    'largest batch (200,000 matches): event-loop delay p99 / max, ms',
    `${fmt(largest.delayP99Ms, 1)} / ${fmt(largest.delayMaxMs, 1)} (${fmt(largest.ms)} ms in all)`,
    'max <= 50',
    largest.delayMaxMs <= 50,
  ]);
  rows.push([
    '  slowest /healthz during it, ms',
    fmt(largest.slowestProbeMs, 1),
    '<= 100',
    largest.slowestProbeMs <= 100,
  ]);
} finally {
  await server.stop();
}

section('PostgreSQL beside SQLite (embedded server)');
const postgres = process.env.BENCH_DATABASE_URL ? undefined : await startEmbeddedPostgres();
const postgresUrl = process.env.BENCH_DATABASE_URL || (postgres?.url as string);
try {
  for (const r of await writeRates(postgresUrl)) {
    const who = `${r.backend}, ${r.clients} client${r.clients === 1 ? '' : 's'}`;
    rows.push([`plan creates/s, ${who}`, fmt(r.createsPerSecond), 'reported', true]);
    rows.push([`allocations/s into one space, ${who}`, fmt(r.allocationsPerSecond), 'reported', true]);
  }
  const database = await newDatabase(postgresUrl);
  const onPostgres = await startServer(database.url);
  try {
    const versus = await lookupVersusHello(onPostgres);
    rows.push([
      'GET /v1/lookup / hello-world on a PostgreSQL-backed replica',
      `${fmt(versus.ratio, 2)} (${fmt(versus.lookup)} vs ${fmt(versus.hello)})`,
      'as on SQLite',
      true,
    ]);
  } finally {
    await onPostgres.stop();
    await database.drop();
  }
} finally {
  await postgres?.stop();
}

section('conflicts of 10,000 plans on one subnet');
const conflicts = await conflictsTime(10_000);
rows.push(['GET /v1/conflicts, 10,000 plans on one subnet, ms', fmt(conflicts), '< 1,000', conflicts < 1000]);

section('allocation as a space fills');
const allocation = await allocationCost();
const growth = allocation.at50k / allocation.first;
rows.push([
  'allocation at 50,000 / the first',
  `${fmt(growth, 2)} (${fmt(allocation.at50k, 3)} vs ${fmt(allocation.first, 3)} ms)`,
  '<= 2',
  growth <= 2,
]);

section('recorded pods: 50,000 pods imported 100 times');
const pods = await podHistory();
rows.push([
  'pod import of 50,000 pods (1% replaced since the last), ms',
  `${fmt(pods.importMs)} (the first: ${fmt(pods.firstImportMs)})`,
  'reported',
  true,
]);
rows.push([
  '  the longest event-loop turn during an import, ms (of it collecting garbage; later imports)',
  `${turnText(pods.importLongestTurn)} (the first: ${turnText(pods.firstImportLongestTurn)})`,
  'reported',
  true,
]);
rows.push([
  'history rows after 100 imports',
  `${fmt(pods.rows)} (50,000 + 99 x 500 changes: ${fmt(pods.expectedRows)})`,
  'grows with changes',
  pods.rows === pods.expectedRows,
]);
rows.push(['  the SQLite database file, MB', fmt(pods.databaseMb, 1), 'reported', true]);
rows.push([
  '  held in memory for lookups: entries, bytes each, ms to read',
  `${fmt(pods.recordEntries)}, ${fmt(pods.recordBytesPerEntry)}, ${fmt(pods.recordsLoadMs)}`,
  'reported',
  true,
]);
rows.push(['point-in-time lookup of a recorded pod, µs', fmt(pods.lookupAtMs * 1000), 'reported', true]);
rows.push([
  '  a batch of 10,000 addresses, each at its own time, addresses/s',
  fmt(pods.timedAddressesPerSecond),
  'reported (1,000,000 timed lines in under a minute needs 17,000)',
  true,
]);

const width = Math.max(...rows.map((r) => r[0].length));
const figureWidth = Math.max(...rows.map((r) => r[1].length));
process.stdout.write(`${'benchmark'.padEnd(width)}  ${'figure'.padEnd(figureWidth)}  target\n`);
for (const [what, figure, target, met] of rows) {
  process.stdout.write(
    `${what.padEnd(width)}  ${figure.padEnd(figureWidth)}  ${target}${met ? '' : '  (not met)'}\n`,
  );
}
