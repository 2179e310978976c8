/**
 * The servers the HTTP benchmarks load, in a process of their own so that the load generator
 * does not share their event loop: a Fastify hello-world and the service over 10,000 node-subnet
 * plans and 1,200 overlay plans reusing one pod CIDR. It answers the parent's questions about
 * its own memory and event-loop delay over IPC.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Fastify from 'fastify';
import { buildApp } from '../src/http/app.js';
import { TokenService } from '../src/service/token-service.js';
import { PgConnection } from '../src/store/postgres/connection.js';
import { restorePostgres } from '../src/store/postgres/postgres-dump.js';
import { PostgresStore } from '../src/store/postgres/postgres-store.js';
import { openSqliteDatabase } from '../src/store/sqlite/open-sqlite.js';
import { dumpSqlite } from '../src/store/sqlite/sqlite-dump.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { Store } from '../src/store/store.js';
import { SYSTEM_CLOCK } from '../src/store/system-clock.js';
import { BENCH_IP, fillNodeSubnetPlans, fillOverlayPlans, NOOP_PATH, SERVER_PLANS } from './fill.js';

const hello = Fastify();
hello.get('/hello', async () => ({ hello: 'world' }));
await hello.listen({ port: 0, host: '127.0.0.1' });

const store = await filledStore(process.argv[2]);
// The bench measures throughput, so the per-token rate limit and overload shedding are lifted.
const app = await buildApp({
  store,
  edge: { rateLimitPerMinute: 100_000_000, maxEventLoopDelayMs: 0, maxHeapUsedBytes: 0 },
});
/**
 * A read route behind the same edge as a lookup (token check, rate limit, security headers,
 * request id, metrics, timeouts) that answers the bench's lookup text without looking anything
 * up: what the service costs before a lookup does any work.
 */
let noopAnswer = '';
app.get(NOOP_PATH, { config: { scope: 'read' } }, (_request, reply) => {
  // Nothing returned, as the lookup's handler: a returned reply is a thenable Fastify waits on.
  reply.type('application/json; charset=utf-8').send(noopAnswer);
});
await app.listen({ port: 0, host: '127.0.0.1' });
// Lookups carry a stored read token, as a pipeline's would: its check is part of what is measured.
const { secret: token } = await new TokenService(store.tokens).issue({ name: 'bench', scopes: ['read'] });
const answer = await app.inject({
  url: `/v1/lookup?ip=${BENCH_IP}`,
  headers: { authorization: `Bearer ${token}` },
});
if (answer.statusCode !== 200 || !answer.body.includes('"matchCount":1'))
  throw new Error(`the bench lookup answered ${answer.statusCode} ${answer.body}`);
noopAnswer = answer.body;
// The recorder's token: pod imports before the timed stream.
const { secret: writeToken } = await new TokenService(store.tokens).issue({
  name: 'bench-recorder',
  scopes: ['write'],
});

/**
 * The plans in SQLite in memory; with a PostgreSQL database URL, the same plans moved there
 * through a dump (quicker than creating 11,200 plans one transaction at a time).
 */
async function filledStore(postgresUrl: string | undefined): Promise<Store> {
  const { db } = openSqliteDatabase(':memory:');
  const sqlite = new SqliteStore(db, () => true, SYSTEM_CLOCK);
  await fillNodeSubnetPlans(sqlite, SERVER_PLANS.nodeSubnet);
  await fillOverlayPlans(sqlite, SERVER_PLANS.overlay);
  if (postgresUrl === undefined) return sqlite;
  const connection = new PgConnection({
    url: postgresUrl,
    poolSize: 10,
    statementTimeoutMs: 60_000,
    connectTimeoutMs: 5_000,
    retryMs: 1_000,
  });
  if (!(await connection.start())) throw new Error('the bench PostgreSQL cannot be reached');
  await restorePostgres(connection.pool, asAsync(dumpSqlite(db)));
  await sqlite.close();
  return new PostgresStore(connection, SYSTEM_CLOCK);
}

async function* asAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}

const portOf = (server: { address(): unknown }) => (server.address() as { port: number }).port;
let startRss = 0;
let startHeap = 0;
let peakRss = 0;
let sampler: NodeJS.Timeout | undefined;
const delay = monitorEventLoopDelay({ resolution: 1 });

process.on('message', (message: string) => {
  if (message === 'watch') {
    // The heap a stream leaves behind, after full collections before and after: what it retains.
    global.gc?.();
    startHeap = process.memoryUsage().heapUsed;
    startRss = process.memoryUsage.rss();
    peakRss = startRss;
    sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
    }, 20);
    delay.reset();
    delay.enable();
  } else if (message === 'report') {
    clearInterval(sampler);
    delay.disable();
    global.gc?.();
    process.send?.({
      startRss,
      peakRss,
      retainedHeap: process.memoryUsage().heapUsed - startHeap,
      delayP99Ms: delay.percentile(99) / 1e6,
      delayMaxMs: delay.max / 1e6,
    });
  } else if (message === 'stop') {
    void Promise.all([hello.close(), app.close()]).then(() => process.exit(0));
  }
});
process.send?.({
  hello: portOf(hello.server),
  app: portOf(app.server),
  token,
  writeToken,
  rss: process.memoryUsage.rss(),
});
