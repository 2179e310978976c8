import { AKS } from '../domain/aks-limits.js';
import { inAksCreatedVnet } from '../domain/design/aks-vnet.js';
import type { PlanSpec } from '../domain/design/spec.js';
import type { DumpRecord } from './dump-format.js';

/**
 * A dump's rows with the columns added since it was taken filled in as the migrations fill
 * them, so that a dump of any earlier version restores as that database migrated would be.
 * Plans come before their ranges in every dump.
 */
export async function* upgradedRecords(records: AsyncIterable<DumpRecord>): AsyncGenerator<DumpRecord> {
  const inAksVnet = new Set<unknown>();
  const demands = new Map<unknown, SubnetDemands>();
  for await (const record of records) {
    const { table, row } = record;
    if (table === 'plans') {
      const spec = row.spec as PlanSpec;
      if (inAksCreatedVnet(spec)) inAksVnet.add(row.id);
      demands.set(row.id, new SubnetDemands(spec));
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
    if (row.subnet_demand === undefined) {
      // What the plan takes in a platform subnet others may share (migration 024).
      const demand =
        row.kind === 'platform-subnet' ? demands.get(row.plan_id)?.of(row.subnet_name) : undefined;
      upgraded = { ...upgraded, subnet_demand: demand ?? null };
    }
    yield { table, row: upgraded };
  }
}

/**
 * The addresses a plan takes in each of its platform subnets, read from its spec as migration
 * 024 reads them: its ranges come in its spec's order, so the first of a holder role holds it.
 */
class SubnetDemands {
  private readonly held = new Set<string>();

  constructor(private readonly spec: PlanSpec) {}

  of(subnetName: unknown): number | undefined {
    const role = this.spec.platformSubnets?.find((s) => s.name === subnetName)?.role;
    if (role === 'api-server') return AKS.apiServerSubnetReserved;
    if (role !== 'private-endpoints' && role !== 'internal-load-balancers') return undefined;
    if (this.held.has(role)) return undefined;
    this.held.add(role);
    const { privateEndpoints, internalLoadBalancers } = this.spec.reservations ?? {};
    const count = role === 'private-endpoints' ? privateEndpoints : internalLoadBalancers;
    return count === undefined || count === 0 ? undefined : count;
  }
}
