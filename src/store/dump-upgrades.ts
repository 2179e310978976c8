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
  for await (const record of records) {
    const { table, row } = record;
    if (table === 'plans' && inAksCreatedVnet(row.spec as PlanSpec)) inAksVnet.add(row.id);
    if (table === 'plan_ranges' && row.aks_created_vnet === undefined) {
      // A node subnet in the VNet AKS creates is shared with no one (migration 023).
      const aks = row.kind === 'node-subnet' && inAksVnet.has(row.plan_id);
      yield { table, row: { ...row, aks_created_vnet: aks ? 1 : 0, ...(aks ? { exclusive: 0 } : {}) } };
    } else yield record;
  }
}
