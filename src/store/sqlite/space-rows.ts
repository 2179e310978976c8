import type { Database } from 'better-sqlite3';
import { notFound, revisionMismatch } from '../../domain/errors.js';
import { Cidr } from '../../domain/ip/index.js';
import type { ListQuery, Page, StoreClock } from '../page.js';
import { nameTaken } from '../refusals.js';
import type { SpaceWrite, StoredSpace } from '../space-store.js';
import { LabelTable } from './label-table.js';
import { pageBySeq } from './seq-page.js';

interface SpaceRow {
  id: string;
  name: string;
  revision: number;
  description: string | null;
  created_at: string;
}

/** The spaces table, its CIDRs and labels. Synchronous: callers hold the transaction. */
export class SpaceRows {
  private readonly labels: LabelTable;

  constructor(
    private readonly db: Database,
    private readonly clock: StoreClock,
  ) {
    this.labels = new LabelTable(db, 'space_labels', 'space_id');
  }

  insert(space: SpaceWrite): StoredSpace {
    this.assertNameFree(space.name, undefined);
    const id = this.clock.newId();
    // A number never given before (see migration 018): a cursor past it would skip the space.
    this.db
      .prepare(
        `INSERT INTO spaces (id, name, description, created_at, seq)
         VALUES (?, ?, ?, ?, max((SELECT coalesce(max(seq), 0) FROM spaces), (SELECT last FROM space_seq)) + 1)`,
      )
      .run(id, space.name, space.description, this.clock.now().toISOString());
    this.db.prepare('UPDATE space_seq SET last = (SELECT seq FROM spaces WHERE id = ?)').run(id);
    this.writeCidrs(id, space.cidrs);
    this.labels.write(id, space.labels);
    return this.read(id);
  }

  /** By id or by name; an id wins. */
  get(idOrName: string): StoredSpace | undefined {
    const row = this.db
      .prepare('SELECT id FROM spaces WHERE id = ? OR name = ? ORDER BY id = ? DESC LIMIT 1')
      .get(idOrName, idOrName, idOrName) as { id: string } | undefined;
    return row && this.read(row.id);
  }

  /** By id or by name, or SPACE_NOT_FOUND. */
  find(idOrName: string): StoredSpace {
    const space = this.get(idOrName);
    if (space === undefined) throw notFound.space(idOrName);
    return space;
  }

  page(query: ListQuery): Page<StoredSpace> {
    const table = {
      table: 'spaces',
      columns: 'seq, id',
      labels: this.labels,
      sharedWhenUnlabelled: true,
    } as const;
    const { rows, nextCursor } = pageBySeq<{ seq: number; id: string }>(this.db, table, query);
    return { items: rows.map((r) => this.read(r.id)), nextCursor };
  }

  /** Overwrites a space whose revision the caller has checked. */
  update(id: string, space: SpaceWrite): StoredSpace {
    this.assertNameFree(space.name, id);
    this.db
      .prepare('UPDATE spaces SET name = ?, description = ?, revision = revision + 1 WHERE id = ?')
      .run(space.name, space.description, id);
    this.db.prepare('DELETE FROM space_cidrs WHERE space_id = ?').run(id);
    this.writeCidrs(id, space.cidrs);
    this.labels.write(id, space.labels);
    return this.read(id);
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM spaces WHERE id = ?').run(id);
  }

  /** The space by id, or SPACE_NOT_FOUND. */
  read(id: string): StoredSpace {
    const row = this.db
      .prepare('SELECT id, name, revision, description, created_at FROM spaces WHERE id = ?')
      .get(id) as SpaceRow | undefined;
    if (row === undefined) throw notFound.space(id);
    const cidrs = this.db
      .prepare('SELECT cidr FROM space_cidrs WHERE space_id = ? ORDER BY position')
      .pluck()
      .all(id) as string[];
    return {
      id: row.id,
      name: row.name,
      revision: row.revision,
      description: row.description,
      cidrs: cidrs.map((c) => Cidr.parse(c)),
      labels: this.labels.read(id),
      createdAt: row.created_at,
    };
  }

  private assertNameFree(name: string, ownId: string | undefined): void {
    const holder = this.db.prepare('SELECT id FROM spaces WHERE name = ?').get(name) as
      | { id: string }
      | undefined;
    if (holder !== undefined && holder.id !== ownId) {
      throw nameTaken('space', name);
    }
  }

  private writeCidrs(id: string, cidrs: readonly Cidr[]): void {
    const insert = this.db.prepare(
      'INSERT INTO space_cidrs (space_id, position, family, cidr) VALUES (?, ?, ?, ?)',
    );
    cidrs.forEach((cidr, i) => {
      insert.run(id, i, cidr.family, cidr.toString());
    });
  }
}

/** Refuses a write based on a revision of `space` that is no longer current. */
export function assertSpaceRevision(space: StoredSpace, expected: number): void {
  if (space.revision !== expected) throw revisionMismatch('space', space.id, space.revision, expected);
}
