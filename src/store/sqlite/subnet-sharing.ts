import type { Database, Statement } from 'better-sqlite3';
import { Cidr } from '../../domain/ip/index.js';
import type { Labels } from '../../domain/labels.js';
import type { PlanRange } from '../../domain/layout/layout-types.js';
import { sharedSubnetRefusal } from '../../domain/plan/shared-subnets.js';
import { addressKey } from '../address-keys.js';
import { LabelTable } from './label-table.js';

interface SharingRow {
  id: string;
  name: string;
  cidr: string;
  exclusive: number;
}

/** Node subnets other plans hold: the store fetches the overlapping ones, the domain decides. */
export class SubnetSharing {
  /** Every other plan's overlapping node subnet: what an exclusive (kubenet) subnet clashes with. */
  private readonly overlapping: Statement<unknown[], SharingRow>;
  /** Only the exclusive ones, through a partial index: all a shared subnet can clash with. */
  private readonly overlappingExclusive: Statement<unknown[], SharingRow>;

  constructor(db: Database) {
    const select = (only: string) =>
      db.prepare<unknown[], SharingRow>(
        `SELECT p.id, p.name, r.cidr, r.exclusive FROM plan_ranges r JOIN plans p ON p.id = r.plan_id
         WHERE r.kind = 'node-subnet' AND r.aks_created_vnet = 0 AND r.family = ? AND r.first_key <= ?
           AND r.last_key >= ? AND r.plan_id <> ?${only} ORDER BY p.seq, r.first_key`,
      );
    this.overlapping = select('');
    this.overlappingExclusive = select(' AND r.exclusive = 1');
    this.labels = new LabelTable(db, 'plan_labels', 'plan_id');
  }

  private readonly labels: LabelTable;

  /** Whether a team with these labels sees the plan (its labels read once, and only for a team). */
  private visibleTo(team: Labels, planId: string): boolean {
    const entries = Object.entries(team);
    if (entries.length === 0) return true;
    const labels = this.labels.read(planId);
    return entries.every(([key, value]) => labels[key] === value);
  }

  /**
   * Refuses ranges of plan `id` whose node subnets may not share with another plan's; plans
   * the writer's `team` may not see are not named.
   */
  assertFree(id: string, ranges: readonly PlanRange[], team: Labels = {}): void {
    // Shared (Azure CNI) subnets clash only with exclusive ones: reading the thousands of plans
    // that may share one subnet would make each create cost as much as all the earlier ones.
    const held = ranges.flatMap(({ kind, cidr, exclusive, inAksCreatedVnet }) =>
      kind !== 'node-subnet' || inAksCreatedVnet === true
        ? []
        : (exclusive === true ? this.overlapping : this.overlappingExclusive)
            .all(cidr.family, addressKey(cidr.last), addressKey(cidr.first), id)
            .map((row) => ({
              planId: row.id,
              planName: row.name,
              cidr: Cidr.parse(row.cidr),
              exclusive: row.exclusive === 1,
              visible: this.visibleTo(team, row.id),
            })),
    );
    const refusal = sharedSubnetRefusal(ranges, held);
    if (refusal !== undefined) throw refusal;
  }
}
