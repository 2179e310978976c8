import { describe, expect, it } from 'vitest';
import { DumpError, parseDumpLine } from '../../src/store/dump-format.js';
import { openSqliteDatabase, openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import { dumpSqlite, restoreSqlite } from '../../src/store/sqlite/sqlite-dump.js';
import { planWrite, TestClock } from '../store/contract/fixtures.js';

const planRow = (row: Record<string, unknown>) =>
  JSON.stringify({
    table: 'plan_labels',
    row: { plan_id: 'p1', key: 'team', value: 'a', ...row },
  });

describe('dump lines and restore', () => {
  // Guards src/store/dump-format.ts: int columns checked with `typeof cell === 'number'`
  // instead of Number.isSafeInteger: 1.5 and 1e300 pass.
  it('refuses an int column that is not an integer', () => {
    const line = JSON.stringify({
      table: 'space_cidrs',
      row: { space_id: 's', position: 1.5, family: 4, cidr: '10.0.0.0/8' },
    });
    expect(() => parseDumpLine(line, 2, false)).toThrow(DumpError);
    expect(() => parseDumpLine(line, 2, false)).toThrow('space_cidrs.position must be an integer');
  });

  // Guards src/store/dump-format.ts: text columns accept any value.
  it('refuses a text column that is not text', () => {
    expect(() => parseDumpLine(planRow({ value: 42 }), 2, false)).toThrow('plan_labels.value must be text');
    expect(() => parseDumpLine(planRow({ value: { x: 1 } }), 2, false)).toThrow(
      'plan_labels.value must be text',
    );
  });

  // Guards src/store/sqlite/sqlite-dump.ts: restoreSqlite's `counts[table]++` dropped: it
  // answers 0 rows for every table (aks-ip restore prints "restored: plans 0, ...").
  it('answers how many rows each table got', async () => {
    const clock = new TestClock();
    clock.reset();
    const source = openSqliteStore(':memory:', clock);
    await source.createPlan(planWrite('alpha'));
    const records = [...dumpSqlite((source as unknown as { db: import('better-sqlite3').Database }).db)];
    await source.close();
    const { db } = openSqliteDatabase(':memory:');
    try {
      async function* all() {
        yield* records;
      }
      const counts = await restoreSqlite(db, all());
      expect(counts.plans).toBe(1);
      expect(counts.plan_ranges).toBe(records.filter((r) => r.table === 'plan_ranges').length);
    } finally {
      db.close();
    }
  });

  // Guards src/store/dump-format.ts: checkSpec only for `plans`, not `plan_revisions`:
  // a revision whose spec the stored-spec guard refuses restores, and every read of it is a 500.
  it("refuses a plan revision's spec the guard would refuse, naming its line", () => {
    const line = JSON.stringify({
      table: 'plan_revisions',
      row: {
        plan_id: 'p1',
        revision: 1,
        name: 'alpha',
        at: '2026-01-05T09:00:00.000Z',
        spec: { name: 'alpha', network: { plugin: 'calico' } },
      },
    });
    expect(() => parseDumpLine(line, 7, false)).toThrow(/^line 7: plan_revisions\.spec: /);
  });
});

describe('dump reading and upgrades', () => {
  const lines = (...values: unknown[]) =>
    (async function* () {
      for (const v of values) yield typeof v === 'string' ? v : JSON.stringify(v);
    })();
  const header = { format: 'aks-ip-planner-dump', version: 2 };
  const label = (key: string) => ({ table: 'plan_labels', row: { plan_id: 'p1', key, value: 'a' } });
  const read = async (source: AsyncIterable<string>) => {
    const { readDump } = await import('../../src/store/dump-io.js');
    const out = [];
    for await (const r of readDump(source)) out.push(r);
    return out;
  };

  // Guards src/store/dump-io.ts: `parsed.rows !== rows` -> `parsed.rows > rows`: an end
  // line counting fewer rows than came before it (rows added to the file) is taken.
  it('refuses an end line that counts fewer rows than came before it', async () => {
    await expect(
      read(lines(header, label('a'), label('b'), { end: 'aks-ip-planner-dump', rows: 1 })),
    ).rejects.toThrow('the end line counts 1 rows; 2 came before it');
  });

  // Guards src/store/dump-io.ts: `text.trim() === ''` -> `text === ''`: a line of blanks
  // is read as JSON and refused.
  it('skips a line of blanks', async () => {
    const got = await read(lines(header, label('a'), '   ', { end: 'aks-ip-planner-dump', rows: 1 }));
    expect(got).toHaveLength(1);
  });

  // Guards src/store/dump-upgrades.ts: `row.kind === 'node-subnet' &&` dropped: every range
  // of a plan in the VNet AKS creates (its service CIDR, pod CIDR) is marked aks_created_vnet,
  // and left out of conflict sweeps.
  it('marks only the node subnet of a plan in the VNet AKS creates', async () => {
    const { upgradedRecords } = await import('../../src/store/dump-upgrades.js');
    const spec = {
      name: 'kube1',
      network: { plugin: 'kubenet', nodeSubnet: '10.224.0.0/16' },
      nodePools: [{ name: 'system' }],
    };
    const records = (async function* () {
      yield { table: 'plans' as const, row: { id: 'p1', spec } };
      yield { table: 'plan_ranges' as const, row: { plan_id: 'p1', kind: 'node-subnet', exclusive: 1 } };
      yield { table: 'plan_ranges' as const, row: { plan_id: 'p1', kind: 'service-cidr', exclusive: 1 } };
    })();
    const out = [];
    for await (const r of upgradedRecords(records)) out.push(r.row);
    expect(out.slice(1).map((r) => [r.kind, r.aks_created_vnet, r.exclusive])).toEqual([
      ['node-subnet', 1, 0],
      ['service-cidr', 0, 1],
    ]);
  });

  it("fills what a plan takes in its platform subnets by the ranges' positions, not their order in the dump", async () => {
    const { upgradedRecords } = await import('../../src/store/dump-upgrades.js');
    const spec = {
      name: 'hub',
      network: {
        plugin: 'azure-cni-overlay',
        vnetAddressSpace: ['10.42.0.0/16'],
        nodeSubnet: '10.42.1.0/24',
      },
      nodePools: [{ name: 'system' }],
      platformSubnets: [
        { role: 'api-server', name: 'api' },
        { role: 'api-server', name: 'api-2' },
        { role: 'private-endpoints', name: 'pe' },
        { role: 'private-endpoints', name: 'pe-2' },
      ],
      reservations: { privateEndpoints: 2, internalLoadBalancers: 0 },
    };
    const range = (plan: string, subnet: string, position: number) => ({
      table: 'plan_ranges' as const,
      row: { plan_id: plan, kind: 'platform-subnet', subnet_name: subnet, position },
    });
    const records = (async function* () {
      yield { table: 'plans' as const, row: { id: 'p1', spec } };
      yield { table: 'plans' as const, row: { id: 'p2', spec } };
      // p1's rows backwards: the first of each role is still the one at the lowest position.
      for (const [subnet, position] of [
        ['pe-2', 3],
        ['pe', 2],
        ['api-2', 1],
        ['api', 0],
      ] as const)
        yield range('p1', subnet, position);
      yield range('p2', 'pe-2', 3);
      yield { table: 'plan_labels' as const, row: { plan_id: 'p1', key: 'a', value: 'b' } };
    })();
    const out = [];
    for await (const r of upgradedRecords(records)) out.push(r);
    expect(out.map((r) => [r.table, r.row.subnet_name, r.row.subnet_demand])).toEqual([
      ['plans', undefined, undefined],
      ['plans', undefined, undefined],
      ['plan_ranges', 'pe-2', null],
      ['plan_ranges', 'pe', 2],
      ['plan_ranges', 'api-2', null],
      ['plan_ranges', 'api', 9],
      // Its plan's only private-endpoints row here: it holds them.
      ['plan_ranges', 'pe-2', 2],
      ['plan_labels', undefined, undefined],
    ]);
  });
});
