import { notFound } from '../../domain/errors.js';
import { Cidr } from '../../domain/ip/index.js';
import type { ListQuery, Page, StoreClock } from '../page.js';
import { nameTaken } from '../refusals.js';
import type { SpaceWrite, StoredSpace } from '../space-store.js';
import { PgLabels } from './labels.js';
import { lockSpaceWrites } from './locks.js';
import { pageBySeq } from './seq-page.js';
import type { Sql } from './sql.js';

interface SpaceRow {
  id: string;
  name: string;
  revision: number;
  description: string | null;
  created_at: string;
}

/** The spaces table, its CIDRs and labels, inside the caller's transaction. */
export class PgSpaceRows {
  private readonly labels = new PgLabels('space_labels', 'space_id');

  constructor(private readonly clock: StoreClock) {}

  async insert(sql: Sql, space: SpaceWrite): Promise<StoredSpace> {
    await lockSpaceWrites(sql);
    await this.assertNameFree(sql, space.name, undefined);
    const id = this.clock.newId();
    // A number never given before (see migration 005): a cursor past it would skip the space.
    await sql.run(
      `INSERT INTO spaces (id, name, description, created_at, seq)
       VALUES ($1, $2, $3, $4, greatest((SELECT coalesce(max(seq), 0) FROM spaces), (SELECT last FROM space_seq)) + 1)`,
      [id, space.name, space.description, this.clock.now().toISOString()],
    );
    await sql.run('UPDATE space_seq SET last = (SELECT seq FROM spaces WHERE id = $1)', [id]);
    await this.writeCidrs(sql, id, space.cidrs);
    await this.labels.write(sql, id, space.labels);
    return this.read(sql, id);
  }

  /** By id or by name; an id wins. */
  async get(sql: Sql, idOrName: string): Promise<StoredSpace | undefined> {
    const row = await sql.one<{ id: string }>(
      'SELECT id FROM spaces WHERE id = $1 OR name = $1 ORDER BY id = $1 DESC LIMIT 1',
      [idOrName],
    );
    return row && this.read(sql, row.id);
  }

  /**
   * The space by id or name, its row locked until the transaction ends: every allocation,
   * release and change of one space runs one at a time, across replicas. SPACE_NOT_FOUND when
   * there is none.
   */
  async lock(sql: Sql, idOrName: string): Promise<StoredSpace> {
    const row = await sql.one<{ id: string }>(
      'SELECT id FROM spaces WHERE id = $1 OR name = $1 ORDER BY id = $1 DESC LIMIT 1 FOR UPDATE',
      [idOrName],
    );
    if (row === undefined) throw notFound.space(idOrName);
    return this.read(sql, row.id);
  }

  async page(sql: Sql, query: ListQuery): Promise<Page<StoredSpace>> {
    const table = {
      table: 'spaces',
      columns: 'seq, id',
      labels: this.labels,
      sharedWhenUnlabelled: true,
    } as const;
    const { rows, nextCursor } = await pageBySeq<{ seq: string; id: string }>(sql, table, query);
    const items = [];
    for (const row of rows) items.push(await this.read(sql, row.id));
    return { items, nextCursor };
  }

  /** Overwrites a space the caller has locked and whose revision it has checked. */
  async update(sql: Sql, id: string, space: SpaceWrite): Promise<StoredSpace> {
    await lockSpaceWrites(sql);
    await this.assertNameFree(sql, space.name, id);
    await sql.run('UPDATE spaces SET name = $2, description = $3, revision = revision + 1 WHERE id = $1', [
      id,
      space.name,
      space.description,
    ]);
    await sql.run('DELETE FROM space_cidrs WHERE space_id = $1', [id]);
    await this.writeCidrs(sql, id, space.cidrs);
    await this.labels.write(sql, id, space.labels);
    return this.read(sql, id);
  }

  async delete(sql: Sql, id: string): Promise<void> {
    await sql.run('DELETE FROM spaces WHERE id = $1', [id]);
  }

  /** The space by id, or SPACE_NOT_FOUND. */
  async read(sql: Sql, id: string): Promise<StoredSpace> {
    const row = await sql.one<SpaceRow>(
      'SELECT id, name, revision, description, created_at FROM spaces WHERE id = $1',
      [id],
    );
    if (row === undefined) throw notFound.space(id);
    const cidrs = await sql.rows<{ cidr: string }>(
      'SELECT cidr FROM space_cidrs WHERE space_id = $1 ORDER BY position',
      [id],
    );
    return {
      id: row.id,
      name: row.name,
      revision: row.revision,
      description: row.description,
      cidrs: cidrs.map((c) => Cidr.parse(c.cidr)),
      labels: await this.labels.read(sql, id),
      createdAt: row.created_at,
    };
  }

  private async assertNameFree(sql: Sql, name: string, ownId: string | undefined): Promise<void> {
    const holder = await sql.one<{ id: string }>('SELECT id FROM spaces WHERE name = $1', [name]);
    if (holder !== undefined && holder.id !== ownId) {
      throw nameTaken('space', name);
    }
  }

  private async writeCidrs(sql: Sql, id: string, cidrs: readonly Cidr[]): Promise<void> {
    await sql.run(
      `INSERT INTO space_cidrs (space_id, position, family, cidr)
       SELECT $1, o - 1, f, c FROM unnest($2::smallint[], $3::text[]) WITH ORDINALITY AS t (f, c, o)`,
      [id, cidrs.map((c) => c.family), cidrs.map((c) => c.toString())],
    );
  }
}
