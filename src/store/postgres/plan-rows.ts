import { notFound, revisionMismatch } from '../../domain/errors.js';
import { Cidr, type IpAddress } from '../../domain/ip/index.js';
import type { Labels } from '../../domain/labels.js';
import type { PlanRange } from '../../domain/layout/layout-types.js';
import { sharedSubnetRefusal } from '../../domain/plan/shared-subnets.js';
import { addressKey, enclosingPrefixKeys } from '../address-keys.js';
import type { ListQuery, Page, StoreClock } from '../page.js';
import { type PlanRecord, toPlan } from '../plan-row.js';
import type { PlanRef, PlanWrite, StoredPlan } from '../plan-store.js';
import { nameTaken } from '../refusals.js';
import { PgLabels } from './labels.js';
import { pageBySeq } from './seq-page.js';
import type { Sql } from './sql.js';

type PlanRow = PlanRecord & { seq: string };

const COLUMNS = 'seq, id, name, revision, created_at, updated_at, spec, defaults_applied';

/** The plans table and what hangs off it (ranges, labels), inside the caller's transaction. */
export class PgPlanRows {
  readonly labels = new PgLabels('plan_labels', 'plan_id');

  constructor(private readonly clock: StoreClock) {}

  /** `team`: the writer's team labels, so that a refusal names only plans it may see. */
  async insert(sql: Sql, plan: PlanWrite, team: Labels = {}): Promise<StoredPlan> {
    await this.assertNameFree(sql, plan.spec.name, undefined);
    const id = this.clock.newId();
    await this.assertSubnetsFree(sql, id, plan.ranges, team);
    const c = this.columns(plan);
    await sql.run(
      `INSERT INTO plans (id, name, revision, created_at, updated_at, spec, defaults_applied)
       VALUES ($1, $2, 1, $3, $3, $4, $5)`,
      [id, c.name, c.now, c.spec, c.defaults],
    );
    await this.writeRanges(sql, id, plan);
    await this.labels.write(sql, id, plan.labels);
    return this.read(sql, id);
  }

  /** By id or by name; an id wins (names cannot look like ids, but older plans may). */
  async get(sql: Sql, idOrName: string): Promise<StoredPlan | undefined> {
    const row = await sql.one<PlanRow>(
      `SELECT ${COLUMNS} FROM plans WHERE id = $1 OR name = $1 ORDER BY id = $1 DESC LIMIT 1`,
      [idOrName],
    );
    return row && this.toPlans(sql, [row]).then(([plan]) => plan);
  }

  async many(sql: Sql, ids: readonly string[]): Promise<StoredPlan[]> {
    const rows = await sql.rows<PlanRow>(`SELECT ${COLUMNS} FROM plans WHERE id = ANY($1)`, [ids]);
    const byId = new Map((await this.toPlans(sql, rows)).map((p) => [p.id, p]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  async page(sql: Sql, query: ListQuery): Promise<Page<StoredPlan>> {
    const table = {
      table: 'plans',
      columns: COLUMNS,
      labels: this.labels,
      sharedWhenUnlabelled: false,
    } as const;
    const { rows, nextCursor } = await pageBySeq<PlanRow>(sql, table, query);
    return { items: await this.toPlans(sql, rows), nextCursor };
  }

  async replace(
    sql: Sql,
    id: string,
    expectedRevision: number,
    plan: PlanWrite,
    team: Labels = {},
  ): Promise<StoredPlan> {
    const current = await this.revisionOf(sql, id);
    if (current === undefined) throw notFound.plan(id);
    if (current !== expectedRevision) throw revisionMismatch('plan', id, current, expectedRevision);
    await this.assertNameFree(sql, plan.spec.name, id);
    await this.assertSubnetsFree(sql, id, plan.ranges, team);
    const c = this.columns(plan);
    // The revision condition makes the update itself the arbiter, whatever was read before.
    const updated = await sql.run(
      `UPDATE plans SET name = $2, revision = revision + 1, updated_at = $3, spec = $4, defaults_applied = $5
       WHERE id = $1 AND revision = $6`,
      [id, c.name, c.now, c.spec, c.defaults, expectedRevision],
    );
    if (updated !== 1)
      throw revisionMismatch('plan', id, (await this.revisionOf(sql, id)) ?? 0, expectedRevision);
    await sql.run('DELETE FROM plan_ranges WHERE plan_id = $1', [id]);
    await this.writeRanges(sql, id, plan);
    await this.labels.write(sql, id, plan.labels);
    return this.read(sql, id);
  }

  /** False when there is no such plan; refused when `expectedRevision` is given and not current. */
  async delete(sql: Sql, id: string, expectedRevision?: number): Promise<boolean> {
    const current = await this.revisionOf(sql, id);
    if (current === undefined) return false;
    if (expectedRevision !== undefined && current !== expectedRevision) {
      throw revisionMismatch('plan', id, current, expectedRevision);
    }
    return (await sql.run('DELETE FROM plans WHERE id = $1', [id])) > 0;
  }

  /** The plan, or PLAN_NOT_FOUND. */
  async read(sql: Sql, id: string): Promise<StoredPlan> {
    const [plan] = await this.many(sql, [id]);
    if (plan === undefined) throw notFound.plan(id);
    return plan;
  }

  /** Plans with a range holding `address`: one index probe per prefix length of its family. */
  containingAddress(sql: Sql, address: IpAddress): Promise<PlanRef[]> {
    return sql.rows<PlanRef>(
      `SELECT DISTINCT p.id, p.name, p.revision FROM plan_ranges r JOIN plans p ON p.id = r.plan_id
       WHERE r.family = $1 AND r.first_key = ANY($2) AND r.last_key >= $3 ORDER BY p.id`,
      [address.family, enclosingPrefixKeys(address), addressKey(address)],
    );
  }

  private async revisionOf(sql: Sql, id: string): Promise<number | undefined> {
    return (await sql.one<{ revision: number }>('SELECT revision FROM plans WHERE id = $1', [id]))?.revision;
  }

  private async assertNameFree(sql: Sql, name: string, ownId: string | undefined): Promise<void> {
    const holder = await sql.one<{ id: string }>('SELECT id FROM plans WHERE name = $1', [name]);
    if (holder !== undefined && holder.id !== ownId) {
      throw nameTaken('plan', name);
    }
  }

  /**
   * Refuses node subnets that may not share with another plan's (the kubenet rule). Shared
   * (Azure CNI) subnets clash only with exclusive ones, read through a partial index.
   */
  private async assertSubnetsFree(sql: Sql, id: string, ranges: readonly PlanRange[], team: Labels) {
    const held = [];
    for (const { kind, cidr, exclusive, inAksCreatedVnet } of ranges) {
      if (kind !== 'node-subnet' || inAksCreatedVnet === true) continue;
      const rows = await sql.rows<{ id: string; name: string; cidr: string; exclusive: number }>(
        `SELECT p.id, p.name, r.cidr, r.exclusive FROM plan_ranges r JOIN plans p ON p.id = r.plan_id
         WHERE r.kind = 'node-subnet' AND r.aks_created_vnet = 0 AND r.family = $1 AND r.first_key <= $2
           AND r.last_key >= $3 AND r.plan_id <> $4${exclusive === true ? '' : ' AND r.exclusive = 1'}
         ORDER BY p.seq, r.first_key`,
        [cidr.family, addressKey(cidr.last), addressKey(cidr.first), id],
      );
      const labels = await this.labels.readMany(
        sql,
        rows.map((r) => r.id),
      );
      for (const row of rows)
        held.push({
          planId: row.id,
          planName: row.name,
          cidr: Cidr.parse(row.cidr),
          exclusive: row.exclusive === 1,
          visible: Object.entries(team).every(([k, v]) => labels.get(row.id)?.[k] === v),
        });
    }
    const refusal = sharedSubnetRefusal(ranges, held);
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

  private async writeRanges(sql: Sql, id: string, plan: PlanWrite): Promise<void> {
    if (plan.ranges.length === 0) return;
    const column = <T>(f: (r: PlanRange) => T) => plan.ranges.map(f);
    await sql.run(
      `INSERT INTO plan_ranges (plan_id, kind, family, prefix_length, cidr, first_key, last_key, exclusive, subnet_name, pod_ip_allocation, aks_created_vnet, subnet_demand, position)
       SELECT $1, * FROM unnest($2::text[], $3::smallint[], $4::smallint[], $5::text[], $6::text[], $7::text[], $8::smallint[], $9::text[], $10::text[], $11::smallint[], $12::integer[])
         WITH ORDINALITY`,
      [
        id,
        column((r) => r.kind),
        column((r) => r.cidr.family),
        column((r) => r.cidr.prefixLength),
        column((r) => r.cidr.toString()),
        column((r) => addressKey(r.cidr.first)),
        column((r) => addressKey(r.cidr.last)),
        column((r) => (r.exclusive ? 1 : 0)),
        column((r) => r.name ?? null),
        column((r) => r.podIpAllocation ?? null),
        column((r) => (r.inAksCreatedVnet ? 1 : 0)),
        column((r) => r.subnetDemand ?? null),
      ],
    );
  }

  private async toPlans(sql: Sql, rows: readonly PlanRow[]): Promise<StoredPlan[]> {
    const labels = await this.labels.readMany(
      sql,
      rows.map((r) => r.id),
    );
    return rows.map((row) => toPlan(row, labels.get(row.id) ?? {}));
  }
}
