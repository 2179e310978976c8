import type { Database, Statement } from 'better-sqlite3';
import { notFound, revisionMismatch } from '../../domain/errors.js';
import { bitsOf, type IpAddress } from '../../domain/ip/index.js';
import type { Labels } from '../../domain/labels.js';
import { addressKey, enclosingPrefixKeys } from '../address-keys.js';
import type { ListQuery, StoreClock } from '../page.js';
import { toPlan } from '../plan-row.js';
import type { PlanRef, PlanWrite, StoredPlan } from '../plan-store.js';
import { nameTaken } from '../refusals.js';
import { LabelTable } from './label-table.js';
import { pageBySeq } from './seq-page.js';
import { SubnetSharing } from './subnet-sharing.js';

interface PlanRow {
  seq: number;
  id: string;
  name: string;
  revision: number;
  created_at: string;
  updated_at: string;
  spec: string;
  defaults_applied: string;
}

const COLUMNS = 'seq, id, name, revision, created_at, updated_at, spec, defaults_applied';

/**
 * The plans table and what hangs off it (ranges, labels). Synchronous: every method runs
 * inside the transaction its caller opened, so a decision and its write are one unit.
 */
export class PlanRows {
  private readonly byId: Statement<[string], PlanRow>;
  private readonly byIdOrName: Statement<[string, string, string], PlanRow>;
  private readonly byName: Statement<[string], PlanRow>;
  private readonly insertPlan: Statement;
  private readonly updatePlan: Statement;
  private readonly insertRange: Statement;
  private readonly deleteRanges: Statement;
  private readonly deleteById: Statement;
  private readonly containing: Record<4 | 6, Statement<unknown[], PlanRef>>;
  private readonly labels: LabelTable;
  private readonly sharing: SubnetSharing;

  constructor(
    private readonly db: Database,
    private readonly clock: StoreClock,
  ) {
    this.byId = db.prepare(`SELECT ${COLUMNS} FROM plans WHERE id = ?`);
    // An id wins over a name: names cannot look like ids, but older plans may.
    this.byIdOrName = db.prepare(
      `SELECT ${COLUMNS} FROM plans WHERE id = ? OR name = ? ORDER BY id = ? DESC LIMIT 1`,
    );
    this.byName = db.prepare(`SELECT ${COLUMNS} FROM plans WHERE name = ?`);
    this.insertPlan = db.prepare(
      'INSERT INTO plans (id, name, revision, created_at, updated_at, spec, defaults_applied) VALUES (@id, @name, 1, @now, @now, @spec, @defaults)',
    );
    this.updatePlan = db.prepare(
      'UPDATE plans SET name = @name, revision = revision + 1, updated_at = @now, spec = @spec, defaults_applied = @defaults WHERE id = @id',
    );
    this.insertRange = db.prepare(
      'INSERT INTO plan_ranges (plan_id, kind, family, prefix_length, cidr, first_key, last_key, exclusive, subnet_name, pod_ip_allocation, aks_created_vnet, subnet_demand) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.deleteRanges = db.prepare('DELETE FROM plan_ranges WHERE plan_id = ?');
    this.deleteById = db.prepare('DELETE FROM plans WHERE id = ?');
    this.containing = { 4: containingStatement(db, 4), 6: containingStatement(db, 6) };
    this.labels = new LabelTable(db, 'plan_labels', 'plan_id');
    this.sharing = new SubnetSharing(db);
  }

  /** `team`: the writer's team labels, so that a refusal names only plans it may see. */
  insert(plan: PlanWrite, team: Labels = {}): StoredPlan {
    this.assertNameFree(plan.spec.name, undefined);
    const id = this.clock.newId();
    this.sharing.assertFree(id, plan.ranges, team);
    this.insertPlan.run({ id, ...this.columns(plan) });
    this.writeRanges(id, plan);
    this.labels.write(id, plan.labels);
    return this.read(id);
  }

  get(idOrName: string): StoredPlan | undefined {
    const row = this.byIdOrName.get(idOrName, idOrName, idOrName);
    return row && this.toPlan(row);
  }

  many(ids: readonly string[]): StoredPlan[] {
    return ids.flatMap((id) => {
      const row = this.byId.get(id);
      return row ? [this.toPlan(row)] : [];
    });
  }

  /**
   * A page of plans as stored, each with its labels: one snapshot, its JSON not parsed yet
   * (`planOf` does that, a few at a time: 200 plans of 100 pools take 75 ms).
   */
  pageRows(query: ListQuery): { items: StoredPlanRow[]; nextCursor: string | null } {
    const table = {
      table: 'plans',
      columns: COLUMNS,
      labels: this.labels,
      sharedWhenUnlabelled: false,
    } as const;
    const { rows, nextCursor } = pageBySeq<PlanRow>(this.db, table, query);
    return { items: rows.map((row) => ({ row, labels: this.labels.read(row.id) })), nextCursor };
  }

  replace(id: string, expectedRevision: number, plan: PlanWrite, team: Labels = {}): StoredPlan {
    const current = this.byId.get(id);
    if (current === undefined) throw notFound.plan(id);
    if (current.revision !== expectedRevision)
      throw revisionMismatch('plan', id, current.revision, expectedRevision);
    this.assertNameFree(plan.spec.name, id);
    this.sharing.assertFree(id, plan.ranges, team);
    this.updatePlan.run({ id, ...this.columns(plan) });
    this.deleteRanges.run(id);
    this.writeRanges(id, plan);
    this.labels.write(id, plan.labels);
    return this.read(id);
  }

  /** False when there is no such plan; refused when `expectedRevision` is given and not current. */
  delete(id: string, expectedRevision?: number): boolean {
    const current = this.byId.get(id);
    if (current === undefined) return false;
    if (expectedRevision !== undefined && current.revision !== expectedRevision) {
      throw revisionMismatch('plan', id, current.revision, expectedRevision);
    }
    return this.deleteById.run(id).changes > 0;
  }

  /** The plan, or PLAN_NOT_FOUND. */
  read(id: string): StoredPlan {
    const row = this.byId.get(id);
    if (row === undefined) throw notFound.plan(id);
    return this.toPlan(row);
  }

  /** Plans with a range holding `address`. */
  containingAddress(address: IpAddress): PlanRef[] {
    return this.containing[address.family].all(...enclosingPrefixKeys(address), addressKey(address));
  }

  private assertNameFree(name: string, ownId: string | undefined): void {
    const holder = this.byName.get(name);
    if (holder !== undefined && holder.id !== ownId) {
      throw nameTaken('plan', name);
    }
  }

  private columns(plan: PlanWrite) {
    return {
      name: plan.spec.name,
      now: this.clock.now().toISOString(),
      spec: JSON.stringify(plan.spec),
      defaults: JSON.stringify(plan.defaultsApplied),
    };
  }

  private writeRanges(id: string, plan: PlanWrite): void {
    for (const {
      kind,
      cidr,
      exclusive,
      name,
      podIpAllocation,
      inAksCreatedVnet,
      subnetDemand,
    } of plan.ranges) {
      const row = [id, kind, cidr.family, cidr.prefixLength, cidr.toString()] as const;
      const keys = [addressKey(cidr.first), addressKey(cidr.last)] as const;
      const flags = [
        exclusive ? 1 : 0,
        name ?? null,
        podIpAllocation ?? null,
        inAksCreatedVnet ? 1 : 0,
        subnetDemand ?? null,
      ] as const;
      this.insertRange.run(...row, ...keys, ...flags);
    }
  }

  private toPlan(row: PlanRow): StoredPlan {
    return planOf({ row, labels: this.labels.read(row.id) });
  }
}

/** A plans row with its labels, as read in a transaction. */
export interface StoredPlanRow {
  readonly row: PlanRow;
  readonly labels: Labels;
}

/** A stored row as a plan: its JSON parsed and checked. */
export function planOf({ row, labels }: StoredPlanRow): StoredPlan {
  const parsed = { ...row, spec: JSON.parse(row.spec), defaults_applied: JSON.parse(row.defaults_applied) };
  return toPlan(parsed, labels);
}

/**
 * Plans with a range holding one address: one index probe per prefix length the family
 * has (33 for IPv4, 129 for IPv6), whatever the number of stored plans.
 */
function containingStatement(db: Database, family: 4 | 6): Statement<unknown[], PlanRef> {
  const slots = Array.from({ length: bitsOf(family) + 1 }, () => '?').join(', ');
  return db.prepare(
    `SELECT DISTINCT p.id, p.name, p.revision FROM plan_ranges r JOIN plans p ON p.id = r.plan_id
     WHERE r.family = ${family} AND r.first_key IN (${slots}) AND r.last_key >= ? ORDER BY p.id`,
  );
}
