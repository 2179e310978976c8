/** The HTTP benchmarks: the service in a child process (bench/server.ts) under real load. */
import { type ChildProcess, fork } from 'node:child_process';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import autocannon from 'autocannon';
import { BENCH_IP, NOOP_PATH, podOf, SERVER_PLANS } from './fill.js';

export interface Server {
  readonly hello: number;
  readonly app: number;
  /** A read token the server stored: every lookup sends it. */
  readonly token: string;
  /** A write token, for the pod imports of the timed stream. */
  readonly writeToken: string;
  /** Starts sampling the server's RSS and event-loop delay; `report` answers what it saw. */
  watch(): void;
  report(): Promise<{
    startRss: number;
    peakRss: number;
    retainedHeap: number;
    delayP99Ms: number;
    delayMaxMs: number;
  }>;
  stop(): Promise<void>;
}

/**
 * The bench server; with a PostgreSQL database URL, its plans are stored there. With
 * BENCH_SERVER_PROF=DIR it writes a CPU profile of its whole life there (node --cpu-prof).
 */
export async function startServer(postgresUrl?: string): Promise<Server> {
  const args = postgresUrl === undefined ? [] : [postgresUrl];
  const child: ChildProcess = fork(new URL('./server.ts', import.meta.url).pathname, args, {
    execArgv: [
      '--expose-gc',
      '--import',
      'tsx',
      ...(process.env.BENCH_SERVER_PROF
        ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_SERVER_PROF]
        : []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  type Ports = { hello: number; app: number; token: string; writeToken: string };
  const ports = await new Promise<Ports>((resolve, reject) => {
    child.once('message', (m) => resolve(m as Ports));
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return {
    ...ports,
    watch: () => child.send('watch'),
    report: () =>
      new Promise((resolve) => {
        child.once('message', (m) => resolve(m as Awaited<ReturnType<Server['report']>>));
        child.send('report');
      }),
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.send('stop');
      }),
  };
}

async function requestsPerSecond(
  url: string,
  seconds: number,
  headers: Record<string, string> = {},
): Promise<number> {
  const result = await autocannon({ url, connections: 50, duration: seconds, headers });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.average;
}

/**
 * A single GET /v1/lookup against a Fastify hello-world in alternating rounds, with a no-op read
 * route of the service between them (the same token check, headers and hooks, the lookup's
 * answer without the lookup): the ratio of each round to its neighbouring hello-world round (they
 * share the machine's mood), and their medians. `edge` is what the service's edge leaves of a
 * hello-world; `own` what the lookup's own work leaves of that.
 */
export async function lookupVersusHello(server: Server, rounds = 5, seconds = 3) {
  const app = `http://127.0.0.1:${server.app}`;
  const lookupUrl = `${app}/v1/lookup?ip=${BENCH_IP}`;
  const hello: number[] = [];
  const noop: number[] = [];
  const lookup: number[] = [];
  await requestsPerSecond(lookupUrl, 1, auth(server)); // warm up
  await requestsPerSecond(`${app}${NOOP_PATH}`, 1, auth(server));
  for (let r = 0; r < rounds; r++) {
    hello.push(await requestsPerSecond(`http://127.0.0.1:${server.hello}/hello`, seconds));
    noop.push(await requestsPerSecond(`${app}${NOOP_PATH}`, seconds, auth(server)));
    lookup.push(await requestsPerSecond(lookupUrl, seconds, auth(server)));
  }
  const over = (xs: number[], ys: number[]) => median(xs.map((x, i) => x / (ys[i] ?? Number.NaN)));
  return {
    hello: median(hello),
    noop: median(noop),
    lookup: median(lookup),
    ratio: over(lookup, hello),
    edge: over(noop, hello),
    own: over(lookup, noop),
  };
}

/**
 * Untimed requests before the timed ones: the first lays out the designs of the 10,000 plans it
 * reaches; the next let V8 optimise the batch's path, which takes a few requests of 10,000
 * addresses (in three runs of 40 requests after the GET rounds, requests 2-8 took a median 25-31
 * ms, requests 17-40 22-27 ms). A service answering flow logs runs this path all day: the steady
 * state is what the bench reports.
 */
const WARM_UP_RUNS = 5;

/**
 * POST /v1/lookup of 10,000 addresses (one match each), end to end: addresses per second. The
 * clock runs from sending the request to the answer's last byte; the answer is parsed and checked
 * after it stops (parsing 2.5 MB of JSON is the client's work, and it shares the two cores).
 */
export async function batchOverHttp(server: Server, runs = 9): Promise<number> {
  const ips = Array.from({ length: 10_000 }, (_, k) => podOf((k * 7919) % SERVER_PLANS.nodeSubnet, k));
  const body = JSON.stringify({ ips });
  const times: number[] = [];
  for (let r = 0; r < runs + WARM_UP_RUNS; r++) {
    const start = performance.now();
    const res = await post(server, '/v1/lookup', body);
    if (r >= WARM_UP_RUNS) times.push(performance.now() - start);
    if (res.status !== 200) throw new Error(`batch answered ${res.status}: ${res.text().slice(0, 200)}`);
    const answer = JSON.parse(res.text()) as { results: { matchCount: number }[] };
    if (answer.results.some((a) => a.matchCount !== 1)) throw new Error('unexpected batch answer');
  }
  return ips.length / (median(times) / 1000);
}

/**
 * A JSON body posted with the read token over node:http (lighter than fetch): the status and the
 * answer's bytes as they came, decoded by `text()` once the timing is over.
 */
function post(server: Server, path: string, body: string): Promise<{ status: number; text(): string }> {
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/json', ...auth(server) };
    const req = request({ host: '127.0.0.1', port: server.app, path, method: 'POST', headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: () => Buffer.concat(parts).toString() }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Streams `lines` NDJSON lines through POST /v1/lookup: lines per second, and the server's peak RSS. */
export async function ndjsonStream(
  server: Server,
  lines: number,
  make: (count: number) => Generator<string> = ndjsonLines,
) {
  server.watch();
  const start = performance.now();
  const answered = await new Promise<number>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.app,
        path: '/v1/lookup',
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson', ...auth(server) },
      },
      (res) => {
        let count = 0;
        res.on('data', (chunk: Buffer) => {
          for (const byte of chunk) if (byte === 10) count++;
        });
        res.on('end', () => resolve(count));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    Readable.from(make(lines)).pipe(req);
  });
  const seconds = (performance.now() - start) / 1000;
  const { startRss, peakRss, retainedHeap } = await server.report();
  if (answered !== lines) throw new Error(`${answered} of ${lines} lines answered`);
  const mb = (bytes: number) => bytes / 1024 / 1024;
  return {
    linesPerSecond: lines / seconds,
    seconds,
    startRssMb: mb(startRss),
    peakRssMb: mb(peakRss),
    retainedHeapMb: mb(retainedHeap),
  };
}

/** The plans whose pods the timed stream asks about: 90 recorded addresses each. */
const RECORDED_PLANS = 1_000;
const [BEFORE, AFTER] = ['2026-11-30T14:00:00Z', '2026-11-30T15:00:00Z'];

/**
 * Records the pods of the first 1,000 node-subnet plans twice, an hour apart, half of them
 * replaced in between: 135,000 intervals for a timed stream to ask about.
 */
export async function recordPods(server: Server): Promise<void> {
  const pods = (i: number, generation: number) => ({
    items: Array.from({ length: 90 }, (_, k) => ({
      metadata: { name: `web-${k}-g${k % 2 === 0 ? generation : 0}`, namespace: 'shop' },
      spec: { nodeName: `node-${k % 3}` },
      status: { podIP: podOf(i, k) },
    })),
  });
  for (let i = 0; i < RECORDED_PLANS; i++) {
    for (const [generation, at] of [BEFORE, AFTER].entries()) {
      const res = await fetch(`http://127.0.0.1:${server.app}/v1/plans/p${i}/pod-imports?observedAt=${at}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${server.writeToken}` },
        body: JSON.stringify(pods(i, generation)),
      });
      if (res.status !== 200) throw new Error(`pod import of p${i}: ${res.status}`);
    }
  }
}

/** Flow log lines of recorded addresses, each with its own time, before and after the change. */
export function* timedLines(count: number): Generator<string> {
  const perChunk = 1000;
  const at = ['2026-11-30T14:30:00Z', '2026-11-30T15:30:00Z'];
  for (let sent = 0; sent < count; sent += perChunk) {
    let chunk = '';
    for (let k = sent; k < Math.min(count, sent + perChunk); k++) {
      chunk += `{"ip":"${podOf((k * 7919) % RECORDED_PLANS, k)}","at":"${at[k % 2]}"}\n`;
    }
    yield chunk;
  }
}

function* ndjsonLines(count: number): Generator<string> {
  const perChunk = 1000;
  for (let sent = 0; sent < count; sent += perChunk) {
    let chunk = '';
    for (let k = sent; k < Math.min(count, sent + perChunk); k++) {
      chunk += `{"ip":"${podOf((k * 7919) % SERVER_PLANS.nodeSubnet, k)}"}\n`;
    }
    yield chunk;
  }
}

/**
 * Probes /healthz every 10 ms from a thread of its own until told to stop, then answers the
 * slowest: the bench's main thread receiving a 38 MB answer must not delay the probes it times.
 * It says it is ready after one untimed probe: a thread's first fetch loads the HTTP client and
 * opens the connection (50-100 ms here), which is the prober's cost, not the server's.
 */
const PROBER = `
const { parentPort, workerData } = require('node:worker_threads');
let probing = true;
let slowest = 0;
// A refused probe counts as a slow one (the whole wait), never as a crash of the prober.
const probe = () => fetch('http://127.0.0.1:' + workerData.port + '/healthz')
  .then((res) => res.text())
  .catch(() => undefined);
parentPort.once('message', () => { probing = false; });
(async () => {
  await probe();
  parentPort.postMessage('ready');
  while (probing) {
    const start = performance.now();
    await probe();
    slowest = Math.max(slowest, performance.now() - start);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  parentPort.postMessage(slowest);
})();
`;

/**
 * The largest batch the service takes (10,000 pod IPs of the pod CIDR 1,200 overlay plans
 * share, 20 matches each: 200,000 matches) while /healthz is probed every 10 ms from a thread of
 * its own: the server's event-loop delay, and the slowest probe. One batch first lays out the
 * overlay plans' designs, as the streams are warmed before they are measured.
 */
export async function largestBatch(server: Server) {
  const body = JSON.stringify({
    ips: Array.from({ length: 10_000 }, (_, k) => `10.244.${k % 20}.${1 + (k % 250)}`),
  });
  await post(server, '/v1/lookup', body);
  server.watch();
  const prober = new Worker(PROBER, { eval: true, workerData: { port: server.app } });
  await new Promise((resolve, reject) => prober.once('message', resolve).once('error', reject));
  const start = performance.now();
  const res = await post(server, '/v1/lookup', body);
  const ms = performance.now() - start;
  const slowestProbeMs = await new Promise<number>((resolve, reject) => {
    prober.once('message', resolve).once('error', reject);
    prober.postMessage('stop');
  });
  await prober.terminate();
  const answer = JSON.parse(res.text()) as { results: { matches: unknown[]; matchCount: number }[] };
  const { delayP99Ms, delayMaxMs } = await server.report();
  const matches = answer.results.reduce((sum, r) => sum + r.matches.length, 0);
  if (answer.results[0]?.matchCount !== SERVER_PLANS.overlay)
    throw new Error('the batch should match every overlay plan');
  return { ms, matches, delayP99Ms, delayMaxMs, slowestProbeMs };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** The header every lookup sends: the server's read token. */
function auth(server: Server): Record<string, string> {
  return { authorization: `Bearer ${server.token}` };
}
