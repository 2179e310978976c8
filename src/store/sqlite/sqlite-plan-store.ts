import type { Database, Statement } from 'better-sqlite3';
import { DomainError } from '../../domain/errors.js';
import { bitsOf, Cidr, type IpAddress } from '../../domain/ip/index.js';
import type { RealNode } from '../../domain/nodes/real-node.js';
import { sharedSubnetRefusal } from '../../domain/plan/shared-subnets.js';
import type { ListQuery, StoreClock } from '../page.js';
import type { PlanPage, PlanRef, PlanStore, PlanWrite, StoredPlan } from '../plan-store.js';
import { addressKey, enclosingPrefixKeys } from './address-keys.js';
import { afterSeq, decodeCursor, encodeCursor } from './cursor.js';
import { LabelTable } from './label-table.js';
import { PlanNodes } from './plan-nodes.js';

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
 * Plans in SQLite. Every method runs synchronously inside one immediate transaction:
 * better-sqlite3 is synchronous, so no other work interleaves, and IMMEDIATE takes the
 * write lock up front so that concurrent processes queue instead of failing on upgrade.
 */
export class SqlitePlanStore implements PlanStore {
  private readonly byId: Statement<[string], PlanRow>;
  private readonly byIdOrName: Statement<[string, string, string], PlanRow>;
  private readonly byName: Statement<[string], PlanRow>;
  private readonly insertPlan: Statement;
  private readonly updatePlan: Statement;
  private readonly insertRange: Statement;
  private readonly deleteRanges: Statement;
  private readonly deleteById: Statement;
  private readonly containing: Record<4 | 6, Statement<unknown[], PlanRef>>;
  private readonly sharing: Statement<
    unknown[],
    { id: string; name: string; cidr: string; exclusive: number }
  >;
  private readonly planNodes: PlanNodes;
  private readonly labels: LabelTable;

  constructor(
    protected readonly db: Database,
    private readonly ready: () => boolean,
    protected readonly clock: StoreClock,
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
      'INSERT INTO plan_ranges (plan_id, kind, family, prefix_length, cidr, first_key, last_key, exclusive) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.deleteRanges = db.prepare('DELETE FROM plan_ranges WHERE plan_id = ?');
    this.deleteById = db.prepare('DELETE FROM plans WHERE id = ?');
    this.containing = { 4: containingStatement(db, 4), 6: containingStatement(db, 6) };
    this.planNodes = new PlanNodes(db, clock);
    this.labels = new LabelTable(db, 'plan_labels', 'plan_id');
    this.sharing = db.prepare(
      `SELECT p.id, p.name, r.cidr, r.exclusive FROM plan_ranges r JOIN plans p ON p.id = r.plan_id
       WHERE r.kind = 'node-subnet' AND r.family = ? AND r.first_key <= ? AND r.last_key >= ?
         AND r.plan_id <> ?`,
    );
  }

  async createPlan(plan: PlanWrite): Promise<StoredPlan> {
    return this.db.transaction(() => this.insertNewPlan(plan)).immediate();
  }

  /** The body of a create, for callers already inside a transaction. */
  protected insertNewPlan(plan: PlanWrite): StoredPlan {
    this.assertNameFree(plan.spec.name, undefined);
    const id = this.clock.newId();
    this.assertSubnetsFree(id, plan);
    this.insertPlan.run({ id, ...this.columns(plan) });
    this.writeRanges(id, plan);
    this.labels.write(id, plan.labels);
    return this.read(id);
  }

  async getPlan(idOrName: string): Promise<StoredPlan | undefined> {
    const row = this.byIdOrName.get(idOrName, idOrName, idOrName);
    return row && this.toPlan(row);
  }

  async getPlans(ids: readonly string[]): Promise<StoredPlan[]> {
    return ids.flatMap((id) => {
      const row = this.byId.get(id);
      return row ? [this.toPlan(row)] : [];
    });
  }

  async listPlans({ limit, cursor, name, labels = [] }: ListQuery): Promise<PlanPage> {
    const after = cursor === undefined ? 0 : decodeCursor(cursor, afterSeq).after;
    const selectors = this.labels.conditions('p.id', labels);
    const where = ['p.seq > ?', ...(name === undefined ? [] : ['p.name = ?']), ...selectors.sql];
    const params = [after, ...(name === undefined ? [] : [name]), ...selectors.params, limit + 1];
    const rows = this.db
      .prepare(`SELECT ${COLUMNS} FROM plans p WHERE ${where.join(' AND ')} ORDER BY p.seq LIMIT ?`)
      .all(...params) as PlanRow[];
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    const nextCursor = rows.length > limit && last !== undefined ? encodeCursor({ after: last.seq }) : null;
    return { items: items.map((row) => this.toPlan(row)), nextCursor };
  }

  async replacePlan(id: string, expectedRevision: number, plan: PlanWrite): Promise<StoredPlan> {
    const replace = this.db.transaction(() => {
      const current = this.byId.get(id);
      if (current === undefined) throw planNotFound(id);
      assertRevision(id, current.revision, expectedRevision);
      this.assertNameFree(plan.spec.name, id);
      this.assertSubnetsFree(id, plan);
      this.updatePlan.run({ id, ...this.columns(plan) });
      this.deleteRanges.run(id);
      this.writeRanges(id, plan);
      this.labels.write(id, plan.labels);
      return this.read(id);
    });
    return replace.immediate();
  }

  async deletePlan(id: string, expectedRevision?: number): Promise<boolean> {
    return this.db
      .transaction(() => {
        const current = this.byId.get(id);
        if (current === undefined) return false;
        if (expectedRevision !== undefined) assertRevision(id, current.revision, expectedRevision);
        return this.deleteNow(id);
      })
      .immediate();
  }

  /** The body of a delete, for callers already inside a transaction. */
  protected deleteNow(id: string): boolean {
    return this.deleteById.run(id).changes > 0;
  }

  async plansContaining(addresses: readonly IpAddress[]): Promise<PlanRef[][]> {
    return addresses.map((address) =>
      this.containing[address.family].all(...enclosingPrefixKeys(address), addressKey(address)),
    );
  }

  async recordNodes(planId: string, nodes: readonly RealNode[]): Promise<void> {
    const record = this.db.transaction(() => {
      this.read(planId);
      this.planNodes.upsert(planId, nodes);
    });
    record.immediate();
  }

  async nodes(planId: string): Promise<RealNode[]> {
    return this.planNodes.list(planId);
  }

  async plansWithNodes(planIds: readonly string[]): Promise<Set<string>> {
    return this.planNodes.plansWithNodes(planIds);
  }

  async nodesAt(
    planId: string,
    nodeIps: readonly IpAddress[],
    podAddresses: readonly IpAddress[],
  ): Promise<RealNode[]> {
    return this.planNodes.at(planId, nodeIps, podAddresses);
  }

  async isReady(): Promise<boolean> {
    return this.ready();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private assertNameFree(name: string, ownId: string | undefined): void {
    const holder = this.byName.get(name);
    if (holder !== undefined && holder.id !== ownId) {
      throw new DomainError('PLAN_NAME_TAKEN', `a plan named "${name}" already exists (id ${holder.id})`);
    }
  }

  /** The store fetches the node subnets of other plans that overlap; the domain decides. */
  private assertSubnetsFree(id: string, plan: PlanWrite): void {
    const held = plan.ranges.flatMap(({ kind, cidr }) =>
      kind !== 'node-subnet'
        ? []
        : this.sharing.all(cidr.family, addressKey(cidr.last), addressKey(cidr.first), id).map((row) => ({
            planId: row.id,
            planName: row.name,
            cidr: Cidr.parse(row.cidr),
            exclusive: row.exclusive === 1,
          })),
    );
    const refusal = sharedSubnetRefusal(plan.ranges, held);
    if (refusal !== undefined) throw refusal;
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
    for (const { kind, cidr, exclusive } of plan.ranges) {
      const row = [id, kind, cidr.family, cidr.prefixLength, cidr.toString()] as const;
      this.insertRange.run(...row, addressKey(cidr.first), addressKey(cidr.last), exclusive ? 1 : 0);
    }
  }

  private read(id: string): StoredPlan {
    const row = this.byId.get(id);
    if (row === undefined) throw planNotFound(id);
    return this.toPlan(row);
  }

  private toPlan(row: PlanRow): StoredPlan {
    return {
      id: row.id,
      name: row.name,
      revision: row.revision,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      spec: JSON.parse(row.spec),
      defaultsApplied: JSON.parse(row.defaults_applied),
      labels: this.labels.read(row.id),
    };
  }
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

function assertRevision(id: string, current: number, expected: number): void {
  if (current !== expected) {
    throw new DomainError(
      'REVISION_MISMATCH',
      `plan ${id} is at revision ${current}, not ${expected}; read it again and retry`,
    );
  }
}

function planNotFound(id: string): DomainError {
  return new DomainError('PLAN_NOT_FOUND', `no plan with id ${id}`);
}
