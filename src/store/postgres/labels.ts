import type { LabelSelector, Labels } from '../../domain/labels.js';
import { selectorConditions, teamConditions } from '../label-conditions.js';
import type { Params } from '../sql-params.js';
import type { Sql } from './sql.js';

/**
 * The labels of plans or spaces in PostgreSQL: written whole, read per resource or for many at
 * once, and turned into conditions for selectors and team views, each answered by the
 * (key, value) index.
 */
export class PgLabels {
  constructor(
    readonly table: 'plan_labels' | 'space_labels',
    readonly owner: 'plan_id' | 'space_id',
  ) {}

  async write(sql: Sql, ownerId: string, labels: Labels): Promise<void> {
    await sql.run(`DELETE FROM ${this.table} WHERE ${this.owner} = $1`, [ownerId]);
    const entries = Object.entries(labels);
    if (entries.length === 0) return;
    await sql.run(
      `INSERT INTO ${this.table} (${this.owner}, key, value)
       SELECT $1, k, v FROM unnest($2::text[], $3::text[]) AS t (k, v)`,
      [ownerId, entries.map(([k]) => k), entries.map(([, v]) => v)],
    );
  }

  async read(sql: Sql, ownerId: string): Promise<Labels> {
    return (await this.readMany(sql, [ownerId])).get(ownerId) ?? {};
  }

  /** The labels of each owner, in one query. */
  async readMany(sql: Sql, ownerIds: readonly string[]): Promise<Map<string, Labels>> {
    const rows = await sql.rows<{ owner: string; key: string; value: string }>(
      `SELECT ${this.owner} AS owner, key, value FROM ${this.table} WHERE ${this.owner} = ANY($1) ORDER BY key COLLATE "C"`,
      [ownerIds],
    );
    const labels = new Map<string, Record<string, string>>(ownerIds.map((id) => [id, {}]));
    for (const row of rows) {
      const own = labels.get(row.owner);
      if (own !== undefined) own[row.key] = row.value;
    }
    return labels;
  }

  teamConditions(idColumn: string, team: Labels, orAbsent: boolean, params: Params): string[] {
    return teamConditions(this, idColumn, team, orAbsent, params);
  }

  conditions(idColumn: string, selectors: readonly LabelSelector[], params: Params): string[] {
    return selectorConditions(this, idColumn, selectors, params);
  }
}
