import { AKS } from '../domain/aks-limits.js';
import { inAksCreatedVnet } from '../domain/design/aks-vnet.js';
import type { PlanSpec } from '../domain/design/spec.js';
import type { DumpRecord } from './dump-format.js';

/**
 * A dump's rows with the columns added since it was taken filled in as the migrations fill
 * them, so that a dump of any earlier version restores as that database migrated would be.
 * Plans come before their ranges in every dump, and a plan's ranges one after another.
 */
export async function* upgradedRecords(records: AsyncIterable<DumpRecord>): AsyncGenerator<DumpRecord> {
  const inAksVnet = new Set<unknown>();
  const takers = new Map<unknown, Takers>();
  // A plan's ranges waiting for their subnet demands, which depend on all of them (migration 024).
  let waiting: DumpRecord[] = [];
  for await (const record of records) {
    const { table, row } = record;
    if (waiting.length > 0 && (table !== 'plan_ranges' || row.plan_id !== waiting[0]?.row.plan_id)) {
      yield* withSubnetDemands(waiting, takers);
      waiting = [];
    }
    if (table === 'plans') {
      const spec = row.spec as PlanSpec;
      if (inAksCreatedVnet(spec)) inAksVnet.add(row.id);
      const taking = takersOf(spec);
      if (taking !== undefined) takers.set(row.id, taking);
    }
    if (table !== 'plan_ranges') {
      yield record;
      continue;
    }
    let upgraded = row;
    if (row.aks_created_vnet === undefined) {
      // A node subnet in the VNet AKS creates is shared with no one (migration 023).
      const aks = row.kind === 'node-subnet' && inAksVnet.has(row.plan_id);
      upgraded = { ...upgraded, aks_created_vnet: aks ? 1 : 0, ...(aks ? { exclusive: 0 } : {}) };
    }
    if (row.subnet_demand === undefined) waiting.push({ table, row: upgraded });
    else yield { table, row: upgraded };
  }
  yield* withSubnetDemands(waiting, takers);
}

/** The roles whose first subnet takes addresses of a cluster's own. */
const TAKING_ROLES = new Set(['api-server', 'private-endpoints', 'internal-load-balancers']);

/**
 * What a plan takes in the subnets of those roles, by subnet name: all the upgrade keeps of a
 * spec (a dump may hold many plans). Nothing for a plan without such subnets.
 */
interface Takers {
  readonly roleByName: ReadonlyMap<string, string>;
  readonly demandByRole: ReadonlyMap<string, number>;
}

function takersOf(spec: PlanSpec): Takers | undefined {
  const subnets = (spec.platformSubnets ?? []).filter(
    (s) => TAKING_ROLES.has(s.role) && s.name !== undefined,
  );
  if (subnets.length === 0) return undefined;
  const reservations = spec.reservations;
  return {
    roleByName: new Map(subnets.map((s) => [s.name as string, s.role])),
    demandByRole: new Map([
      ['api-server', AKS.apiServerSubnetReserved],
      ['private-endpoints', reservations?.privateEndpoints ?? 0],
      ['internal-load-balancers', reservations?.internalLoadBalancers ?? 0],
    ]),
  };
}

/**
 * One plan's ranges with what the plan takes in each platform subnet, as migration 024 reads it
 * from the spec: 9 in the first api-server subnet, the reservations in the first subnet of their
 * role, first by the ranges' positions (their spec's order); in the order they came.
 */
function withSubnetDemands(
  ranges: readonly DumpRecord[],
  takers: ReadonlyMap<unknown, Takers>,
): DumpRecord[] {
  const taking = takers.get(ranges[0]?.row.plan_id);
  const roleOf = (row: DumpRecord['row']) =>
    row.kind === 'platform-subnet' ? taking?.roleByName.get(String(row.subnet_name)) : undefined;
  const firsts = new Map<string, DumpRecord['row']>();
  const byPosition = [...ranges].sort((a, b) => Number(a.row.position) - Number(b.row.position));
  for (const { row } of byPosition) {
    const role = roleOf(row);
    if (role !== undefined && !firsts.has(role)) firsts.set(role, row);
  }
  return ranges.map(({ table, row }) => {
    const role = roleOf(row);
    const demand = role !== undefined && firsts.get(role) === row ? (taking?.demandByRole.get(role) ?? 0) : 0;
    return { table, row: { ...row, subnet_demand: demand > 0 ? demand : null } };
  });
}
