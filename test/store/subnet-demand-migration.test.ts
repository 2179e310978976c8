/**
 * Migrations SQLite 024 and PostgreSQL 011 fill in what each plan stored before them takes in its
 * platform subnets: rows written as the previous release wrote them come out as this release
 * writes them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PlanInput } from '../../src/domain/design/spec.js';
import { planDesign } from '../../src/domain/plan/planner.js';
import { addressKey } from '../../src/store/address-keys.js';
import {
  INSERT_PLAN_POSTGRES,
  INSERT_PLAN_SQLITE,
  postgresBefore,
  sqliteBefore,
} from './support/migrated-before.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const design = (name: string, platformSubnets: object[], reservations: object): PlanInput =>
  ({
    name,
    network: { plugin: 'azure-cni-overlay', vnetAddressSpace: ['10.42.0.0/16'], nodeSubnet: '10.42.1.0/24' },
    nodePools: [{ name: 'system', nodeCount: 3 }],
    platformSubnets,
    reservations,
  }) as PlanInput;

const DESIGNS = [
  design(
    'hub-a',
    [
      { role: 'api-server', cidr: '10.42.9.0/28' },
      { role: 'api-server', name: 'api-2', cidr: '10.42.13.0/28' },
      { role: 'private-endpoints', name: 'pe', cidr: '10.42.10.0/28' },
      { role: 'private-endpoints', name: 'pe-2', cidr: '10.42.11.0/28' },
      { role: 'internal-load-balancers', name: 'ilb', cidr: '10.42.12.0/27' },
      { role: 'bastion' },
    ],
    { privateEndpoints: 3, internalLoadBalancers: 0 },
  ),
  design(
    'hub-b',
    [
      { role: 'internal-load-balancers', name: 'ilb', cidr: '10.42.12.0/27' },
      { role: 'private-endpoints', name: 'pe-2', cidr: '10.42.11.0/28' },
    ],
    { privateEndpoints: 0, internalLoadBalancers: 4 },
  ),
];

/** Each plan's platform-subnet rows as the previous release wrote them, and what this one writes. */
function olderRows() {
  return [...DESIGNS, DESIGNS[1]].map((input, i) => {
    const planned = planDesign(input as PlanInput);
    const subnets = planned.model.ranges().filter((r) => r.kind === 'platform-subnet');
    // The last: a stored spec whose platformSubnets is null, beside rows naming subnets.
    const odd = i === DESIGNS.length;
    const spec = odd ? { ...planned.spec, name: 'odd', platformSubnets: null } : planned.spec;
    return {
      plan: [`p${i}`, spec.name, JSON.stringify(spec), JSON.stringify(planned.defaultsApplied)],
      ranges: subnets.map(({ cidr, name }) => [
        `p${i}`,
        cidr.family,
        cidr.prefixLength,
        cidr.toString(),
        addressKey(cidr.first),
        addressKey(cidr.last),
        name ?? null,
      ]),
      written: subnets.map((r) => ({
        plan: spec.name,
        subnet: r.name,
        demand: odd ? null : (r.subnetDemand ?? null),
      })),
    };
  });
}

const DEMANDS =
  "SELECT p.name AS plan, r.subnet_name AS subnet, r.subnet_demand AS demand FROM plan_ranges r JOIN plans p ON p.id = r.plan_id WHERE r.kind = 'platform-subnet' ORDER BY p.seq, r.position";

describe('what a plan stored before takes in its platform subnets, filled in', () => {
  it('is what this release writes: 9 in the first API server subnet, the holder of each role its reservations', () => {
    expect(olderRows().flatMap((r) => r.written)).toEqual([
      { plan: 'hub-a', subnet: 'api-server', demand: 9 },
      { plan: 'hub-a', subnet: 'api-2', demand: null },
      { plan: 'hub-a', subnet: 'pe', demand: 3 },
      { plan: 'hub-a', subnet: 'pe-2', demand: null },
      { plan: 'hub-a', subnet: 'ilb', demand: null },
      { plan: 'hub-a', subnet: 'AzureBastionSubnet', demand: null },
      { plan: 'hub-b', subnet: 'ilb', demand: 4 },
      { plan: 'hub-b', subnet: 'pe-2', demand: null },
      { plan: 'odd', subnet: 'ilb', demand: null },
      { plan: 'odd', subnet: 'pe-2', demand: null },
    ]);
  });

  it('SQLite (024)', () => {
    const { db, finish } = sqliteBefore('024');
    for (const { plan, ranges } of olderRows()) {
      db.prepare(INSERT_PLAN_SQLITE).run(...plan);
      for (const range of ranges)
        db.prepare(
          "INSERT INTO plan_ranges (plan_id, kind, family, prefix_length, cidr, first_key, last_key, exclusive, subnet_name) VALUES (?, 'platform-subnet', ?, ?, ?, ?, ?, 0, ?)",
        ).run(...range);
    }
    expect(finish()).toContain('024-subnet-demand.sql');
    expect(db.prepare(DEMANDS.replace('r.position', 'r.rowid')).all()).toEqual(
      olderRows().flatMap((r) => r.written),
    );
  });

  it('PostgreSQL (011)', async () => {
    const { pool, finish, close } = await postgresBefore('011');
    cleanups.push(close);
    for (const { plan, ranges } of olderRows()) {
      await pool.query(INSERT_PLAN_POSTGRES, plan);
      for (const [position, range] of ranges.entries())
        await pool.query(
          "INSERT INTO plan_ranges (plan_id, kind, family, prefix_length, cidr, first_key, last_key, exclusive, subnet_name, position) VALUES ($1, 'platform-subnet', $2, $3, $4, $5, $6, 0, $7, $8)",
          [...range, position],
        );
    }
    expect(await finish()).toContain('011-subnet-demand.sql');
    expect((await pool.query(DEMANDS)).rows).toEqual(olderRows().flatMap((r) => r.written));
  });
});
