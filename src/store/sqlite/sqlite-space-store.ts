import type { Database } from 'better-sqlite3';
import { DomainError } from '../../domain/errors.js';
import { Cidr } from '../../domain/ip/index.js';
import { type AllocationRequest, decideAllocation } from '../../domain/space/allocation-request.js';
import { removedCidrsInUse } from '../../domain/space/space-rules.js';
import type { ListQuery, Page, PageQuery, StoreClock } from '../page.js';
import {
  type AllocationOptions,
  IDEMPOTENCY_WINDOW_MS,
  type SpaceStore,
  type SpaceWrite,
  type StoredAllocation,
  type StoredSpace,
} from '../space-store.js';
import { addressKey } from './address-keys.js';
import { afterSeq, decodeCursor, encodeCursor } from './cursor.js';
import { LabelTable } from './label-table.js';

interface SpaceRow {
  seq: number;
  id: string;
  name: string;
  revision: number;
  description: string | null;
  created_at: string;
}

interface AllocationRow {
  id: string;
  space_id: string;
  cidr: string;
  purpose: string;
  plan_id: string | null;
  created_at: string;
}

const ALLOCATION_COLUMNS = 'id, space_id, cidr, purpose, plan_id, created_at';

/** Spaces in SQLite; every write is one immediate transaction, decided inside it. */
export class SqliteSpaceStore implements SpaceStore {
  private readonly labels: LabelTable;

  constructor(
    private readonly db: Database,
    private readonly clock: StoreClock,
  ) {
    this.labels = new LabelTable(db, 'space_labels', 'space_id');
  }

  async createSpace(space: SpaceWrite): Promise<StoredSpace> {
    const create = this.db.transaction(() => {
      this.assertNameFree(space.name, undefined);
      const id = this.clock.newId();
      this.db
        .prepare(
          'INSERT INTO spaces (id, name, description, created_at, seq) VALUES (?, ?, ?, ?, (SELECT coalesce(max(seq), 0) + 1 FROM spaces))',
        )
        .run(id, space.name, space.description, this.clock.now().toISOString());
      this.writeCidrs(id, space.cidrs);
      this.labels.write(id, space.labels);
      return this.read(id);
    });
    return create.immediate();
  }

  async getSpace(idOrName: string): Promise<StoredSpace | undefined> {
    const row = this.db
      .prepare('SELECT id FROM spaces WHERE id = ? OR name = ? ORDER BY id = ? DESC LIMIT 1')
      .get(idOrName, idOrName, idOrName) as { id: string } | undefined;
    return row && this.read(row.id);
  }

  async listSpaces({ limit, cursor, name, labels = [] }: ListQuery): Promise<Page<StoredSpace>> {
    const after = cursor === undefined ? 0 : decodeCursor(cursor, afterSeq).after;
    const selectors = this.labels.conditions('s.id', labels);
    const where = ['s.seq > ?', ...(name === undefined ? [] : ['s.name = ?']), ...selectors.sql];
    const params = [after, ...(name === undefined ? [] : [name]), ...selectors.params, limit + 1];
    const rows = this.db
      .prepare(`SELECT s.id, s.seq FROM spaces s WHERE ${where.join(' AND ')} ORDER BY s.seq LIMIT ?`)
      .all(...params) as { id: string; seq: number }[];
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    const nextCursor = rows.length > limit && last !== undefined ? encodeCursor({ after: last.seq }) : null;
    return { items: items.map((r) => this.read(r.id)), nextCursor };
  }

  async replaceSpace(id: string, expectedRevision: number, space: SpaceWrite): Promise<StoredSpace> {
    const replace = this.db.transaction(() => {
      const current = this.read(id);
      assertRevision(current, expectedRevision);
      this.assertNameFree(space.name, id);
      const inUse = removedCidrsInUse(current.cidrs, space.cidrs, this.allocatedNow(id));
      if (inUse !== undefined) throw inUse;
      this.db
        .prepare('UPDATE spaces SET name = ?, description = ?, revision = revision + 1 WHERE id = ?')
        .run(space.name, space.description, id);
      this.db.prepare('DELETE FROM space_cidrs WHERE space_id = ?').run(id);
      this.writeCidrs(id, space.cidrs);
      this.labels.write(id, space.labels);
      return this.read(id);
    });
    return replace.immediate();
  }

  async deleteSpace(id: string, expectedRevision?: number): Promise<void> {
    const remove = this.db.transaction(() => {
      const space = this.read(id);
      if (expectedRevision !== undefined) assertRevision(space, expectedRevision);
      const count = this.db
        .prepare('SELECT count(*) FROM allocations WHERE space_id = ?')
        .pluck()
        .get(id) as number;
      if (count > 0) {
        throw new DomainError(
          'SPACE_IN_USE',
          `space "${space.name}" still has ${count} allocation${count === 1 ? '' : 's'}; release them first`,
        );
      }
      this.db.prepare('DELETE FROM spaces WHERE id = ?').run(id);
    });
    remove.immediate();
  }

  async allocations(spaceId: string, { limit, cursor }: PageQuery): Promise<Page<StoredAllocation>> {
    this.read(spaceId);
    const after = cursor === undefined ? { f: 0, k: '' } : decodeCursor(cursor, isAllocationPosition);
    const rows = this.db
      .prepare(
        `SELECT ${ALLOCATION_COLUMNS}, family, first_key FROM allocations
         WHERE space_id = ? AND (family > ? OR (family = ? AND first_key > ?))
         ORDER BY family, first_key LIMIT ?`,
      )
      .all(spaceId, after.f, after.f, after.k, limit + 1) as (AllocationRow & {
      family: number;
      first_key: string;
    })[];
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    const nextCursor =
      rows.length > limit && last !== undefined ? encodeCursor({ f: last.family, k: last.first_key }) : null;
    return { items: items.map(toAllocation), nextCursor };
  }

  async allocatedCidrs(spaceId: string): Promise<Cidr[]> {
    this.read(spaceId);
    return this.allocatedNow(spaceId);
  }

  async allocation(spaceId: string, allocationId: string): Promise<StoredAllocation | undefined> {
    this.read(spaceId);
    const row = this.db
      .prepare(`SELECT ${ALLOCATION_COLUMNS} FROM allocations WHERE id = ? AND space_id = ?`)
      .get(allocationId, spaceId) as AllocationRow | undefined;
    return row && toAllocation(row);
  }

  async allocate(
    spaceId: string,
    request: AllocationRequest,
    options: AllocationOptions,
  ): Promise<{ allocation: StoredAllocation; replayed: boolean }> {
    return this.db.transaction(() => this.allocateNow(spaceId, request, options)).immediate();
  }

  /** The body of an allocation, for callers already inside a transaction. */
  allocateNow(
    spaceId: string,
    request: AllocationRequest,
    options: AllocationOptions & { planId?: string },
  ): { allocation: StoredAllocation; replayed: boolean } {
    const space = this.read(spaceId);
    const now = this.clock.now();
    this.forgetKeysBefore(new Date(now.getTime() - IDEMPOTENCY_WINDOW_MS));
    const replay = options.idempotency && this.replay(spaceId, options.idempotency);
    if (replay !== undefined) return { allocation: replay, replayed: true };
    const holders = this.allocationRows(spaceId).map(toAllocation);
    const cidr = decideAllocation(space.cidrs, holders, request);
    const id = this.clock.newId();
    const created = now.toISOString();
    const keys = [addressKey(cidr.first), addressKey(cidr.last)] as const;
    this.db
      .prepare(
        'INSERT INTO allocations (id, space_id, family, cidr, first_key, last_key, purpose, plan_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        id,
        spaceId,
        cidr.family,
        cidr.toString(),
        ...keys,
        options.purpose,
        options.planId ?? null,
        created,
      );
    const allocation = this.readAllocation(spaceId, id);
    if (options.idempotency) {
      const { key, fingerprint } = options.idempotency;
      this.db
        .prepare(
          'INSERT INTO idempotency_keys (space_id, key, fingerprint, allocation_id, created_at, response) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(spaceId, key, fingerprint, id, created, JSON.stringify(toRow(allocation)));
    }
    return { allocation, replayed: false };
  }

  /** The space's id, by id or name, for callers inside a transaction. */
  spaceIdOf(idOrName: string): string {
    const row = this.db.prepare('SELECT id FROM spaces WHERE id = ? OR name = ?').get(idOrName, idOrName) as
      | { id: string }
      | undefined;
    if (row === undefined) throw new DomainError('SPACE_NOT_FOUND', `no space with id or name "${idOrName}"`);
    return row.id;
  }

  /** Links allocations to the plan that uses them, inside the caller's transaction. */
  assignToPlan(allocationIds: readonly string[], planId: string): void {
    const assign = this.db.prepare('UPDATE allocations SET plan_id = ? WHERE id = ?');
    for (const id of allocationIds) assign.run(planId, id);
  }

  /** Releases what a plan allocated, inside the caller's transaction; their keys stay remembered. */
  releasePlanAllocations(planId: string): void {
    this.db.prepare('DELETE FROM allocations WHERE plan_id = ?').run(planId);
  }

  async release(spaceId: string, allocationId: string): Promise<void> {
    const release = this.db.transaction(() => {
      this.readAllocation(spaceId, allocationId);
      this.db.prepare('DELETE FROM allocations WHERE id = ?').run(allocationId);
    });
    release.immediate();
  }

  /**
   * The answer an earlier request with this key got, as it was then (even if released since);
   * the key with a different request is refused.
   */
  private replay(
    spaceId: string,
    idempotency: { key: string; fingerprint: string },
  ): StoredAllocation | undefined {
    const row = this.db
      .prepare(
        'SELECT fingerprint, allocation_id, response FROM idempotency_keys WHERE space_id = ? AND key = ?',
      )
      .get(spaceId, idempotency.key) as
      | { fingerprint: string; allocation_id: string; response: string | null }
      | undefined;
    if (row === undefined) return undefined;
    if (row.fingerprint !== idempotency.fingerprint) {
      throw DomainError.invalid(
        'IDEMPOTENCY_KEY_REUSED',
        'Idempotency-Key',
        `Idempotency-Key "${idempotency.key}" was used with a different request in the last 24 hours`,
      );
    }
    if (row.response !== null) return toAllocation(JSON.parse(row.response) as AllocationRow);
    return this.readAllocation(spaceId, row.allocation_id);
  }

  private forgetKeysBefore(cutoff: Date): void {
    this.db.prepare('DELETE FROM idempotency_keys WHERE created_at < ?').run(cutoff.toISOString());
  }

  private allocatedNow(spaceId: string): Cidr[] {
    return this.allocationRows(spaceId).map((row) => Cidr.parse(row.cidr));
  }

  private assertNameFree(name: string, ownId: string | undefined): void {
    const holder = this.db.prepare('SELECT id FROM spaces WHERE name = ?').get(name) as
      | { id: string }
      | undefined;
    if (holder !== undefined && holder.id !== ownId) {
      throw new DomainError('SPACE_NAME_TAKEN', `a space named "${name}" already exists (id ${holder.id})`);
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

  private allocationRows(spaceId: string): AllocationRow[] {
    return this.db
      .prepare(`SELECT ${ALLOCATION_COLUMNS} FROM allocations WHERE space_id = ? ORDER BY family, first_key`)
      .all(spaceId) as AllocationRow[];
  }

  private readAllocation(spaceId: string, id: string): StoredAllocation {
    const row = this.db
      .prepare(`SELECT ${ALLOCATION_COLUMNS} FROM allocations WHERE id = ? AND space_id = ?`)
      .get(id, spaceId) as AllocationRow | undefined;
    if (row === undefined)
      throw new DomainError('ALLOCATION_NOT_FOUND', `no allocation ${id} in space ${spaceId}`);
    return toAllocation(row);
  }

  private read(id: string): StoredSpace {
    const row = this.db
      .prepare('SELECT seq, id, name, revision, description, created_at FROM spaces WHERE id = ?')
      .get(id) as SpaceRow | undefined;
    if (row === undefined) throw new DomainError('SPACE_NOT_FOUND', `no space ${id}`);
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
}

function assertRevision(space: StoredSpace, expected: number): void {
  if (space.revision !== expected) {
    throw new DomainError(
      'REVISION_MISMATCH',
      `space ${space.id} is at revision ${space.revision}, not ${expected}; read it again and retry`,
    );
  }
}

/** A cursor after the (family, first address) of the last allocation served. */
const isAllocationPosition = (value: unknown): value is { f: number; k: string } =>
  typeof value === 'object' &&
  value !== null &&
  [4, 6].includes((value as { f?: unknown }).f as number) &&
  typeof (value as { k?: unknown }).k === 'string';

function toRow(a: StoredAllocation): AllocationRow {
  return {
    id: a.id,
    space_id: a.spaceId,
    cidr: a.cidr.toString(),
    purpose: a.purpose,
    plan_id: a.planId,
    created_at: a.createdAt,
  };
}

function toAllocation(row: AllocationRow): StoredAllocation {
  return {
    id: row.id,
    spaceId: row.space_id,
    cidr: Cidr.parse(row.cidr),
    purpose: row.purpose,
    planId: row.plan_id,
    createdAt: row.created_at,
  };
}
