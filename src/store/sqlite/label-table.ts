import type { Database, Statement } from 'better-sqlite3';
import type { LabelSelector, Labels } from '../../domain/labels.js';

/**
 * The labels of one kind of resource (plans or spaces): written whole, read per resource, and
 * turned into SQL conditions for selectors, each answered by the (key, value) index.
 */
export class LabelTable {
  private readonly clear: Statement<[string]>;
  private readonly insert: Statement<[string, string, string]>;
  private readonly select: Statement<[string], { key: string; value: string }>;

  constructor(
    db: Database,
    private readonly table: 'plan_labels' | 'space_labels',
    private readonly owner: 'plan_id' | 'space_id',
  ) {
    this.clear = db.prepare(`DELETE FROM ${table} WHERE ${owner} = ?`);
    this.insert = db.prepare(`INSERT INTO ${table} (${owner}, key, value) VALUES (?, ?, ?)`);
    this.select = db.prepare(`SELECT key, value FROM ${table} WHERE ${owner} = ? ORDER BY key`);
  }

  /** Replaces the labels of a resource, inside the caller's transaction. */
  write(ownerId: string, labels: Labels): void {
    this.clear.run(ownerId);
    for (const [key, value] of Object.entries(labels)) this.insert.run(ownerId, key, value);
  }

  read(ownerId: string): Labels {
    return Object.fromEntries(this.select.all(ownerId).map((row) => [row.key, row.value]));
  }

  /**
   * Conditions that hold when the resource carries each label, or (`orAbsent`) carries none
   * of its keys with another value: what a team sees of plans, and of spaces.
   */
  teamConditions(idColumn: string, team: Labels, orAbsent: boolean): { sql: string[]; params: string[] } {
    if (!orAbsent)
      return this.conditions(
        idColumn,
        Object.entries(team).map(([key, value]) => ({ key, value })),
      );
    const entries = Object.entries(team);
    return {
      sql: entries.map(
        () =>
          `NOT EXISTS (SELECT 1 FROM ${this.table} l WHERE l.${this.owner} = ${idColumn} AND l.key = ? AND l.value <> ?)`,
      ),
      params: entries.flat(),
    };
  }

  /** `EXISTS` conditions on `idColumn` (such as p.id) that hold when every selector does. */
  conditions(idColumn: string, selectors: readonly LabelSelector[]): { sql: string[]; params: string[] } {
    const sql: string[] = [];
    const params: string[] = [];
    for (const s of selectors) {
      const value = s.value === undefined ? '' : ' AND l.value = ?';
      sql.push(
        `EXISTS (SELECT 1 FROM ${this.table} l WHERE l.${this.owner} = ${idColumn} AND l.key = ?${value})`,
      );
      params.push(s.key, ...(s.value === undefined ? [] : [s.value]));
    }
    return { sql, params };
  }
}
