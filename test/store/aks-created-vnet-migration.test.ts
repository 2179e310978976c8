/**
 * Migrations SQLite 023 and PostgreSQL 010 mark the node subnets of plans stored before them that
 * are in the VNet AKS creates: rows written as the previous release wrote them (a kubenet one
 * exclusive) come out as this release writes them.
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

const pools = [{ name: 'system', nodeCount: 3 }];
/** Each design, and whether its node subnet is in the VNet AKS creates. */
const DESIGNS: [PlanInput, number][] = [
  [{ name: 'kube-aks', network: { plugin: 'kubenet' }, nodePools: pools }, 1],
  [{ name: 'nodes-aks', network: { plugin: 'azure-cni-node-subnet' }, nodePools: pools }, 1],
  [
    {
      name: 'overlay-sent-back',
      network: { plugin: 'azure-cni-overlay', nodeSubnet: '10.224.0.0/16' },
      nodePools: pools,
    },
    1,
  ],
  [
    {
      name: 'kube-own-vnet',
      network: { plugin: 'kubenet', vnetAddressSpace: ['10.224.0.0/12'], nodeSubnet: '10.224.0.0/16' },
      nodePools: pools,
    },
    0,
  ],
  [
    {
      name: 'kube-routed',
      network: { plugin: 'kubenet', nodeSubnet: '10.224.0.0/16' },
      outbound: { type: 'userDefinedRouting', firewallPrivateIp: '10.200.0.4' },
      nodePools: pools,
    },
    0,
  ],
  [
    {
      name: 'nodes-own',
      network: { plugin: 'azure-cni-node-subnet', nodeSubnet: '10.1.0.0/24' },
      nodePools: pools,
    },
    0,
  ],
];

/** The plans' rows as the previous release wrote them: node subnets only, kubenet ones exclusive. */
function olderRows() {
  return DESIGNS.map(([input], i) => {
    const design = planDesign(input);
    const nodeSubnet = design.model.ranges().find((r) => r.kind === 'node-subnet');
    if (nodeSubnet === undefined) throw new Error('a node subnet');
    const { cidr } = nodeSubnet;
    return {
      plan: [`p${i}`, input.name, JSON.stringify(design.spec), JSON.stringify(design.defaultsApplied)],
      range: [
        `p${i}`,
        cidr.family,
        cidr.prefixLength,
        cidr.toString(),
        addressKey(cidr.first),
        addressKey(cidr.last),
      ],
      exclusive: input.network?.plugin === 'kubenet' ? 1 : 0,
    };
  });
}

const FLAGS =
  "SELECT p.name, r.exclusive, r.aks_created_vnet AS aks FROM plan_ranges r JOIN plans p ON p.id = r.plan_id WHERE r.kind = 'node-subnet' ORDER BY p.seq";
const EXPECTED = DESIGNS.map(([input, aks]) => ({
  name: input.name,
  aks,
  exclusive: aks === 0 && input.network?.plugin === 'kubenet' ? 1 : 0,
}));

describe('a node subnet in the VNet AKS creates, marked for plans stored before', () => {
  it('SQLite (023)', () => {
    const { db, finish } = sqliteBefore('023');
    for (const { plan, range, exclusive } of olderRows()) {
      db.prepare(INSERT_PLAN_SQLITE).run(...plan);
      db.prepare(
        "INSERT INTO plan_ranges (plan_id, kind, family, prefix_length, cidr, first_key, last_key, exclusive) VALUES (?, 'node-subnet', ?, ?, ?, ?, ?, ?)",
      ).run(...range, exclusive);
    }
    expect(finish()).toContain('023-aks-created-vnet.sql');
    expect(db.prepare(FLAGS).all()).toEqual(EXPECTED);
  });

  it('PostgreSQL (010)', async () => {
    const { pool, finish, close } = await postgresBefore('010');
    cleanups.push(close);
    for (const { plan, range, exclusive } of olderRows()) {
      await pool.query(INSERT_PLAN_POSTGRES, plan);
      await pool.query(
        "INSERT INTO plan_ranges (plan_id, kind, family, prefix_length, cidr, first_key, last_key, exclusive, position) VALUES ($1, 'node-subnet', $2, $3, $4, $5, $6, $7, 0)",
        [...range, exclusive],
      );
    }
    expect(await finish()).toContain('010-aks-created-vnet.sql');
    expect((await pool.query(FLAGS)).rows).toEqual(EXPECTED);
  });
});
