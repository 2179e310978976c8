import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { DomainError } from '../../domain/errors.js';
import { Cidr } from '../../domain/ip/index.js';
import { type AllocationRequest, decideAllocation } from '../../domain/space/allocation-request.js';
import {
  type AllocationOptions,
  IDEMPOTENCY_WINDOW_MS,
  type SpaceStore,
  type StoredAllocation,
  type StoredSpace,
} from '../space-store.js';
import { addressKey } from './address-keys.js';

interface SpaceRow {
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
  constructor(private readonly db: Database) {}

  async createSpace(space: {
    name: string;
    description: string | null;
    cidrs: readonly Cidr[];
  }): Promise<StoredSpace> {
    const create = this.db.transaction(() => {
      const holder = this.db.prepare('SELECT id FROM spaces WHERE name = ?').get(space.name) as
        | { id: string }
        | undefined;
      if (holder !== undefined)
        throw new DomainError(
          'SPACE_NAME_TAKEN',
          `a space named "${space.name}" already exists (id ${holder.id})`,
        );
      const id = randomUUID();
      this.db
        .prepare('INSERT INTO spaces (id, name, description, created_at) VALUES (?, ?, ?, ?)')
        .run(id, space.name, space.description, new Date().toISOString());
      const insert = this.db.prepare(
        'INSERT INTO space_cidrs (space_id, position, family, cidr) VALUES (?, ?, ?, ?)',
      );
      space.cidrs.forEach((cidr, i) => {
        insert.run(id, i, cidr.family, cidr.toString());
      });
      return this.read(id);
    });
    return create.immediate();
  }

  async getSpace(idOrName: string): Promise<StoredSpace | undefined> {
    const row = this.db.prepare('SELECT id FROM spaces WHERE id = ? OR name = ?').get(idOrName, idOrName) as
      | { id: string }
      | undefined;
    return row && this.read(row.id);
  }

  async listSpaces(): Promise<StoredSpace[]> {
    const rows = this.db.prepare('SELECT id FROM spaces ORDER BY created_at, id').all() as { id: string }[];
    return rows.map((r) => this.read(r.id));
  }

  async deleteSpace(id: string, expectedRevision?: number): Promise<void> {
    const remove = this.db.transaction(() => {
      const space = this.read(id);
      if (expectedRevision !== undefined && space.revision !== expectedRevision) {
        throw new DomainError(
          'REVISION_MISMATCH',
          `space ${id} is at revision ${space.revision}, not ${expectedRevision}; read it again and retry`,
        );
      }
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

  async allocations(spaceId: string): Promise<StoredAllocation[]> {
    this.read(spaceId);
    return this.allocationRows(spaceId).map(toAllocation);
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
    const now = new Date();
    this.forgetKeysBefore(new Date(now.getTime() - IDEMPOTENCY_WINDOW_MS));
    const replay = options.idempotency && this.replay(spaceId, options.idempotency);
    if (replay !== undefined) return { allocation: replay, replayed: true };
    const holders = this.allocationRows(spaceId).map(toAllocation);
    const cidr = decideAllocation(space.cidrs, holders, request);
    const id = randomUUID();
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
      .prepare('SELECT id, name, revision, description, created_at FROM spaces WHERE id = ?')
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
      createdAt: row.created_at,
    };
  }
}

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
