import type { Database, Statement } from 'better-sqlite3';
import type { LabelSelector, Labels } from '../../domain/labels.js';
import { selectorConditions, teamConditions } from '../label-conditions.js';
import { Params } from '../sql-params.js';

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
    readonly table: 'plan_labels' | 'space_labels',
    readonly owner: 'plan_id' | 'space_id',
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

  /** Conditions for what a team sees (see label-conditions.ts), with their ? parameters. */
  teamConditions(idColumn: string, team: Labels, orAbsent: boolean): { sql: string[]; params: unknown[] } {
    const params = new Params('?');
    return { sql: teamConditions(this, idColumn, team, orAbsent, params), params: params.values };
  }

  /** Conditions that hold when every selector does, with their ? parameters. */
  conditions(idColumn: string, selectors: readonly LabelSelector[]): { sql: string[]; params: unknown[] } {
    const params = new Params('?');
    return { sql: selectorConditions(this, idColumn, selectors, params), params: params.values };
  }
}
