/**
 * Backup, restore and moving between backends: a SQLite database dumped, restored into
 * PostgreSQL, dumped again and restored into SQLite gives the same dump, and the service answers
 * the same on all three.
 */

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { dumpToFile } from '../../src/cli/database.js';
import { DumpError, type DumpRecord } from '../../src/store/dump-format.js';
import { readDump, writeDump } from '../../src/store/dump-io.js';
import { PgConnection } from '../../src/store/postgres/connection.js';
import { dumpPostgres, restorePostgres } from '../../src/store/postgres/postgres-dump.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { openSqliteDatabase, openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import { dumpSqlite, restoreSqlite } from '../../src/store/sqlite/sqlite-dump.js';
import type { Store } from '../../src/store/store.js';
import { SYSTEM_CLOCK } from '../../src/store/system-clock.js';
import { type Request, testApp } from '../http/support/app.js';
import { freshDatabase } from '../support/postgres.js';
import { useTempDirs } from '../support/temp-dirs.js';

const tempDir = useTempDirs('aksip-dump-');
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The dump text, as the CLI writes it. */
async function text(
  records:
    | AsyncIterable<import('../../src/store/dump-format.js').DumpRecord>
    | Iterable<import('../../src/store/dump-format.js').DumpRecord>,
) {
  const chunks: string[] = [];
  const out = new (await import('node:stream')).Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  await writeDump(records, out);
  return chunks.join('');
}

const linesOf = (dump: string) => readDump(Readable.from(dump.split('\n')));

async function postgres(): Promise<PgConnection> {
  const db = await freshDatabase();
  cleanups.push(db.drop);
  const connection = new PgConnection({
    url: db.url,
    poolSize: 4,
    statementTimeoutMs: 30_000,
    connectTimeoutMs: 5_000,
    retryMs: 500,
  });
  expect(await connection.start()).toBe(true);
  cleanups.push(() => connection.close());
  return connection;
}

function sqliteFile(): { path: string; db: Database.Database } {
  const path = join(tempDir(), 'ipam.db');
  const { db } = openSqliteDatabase(path);
  cleanups.push(() => db.close());
  return { path, db };
}

/** A database with one of everything: plans from spaces, revisions, nodes, labels, tokens, keys, audit. */
async function populate(request: Request): Promise<void> {
  const ok = async (res: Promise<{ status: number; body: unknown }>, status: number) => {
    const answer = await res;
    expect(answer.status, JSON.stringify(answer.body)).toBe(status);
    return answer.body as Record<string, unknown>;
  };
  await ok(
    request.post('/v1/spaces').send({ name: 'corp', cidrs: ['10.240.0.0/14'], labels: { env: 'prod' } }),
    201,
  );
  await ok(request.post('/v1/spaces').send({ name: 'pods', cidrs: ['100.64.0.0/10', 'fd00::/56'] }), 201);
  await ok(
    request.post('/v1/plans').send({
      name: 'prod',
      labels: { team: 'payments' },
      network: { plugin: 'azure-cni-node-subnet', nodeSubnet: { fromSpace: 'corp' } },
      nodePools: [
        { name: 'system', nodeCount: 3 },
        { name: 'user', mode: 'User', nodeCount: 5, maxPods: 50 },
      ],
    }),
    201,
  );
  const kube = await ok(
    request.post('/v1/plans').send({
      name: 'kube',
      network: { plugin: 'kubenet', nodeSubnet: '10.250.0.0/24' },
      nodePools: [{ name: 'system', nodeCount: 3 }],
    }),
    201,
  );
  const put = await request.get('/v1/plans/kube');
  await ok(
    request
      .put('/v1/plans/kube')
      .set('If-Match', put.headers.etag as string)
      .send({
        name: 'kube',
        network: { plugin: 'kubenet', nodeSubnet: '10.250.0.0/24' },
        nodePools: [{ name: 'system', nodeCount: 4 }],
      }),
    200,
  );
  await ok(
    request
      .put(`/v1/plans/${kube.id}/nodes/aks-system-0`)
      .send({ pool: 'system', nodeIp: '10.250.0.4', podCidr: '10.244.0.0/24' }),
    200,
  );
  await ok(
    request
      .post('/v1/spaces/pods/allocations')
      .set('Idempotency-Key', 'k1')
      .send({ prefixLength: 16, purpose: 'overlay pods' }),
    201,
  );
  const v6 = await ok(
    request.post('/v1/spaces/pods/allocations').send({ family: 'ipv6', prefixLength: 64, purpose: 'v6' }),
    201,
  );
  await ok(
    request
      .post('/v1/spaces/pods/allocations')
      .send({ family: 'ipv6', prefixLength: 64, purpose: 'v6 again' }),
    201,
  );
  await ok(request.delete(`/v1/spaces/pods/allocations/${v6.id}`), 204);
  await ok(
    request.post('/v1/tokens').send({ name: 'pipeline', scopes: ['write'], labels: { team: 'payments' } }),
    201,
  );
  const revoked = await ok(request.post('/v1/tokens').send({ name: 'old', scopes: ['read'] }), 201);
  await ok(request.delete(`/v1/tokens/${revoked.id}`), 204);
}

/** What a client sees of everything: the answers must be the same on every backend. */
async function answers(request: Request) {
  const paths = [
    '/v1/plans',
    '/v1/plans/prod',
    '/v1/plans/kube/revisions',
    '/v1/plans/kube/nodes',
    '/v1/spaces',
    '/v1/spaces/pods/allocations',
    '/v1/spaces/corp/allocations',
    '/v1/spaces/pods/available?family=ipv6',
    '/v1/tokens',
    '/v1/audit?limit=100',
    '/v1/conflicts',
    '/v1/lookup?ip=10.240.0.40',
    '/v1/lookup?ip=10.244.0.9',
  ];
  const seen: Record<string, unknown> = {};
  for (const path of paths) {
    const res = await request.get(path);
    seen[path] = { status: res.status, body: res.body };
  }
  return seen;
}

async function appOver(store: Store): Promise<Request> {
  const { app, request } = await testApp(store);
  cleanups.push(() => app.close());
  return request;
}

describe('dump and restore across backends', () => {
  it('SQLite -> PostgreSQL -> SQLite: the same dump and the same answers', async () => {
    const source = sqliteFile();
    const first = await appOver(openSqliteStore(source.path));
    await populate(first);
    const fromSqlite = await text(dumpSqlite(source.db));
    expect(fromSqlite.split('\n').length).toBeGreaterThan(30);

    const pg = await postgres();
    await restorePostgres(pg.pool, linesOf(fromSqlite));
    const fromPostgres = await text(dumpPostgres(pg.pool));
    expect(fromPostgres).toEqual(fromSqlite);

    const back = sqliteFile();
    await restoreSqlite(back.db, linesOf(fromPostgres));
    expect(await text(dumpSqlite(back.db))).toEqual(fromSqlite);

    const expected = await answers(first);
    expect(Object.values(expected).map((a) => (a as { status: number }).status)).toEqual(Array(13).fill(200));
    expect(await answers(await appOver(new PostgresStore(pg, SYSTEM_CLOCK)))).toEqual(expected);
    expect(await answers(await appOver(openSqliteStore(back.path)))).toEqual(expected);
    // The restored databases go on: new writes follow the restored ones.
    const after = await appOver(openSqliteStore(back.path));
    expect(
      (await after.post('/v1/spaces/pods/allocations').send({ prefixLength: 16, purpose: 'more' })).body.cidr,
    ).toBe('100.65.0.0/16');
  });

  it("numbers a plan's ranges from 0 in the dump, whichever store wrote them", async () => {
    // Each plan's positions, in dump order; plans (random ids) sorted by their positions.
    const positions = async (records: AsyncIterable<DumpRecord> | Iterable<DumpRecord>) => {
      const byPlan = new Map<unknown, unknown[]>();
      for await (const { table, row } of records) {
        if (table === 'plan_ranges')
          byPlan.set(row.plan_id, [...(byPlan.get(row.plan_id) ?? []), row.position]);
      }
      return [...byPlan.values()].map((p) => JSON.stringify(p)).sort();
    };
    const source = sqliteFile();
    await populate(await appOver(openSqliteStore(source.path)));
    const pg = await postgres();
    await populate(await appOver(new PostgresStore(pg, SYSTEM_CLOCK)));
    const fromSqlite = await positions(dumpSqlite(source.db));
    expect(fromSqlite).toContain('[0,1,2]');
    expect(await positions(dumpPostgres(pg.pool))).toEqual(fromSqlite);
  });

  it('refuses a database that is not empty, and a damaged line, naming it; nothing is written', async () => {
    const source = sqliteFile();
    await populate(await appOver(openSqliteStore(source.path)));
    const dump = await text(dumpSqlite(source.db));
    await expect(restoreSqlite(source.db, linesOf(dump))).rejects.toThrow(
      'the database is not empty (plans has rows): restore into a new database',
    );
    const pg = await postgres();
    const lines = dump.split('\n');
    lines[5] = lines[5]?.replace('"row":{', '"row":{"colour":"blue",') ?? '';
    await expect(restorePostgres(pg.pool, linesOf(lines.join('\n')))).rejects.toThrow(
      new DumpError(6, 'plan_ranges has no column "colour"'),
    );
    expect(await text(dumpPostgres(pg.pool))).toBe(
      `${JSON.stringify({ format: 'aks-ip-planner-dump', version: 2 })}\n{"end":"aks-ip-planner-dump","rows":0}\n`,
    );
    await expect(restorePostgres(pg.pool, linesOf('{"format":"other"}\n'))).rejects.toThrow(
      /^line 1: not a dump/,
    );
  });

  it("refuses a plan's spec the stored-spec guard would refuse on every read, naming its line", async () => {
    const source = sqliteFile();
    await populate(await appOver(openSqliteStore(source.path)));
    const lines = (await text(dumpSqlite(source.db))).split('\n');
    const at = lines.findIndex((line) => line.startsWith('{"table":"plans"'));
    lines[at] = lines[at]?.replace('"nodePools":[{', '"nodePools":[{"nodePublicIp":"yes",') ?? '';
    const target = sqliteFile();
    await expect(restoreSqlite(target.db, linesOf(lines.join('\n')))).rejects.toThrow(
      new DumpError(
        at + 1,
        'plans.spec: stored plan spec is damaged: spec.nodePools[0].nodePublicIp is not a boolean',
      ),
    );
    expect(await text(dumpSqlite(target.db))).toBe(
      `${JSON.stringify({ format: 'aks-ip-planner-dump', version: 2 })}\n{"end":"aks-ip-planner-dump","rows":0}\n`,
    );
  });

  it('refuses a dump cut short, at any line, and writes nothing of it', async () => {
    const source = sqliteFile();
    await populate(await appOver(openSqliteStore(source.path)));
    const lines = (await text(dumpSqlite(source.db))).trimEnd().split('\n');
    const rows = lines.length - 2;
    expect(lines.at(-1)).toBe(`{"end":"aks-ip-planner-dump","rows":${rows}}`);
    for (const kept of [1, 2, Math.floor(lines.length / 2), lines.length - 1]) {
      const cut = `${lines.slice(0, kept).join('\n')}\n`;
      const back = sqliteFile();
      await expect(restoreSqlite(back.db, linesOf(cut)), `${kept} lines`).rejects.toThrow(
        `the dump ends without its end line after ${kept - 1} rows: it was cut short`,
      );
      expect(back.db.prepare('SELECT count(*) AS n FROM plans').get()).toEqual({ n: 0 });
    }
    // An end line that counts otherwise, and a line after it, are refused too.
    const miscounted = [...lines.slice(0, -2), lines.at(-1)].join('\n');
    await expect(restoreSqlite(sqliteFile().db, linesOf(miscounted))).rejects.toThrow(
      `the end line counts ${rows} rows; ${rows - 1} came before it`,
    );
    // An end line is exactly that: no other key, not a row that also says "end".
    for (const end of [
      `{"end":"aks-ip-planner-dump","rows":${rows},"x":1}`,
      lines[1]?.replace('{', '{"end":1,'),
    ]) {
      const odd = [...lines.slice(0, -1), end].join('\n');
      await expect(restoreSqlite(sqliteFile().db, linesOf(odd))).rejects.toThrow(
        `line ${lines.length}: an end line is`,
      );
    }
    const trailing = [...lines, lines[1]].join('\n');
    await expect(restoreSqlite(sqliteFile().db, linesOf(trailing))).rejects.toThrow(
      `line ${lines.length + 1}: a line after the dump's end line`,
    );
  });

  it('restores a version 1 dump, which has no end line', async () => {
    const source = sqliteFile();
    await populate(await appOver(openSqliteStore(source.path)));
    const lines = (await text(dumpSqlite(source.db))).trimEnd().split('\n');
    const v1 = [JSON.stringify({ format: 'aks-ip-planner-dump', version: 1 }), ...lines.slice(1, -1)];
    const back = sqliteFile();
    // With a byte order mark, as an editor may save it.
    await restoreSqlite(back.db, linesOf(`\uFEFF${v1.join('\n')}`));
    expect(await text(dumpSqlite(back.db))).toBe(`${lines.join('\n')}\n`);
  });

  it('removes a dump file it could not finish', async () => {
    const path = join(tempDir(), 'broken.jsonl');
    async function* failing(): AsyncGenerator<DumpRecord> {
      yield { table: 'plan_labels', row: { plan_id: 'p', key: 'k', value: 'v' } };
      throw new Error('the database went away');
    }
    await expect(dumpToFile(failing(), path)).rejects.toThrow('the database went away');
    expect(existsSync(path)).toBe(false);
  });

  it("restores a dump taken before ranges held their pod subnet's mode, with the mode", async () => {
    const source = sqliteFile();
    const request = await appOver(openSqliteStore(source.path));
    const plan = {
      name: 'dyn',
      network: { plugin: 'azure-cni-pod-subnet', nodeSubnet: '10.1.0.0/24', podSubnet: '10.9.0.0/20' },
      nodePools: [{ name: 'system', nodeCount: 3 }],
    };
    expect((await request.post('/v1/plans').send(plan)).status).toBe(201);
    const older = (await text(dumpSqlite(source.db)))
      .split('\n')
      .map((line) => line.replace(/,"pod_ip_allocation":(null|"[a-z-]+")/, ''))
      .join('\n');
    expect(older).not.toContain('pod_ip_allocation');
    const modes = "SELECT pod_ip_allocation AS mode FROM plan_ranges WHERE kind = 'pod-subnet'";
    const back = sqliteFile();
    await restoreSqlite(back.db, linesOf(older));
    expect(back.db.prepare(modes).all()).toEqual([{ mode: 'dynamic' }]);
    const pg = await postgres();
    await restorePostgres(pg.pool, linesOf(older));
    expect((await pg.pool.query(modes)).rows).toEqual([{ mode: 'dynamic' }]);
  });

  it('restores a dump taken before ranges said what a plan takes in its platform subnets, saying it', async () => {
    const source = sqliteFile();
    const request = await appOver(openSqliteStore(source.path));
    const plan = {
      name: 'hub',
      network: {
        plugin: 'azure-cni-overlay',
        vnetAddressSpace: ['10.42.0.0/16'],
        nodeSubnet: '10.42.1.0/24',
      },
      nodePools: [{ name: 'system', nodeCount: 3 }],
      platformSubnets: [
        { role: 'api-server', cidr: '10.42.9.0/28' },
        { role: 'private-endpoints', name: 'pe', cidr: '10.42.10.0/28' },
        { role: 'private-endpoints', name: 'pe-2', cidr: '10.42.11.0/28' },
        { role: 'internal-load-balancers', name: 'ilb', cidr: '10.42.12.0/28' },
      ],
      reservations: { privateEndpoints: 3 },
    };
    expect((await request.post('/v1/plans').send(plan)).status).toBe(201);
    const demands =
      "SELECT subnet_name AS subnet, subnet_demand AS demand FROM plan_ranges WHERE kind = 'platform-subnet' ORDER BY subnet_name";
    const expected = [
      { subnet: 'api-server', demand: 9 },
      { subnet: 'ilb', demand: null },
      { subnet: 'pe', demand: 3 },
      { subnet: 'pe-2', demand: null },
    ];
    expect(source.db.prepare(demands).all()).toEqual(expected);
    const older = (await text(dumpSqlite(source.db)))
      .split('\n')
      .map((line) => line.replace(/,"subnet_demand":(\d+|null)/, ''))
      .join('\n');
    expect(older).not.toContain('subnet_demand');
    const back = sqliteFile();
    await restoreSqlite(back.db, linesOf(older));
    expect(back.db.prepare(demands).all()).toEqual(expected);
    const pg = await postgres();
    await restorePostgres(pg.pool, linesOf(older));
    expect((await pg.pool.query(demands)).rows).toEqual(expected);
  });

  it('restores a dump taken before ranges said a node subnet is in the VNet AKS creates, saying it', async () => {
    const source = sqliteFile();
    const request = await appOver(openSqliteStore(source.path));
    const inAksVnet = {
      name: 'kube1',
      network: { plugin: 'kubenet' },
      nodePools: [{ name: 'system', nodeCount: 3 }],
    };
    const own = { ...inAksVnet, name: 'own', network: { plugin: 'kubenet', nodeSubnet: '10.1.0.0/24' } };
    for (const plan of [inAksVnet, own])
      expect((await request.post('/v1/plans').send(plan)).status).toBe(201);
    const older = (await text(dumpSqlite(source.db)))
      .split('\n')
      // As the previous release wrote it: no column, and a kubenet node subnet exclusive.
      .map((line) =>
        line.includes('"aks_created_vnet":1')
          ? line.replace('"exclusive":0', '"exclusive":1').replace(/,"aks_created_vnet":\d/, '')
          : line.replace(/,"aks_created_vnet":\d/, ''),
      )
      .join('\n');
    expect(older).not.toContain('aks_created_vnet');
    const flags =
      "SELECT p.name, r.exclusive, r.aks_created_vnet AS aks FROM plan_ranges r JOIN plans p ON p.id = r.plan_id WHERE r.kind = 'node-subnet' ORDER BY p.name";
    const expected = [
      { name: 'kube1', exclusive: 0, aks: 1 },
      { name: 'own', exclusive: 1, aks: 0 },
    ];
    const back = sqliteFile();
    await restoreSqlite(back.db, linesOf(older));
    expect(back.db.prepare(flags).all()).toEqual(expected);
    const pg = await postgres();
    await restorePostgres(pg.pool, linesOf(older));
    expect((await pg.pool.query(flags)).rows).toEqual(expected);
    // Restored, the second cluster in a VNet AKS creates takes the same default subnet.
    const again = await appOver(openSqliteStore(back.path));
    expect((await again.post('/v1/plans').send({ ...inAksVnet, name: 'kube2' })).status).toBe(201);
  });
});
