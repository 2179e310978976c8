import { idempotencyOwner, SYSTEM_CHANGE } from '../../domain/auth/actor.js';
import { notFound } from '../../domain/errors.js';
import { Cidr } from '../../domain/ip/index.js';
import type { Labels } from '../../domain/labels.js';
import type { AllocationRequest, Holder } from '../../domain/space/allocation-request.js';
import { addressKey } from '../address-keys.js';
import { type AllocationRow, asAllocationRow, toAllocation, toRow } from '../allocation-row.js';
import { decodeCursor, firstPage, isAllocationPosition } from '../cursor.js';
import type { Page, PageQuery, StoreClock } from '../page.js';
import { idempotencyKeyReleased, idempotencyKeyReused } from '../refusals.js';
import {
  type AllocationOptions,
  IDEMPOTENCY_WINDOW_MS,
  type StoredAllocation,
  type StoredSpace,
} from '../space-store.js';
import type { PgFreeBlocks } from './free-blocks.js';
import type { Sql } from './sql.js';

const COLUMNS = 'id, space_id, cidr, purpose, plan_id, created_at';

/** The allocations table and its idempotency keys, inside the caller's transaction. */
export class PgAllocationRows {
  constructor(
    private readonly clock: StoreClock,
    private readonly freeBlocks: PgFreeBlocks,
  ) {}

  /**
   * Decides the block (or replays an earlier answer for the same key) and writes it. The caller
   * holds the space's row lock, so the same key sent to two replicas at once is decided once.
   */
  async allocate(
    sql: Sql,
    space: StoredSpace,
    request: AllocationRequest,
    options: AllocationOptions,
  ): Promise<{ allocation: StoredAllocation; replayed: boolean }> {
    const now = this.clock.now();
    await sql.run('DELETE FROM idempotency_keys WHERE created_at < $1', [
      new Date(now.getTime() - IDEMPOTENCY_WINDOW_MS).toISOString(),
    ]);
    const actorId = idempotencyOwner((options.change ?? SYSTEM_CHANGE).actor);
    if (options.idempotency) {
      // A key is the caller's across spaces: the same key sent to two spaces at once (each
      // request holding its own space's lock) is decided once.
      await sql.run('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
        `idempotency ${actorId} ${options.idempotency.key}`,
      ]);
    }
    const earlier = options.idempotency && (await this.replay(sql, space.id, actorId, options.idempotency));
    if (earlier !== undefined) return { allocation: earlier, replayed: true };
    const cidr = await this.freeBlocks.place(sql, space, request, (wanted) =>
      this.firstOverlapping(sql, space.id, wanted),
    );
    const id = this.clock.newId();
    const created = now.toISOString();
    await sql.run(
      `INSERT INTO allocations (id, space_id, family, cidr, first_key, last_key, purpose, plan_id, created_at, owner_labels)
       VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, $9)`,
      [
        id,
        space.id,
        cidr.family,
        cidr.toString(),
        addressKey(cidr.first),
        addressKey(cidr.last),
        options.purpose,
        created,
        JSON.stringify(options.ownerLabels ?? {}),
      ],
    );
    const allocation = await this.read(sql, space.id, id);
    if (options.idempotency) {
      await sql.run(
        `INSERT INTO idempotency_keys (space_id, actor_id, key, fingerprint, allocation_id, created_at, response)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          space.id,
          actorId,
          options.idempotency.key,
          options.idempotency.fingerprint,
          id,
          created,
          JSON.stringify(toRow(allocation)),
        ],
      );
    }
    return { allocation, replayed: false };
  }

  async page(sql: Sql, spaceId: string, { limit, cursor }: PageQuery): Promise<Page<StoredAllocation>> {
    const after =
      cursor === undefined ? { f: 0, k: '' } : decodeCursor(cursor, isAllocationPosition, 'allocations');
    const rows = await sql.rows<AllocationRow & { family: number; first_key: string }>(
      `SELECT ${COLUMNS}, family, first_key FROM allocations
       WHERE space_id = $1 AND (family > $2 OR (family = $2 AND first_key > $3))
       ORDER BY family, first_key LIMIT $4`,
      [spaceId, after.f, after.k, limit + 1],
    );
    const page = firstPage(rows, limit, (last) => ({ f: last.family, k: last.first_key }), 'allocations');
    return { items: page.rows.map(toAllocation), nextCursor: page.nextCursor };
  }

  /** Every allocation of the space, lowest address first. */
  async inSpace(sql: Sql, spaceId: string): Promise<StoredAllocation[]> {
    const rows = await sql.rows<AllocationRow>(
      `SELECT ${COLUMNS} FROM allocations WHERE space_id = $1 ORDER BY family, first_key`,
      [spaceId],
    );
    return rows.map(toAllocation);
  }

  async count(sql: Sql, spaceId: string): Promise<number> {
    const row = await sql.one<{ n: number }>(
      'SELECT count(*)::int AS n FROM allocations WHERE space_id = $1',
      [spaceId],
    );
    return row?.n ?? 0;
  }

  async get(sql: Sql, spaceId: string, id: string): Promise<StoredAllocation | undefined> {
    const row = await sql.one<AllocationRow>(
      `SELECT ${COLUMNS} FROM allocations WHERE id = $1 AND space_id = $2`,
      [id, spaceId],
    );
    return row && toAllocation(row);
  }

  /** The allocation, or ALLOCATION_NOT_FOUND. */
  async read(sql: Sql, spaceId: string, id: string): Promise<StoredAllocation> {
    const allocation = await this.get(sql, spaceId, id);
    if (allocation === undefined) throw notFound.allocation(id, spaceId);
    return allocation;
  }

  /** Deletes the allocation and gives its block back to the space's free blocks. */
  async release(sql: Sql, allocation: StoredAllocation): Promise<void> {
    await this.freeBlocks.release(sql, allocation.spaceId, allocation.cidr);
    await sql.run('DELETE FROM allocations WHERE id = $1', [allocation.id]);
  }

  /** Links allocations to the plan that uses them. */
  async assignToPlan(sql: Sql, allocationIds: readonly string[], planId: string): Promise<void> {
    await sql.run('UPDATE allocations SET plan_id = $1 WHERE id = ANY($2)', [planId, allocationIds]);
  }

  /**
   * The labels of each allocation's owner: a plan's block is the plan's team's, as the plan's
   * labels are now (a plan may move to another team); a block taken directly is the team's that
   * took it ({} for everyone).
   */
  async ownerLabels(sql: Sql, allocationIds: readonly string[]): Promise<Map<string, Labels>> {
    const rows = await sql.rows<{ id: string; owner_labels: unknown }>(
      `SELECT a.id, CASE WHEN a.plan_id IS NULL THEN a.owner_labels
                    ELSE (SELECT coalesce(json_object_agg(l.key, l.value), '{}'::json)
                            FROM plan_labels l WHERE l.plan_id = a.plan_id) END AS owner_labels
         FROM allocations a WHERE a.id = ANY($1)`,
      [allocationIds],
    );
    const found = new Map(rows.map((r) => [r.id, r.owner_labels]));
    return new Map(allocationIds.map((id) => [id, asLabels(found.get(id))]));
  }

  /** The space ids of a plan's allocations, in the order their locks are taken. */
  async spacesOfPlan(sql: Sql, planId: string): Promise<string[]> {
    const rows = await sql.rows<{ space_id: string }>(
      'SELECT DISTINCT space_id FROM allocations WHERE plan_id = $1 ORDER BY space_id',
      [planId],
    );
    return rows.map((r) => r.space_id);
  }

  async ofPlan(sql: Sql, planId: string): Promise<StoredAllocation[]> {
    const rows = await sql.rows<AllocationRow>(
      `SELECT ${COLUMNS} FROM allocations WHERE plan_id = $1 ORDER BY family, first_key`,
      [planId],
    );
    return rows.map(toAllocation);
  }

  /** Releases what a plan allocated; their idempotency keys stay remembered. */
  async releaseOfPlan(sql: Sql, planId: string): Promise<StoredAllocation[]> {
    const rows = await sql.rows<AllocationRow>(`SELECT ${COLUMNS} FROM allocations WHERE plan_id = $1`, [
      planId,
    ]);
    const released = rows.map(toAllocation);
    for (const allocation of released) await this.release(sql, allocation);
    return released;
  }

  /**
   * The answer an earlier request with this key got, as it was then; the key with a different
   * request is refused, and so is the key of an allocation released since.
   */
  private async replay(
    sql: Sql,
    spaceId: string,
    actorId: string,
    idempotency: { key: string; fingerprint: string },
  ): Promise<StoredAllocation | undefined> {
    // The key in another space is another request: refused like one with another body.
    const row = await sql.one<{
      space_id: string;
      fingerprint: string;
      allocation_id: string;
      response: unknown;
    }>(
      `SELECT space_id, fingerprint, allocation_id, response FROM idempotency_keys
       WHERE actor_id = $1 AND key = $2 ORDER BY space_id = $3 DESC LIMIT 1`,
      [actorId, idempotency.key, spaceId],
    );
    if (row === undefined) return undefined;
    if (row.space_id !== spaceId || row.fingerprint !== idempotency.fingerprint)
      throw idempotencyKeyReused(idempotency.key);
    const held = await sql.one('SELECT 1 FROM allocations WHERE space_id = $1 AND id = $2', [
      spaceId,
      row.allocation_id,
    ]);
    if (held === undefined) throw idempotencyKeyReleased(idempotency.key);
    // Keys kept from before answers were (a restored SQLite dump) name their allocation only.
    if (row.response === null) return this.read(sql, spaceId, row.allocation_id);
    return toAllocation(asAllocationRow(row.response));
  }

  /**
   * The lowest-addressed allocation overlapping `cidr`, in two index probes: allocations of a
   * space are disjoint, so it is the one starting at or below `cidr` when that one reaches
   * into it, else the lowest one starting inside it.
   */
  private async firstOverlapping(sql: Sql, spaceId: string, cidr: Cidr): Promise<Holder | undefined> {
    const [first, last] = [addressKey(cidr.first), addressKey(cidr.last)];
    const row = await sql.one<{ id: string; cidr: string; purpose: string }>(
      `(SELECT id, cidr, purpose, first_key FROM
         (SELECT id, cidr, purpose, first_key, last_key FROM allocations
          WHERE space_id = $1 AND family = $2 AND first_key <= $3 ORDER BY first_key DESC LIMIT 1) below
        WHERE last_key >= $3)
       UNION ALL
       (SELECT id, cidr, purpose, first_key FROM allocations
        WHERE space_id = $1 AND family = $2 AND first_key > $3 AND first_key <= $4 ORDER BY first_key LIMIT 1)
       ORDER BY first_key LIMIT 1`,
      [spaceId, cidr.family, first, last],
    );
    return row && { id: row.id, cidr: Cidr.parse(row.cidr), purpose: row.purpose };
  }
}

function asLabels(value: unknown): Labels {
  return typeof value === 'object' && value !== null ? (value as Labels) : {};
}
