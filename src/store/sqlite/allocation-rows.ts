import type { Database, Statement } from 'better-sqlite3';
import { idempotencyOwner, SYSTEM_CHANGE } from '../../domain/auth/actor.js';
import { notFound } from '../../domain/errors.js';
import { Cidr } from '../../domain/ip/index.js';
import type { Labels } from '../../domain/labels.js';
import type { AllocationRequest, Holder } from '../../domain/space/allocation-request.js';
import { addressKey } from '../address-keys.js';
import { type AllocationRow, toAllocation, toRow } from '../allocation-row.js';
import { decodeCursor, firstPage, isAllocationPosition } from '../cursor.js';
import type { Page, PageQuery, StoreClock } from '../page.js';
import { idempotencyKeyReleased } from '../refusals.js';
import {
  type AllocationOptions,
  IDEMPOTENCY_WINDOW_MS,
  type StoredAllocation,
  type StoredSpace,
} from '../space-store.js';
import type { FreeBlockRows } from './free-block-rows.js';
import { IdempotencyKeys } from './idempotency-keys.js';

const COLUMNS = 'id, space_id, cidr, purpose, plan_id, created_at';

/** The allocations table. Synchronous: callers hold the transaction. */
export class AllocationRows {
  private readonly keys: IdempotencyKeys;
  private readonly startingAtOrBelow: Statement<[string, number, string], HolderRow>;
  private readonly startingWithin: Statement<[string, number, string, string], HolderRow>;

  constructor(
    private readonly db: Database,
    private readonly clock: StoreClock,
    private readonly freeBlocks: FreeBlockRows,
  ) {
    this.keys = new IdempotencyKeys(db);
    this.startingAtOrBelow = db.prepare(
      `SELECT id, cidr, purpose, last_key FROM allocations WHERE space_id = ? AND family = ? AND first_key <= ?
       ORDER BY first_key DESC LIMIT 1`,
    );
    this.startingWithin = db.prepare(
      `SELECT id, cidr, purpose, last_key FROM allocations
       WHERE space_id = ? AND family = ? AND first_key > ? AND first_key <= ? ORDER BY first_key LIMIT 1`,
    );
  }

  /** Decides the block (or replays an earlier answer for the same key) and writes it. */
  allocate(
    space: StoredSpace,
    request: AllocationRequest,
    options: AllocationOptions,
  ): { allocation: StoredAllocation; replayed: boolean } {
    const now = this.clock.now();
    this.keys.forgetBefore(new Date(now.getTime() - IDEMPOTENCY_WINDOW_MS));
    const actorId = idempotencyOwner((options.change ?? SYSTEM_CHANGE).actor);
    const { idempotency } = options;
    const earlier = idempotency && this.keys.replay(space.id, actorId, idempotency);
    if (idempotency && earlier !== undefined) {
      const { response, allocationId } = earlier;
      // Replaying a released block would hand out what may be someone else's by now.
      if (this.get(space.id, allocationId) === undefined) throw idempotencyKeyReleased(idempotency.key);
      return {
        allocation: response ? toAllocation(response) : this.read(space.id, allocationId),
        replayed: true,
      };
    }
    const cidr = this.freeBlocks.place(space, request, {
      firstOverlapping: (wanted) => this.firstOverlapping(space.id, wanted),
    });
    const id = this.clock.newId();
    const created = now.toISOString();
    this.db
      .prepare(
        'INSERT INTO allocations (id, space_id, family, cidr, first_key, last_key, purpose, plan_id, created_at, owner_labels) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        id,
        space.id,
        cidr.family,
        cidr.toString(),
        addressKey(cidr.first),
        addressKey(cidr.last),
        options.purpose,
        null,
        created,
        JSON.stringify(options.ownerLabels ?? {}),
      );
    const allocation = this.read(space.id, id);
    if (options.idempotency)
      this.keys.remember(space.id, actorId, options.idempotency, id, created, toRow(allocation));
    return { allocation, replayed: false };
  }

  page(spaceId: string, { limit, cursor }: PageQuery): Page<StoredAllocation> {
    const after =
      cursor === undefined ? { f: 0, k: '' } : decodeCursor(cursor, isAllocationPosition, 'allocations');
    const rows = this.db
      .prepare(
        `SELECT ${COLUMNS}, family, first_key FROM allocations
         WHERE space_id = ? AND (family > ? OR (family = ? AND first_key > ?))
         ORDER BY family, first_key LIMIT ?`,
      )
      .all(spaceId, after.f, after.f, after.k, limit + 1) as (AllocationRow & {
      family: number;
      first_key: string;
    })[];
    const page = firstPage(rows, limit, (last) => ({ f: last.family, k: last.first_key }), 'allocations');
    return { items: page.rows.map(toAllocation), nextCursor: page.nextCursor };
  }

  /** Every allocation of the space, lowest address first. */
  inSpace(spaceId: string): StoredAllocation[] {
    return (
      this.db
        .prepare(`SELECT ${COLUMNS} FROM allocations WHERE space_id = ? ORDER BY family, first_key`)
        .all(spaceId) as AllocationRow[]
    ).map(toAllocation);
  }

  count(spaceId: string): number {
    return this.db
      .prepare('SELECT count(*) FROM allocations WHERE space_id = ?')
      .pluck()
      .get(spaceId) as number;
  }

  get(spaceId: string, id: string): StoredAllocation | undefined {
    const row = this.db
      .prepare(`SELECT ${COLUMNS} FROM allocations WHERE id = ? AND space_id = ?`)
      .get(id, spaceId) as AllocationRow | undefined;
    return row && toAllocation(row);
  }

  /** The allocation, or ALLOCATION_NOT_FOUND. */
  read(spaceId: string, id: string): StoredAllocation {
    const allocation = this.get(spaceId, id);
    if (allocation === undefined) throw notFound.allocation(id, spaceId);
    return allocation;
  }

  /** Deletes the allocation and gives its block back to the space's free blocks. */
  release(allocation: StoredAllocation): void {
    this.freeBlocks.release(allocation.spaceId, allocation.cidr);
    this.db.prepare('DELETE FROM allocations WHERE id = ?').run(allocation.id);
  }

  /** Links allocations to the plan that uses them. */
  assignToPlan(allocationIds: readonly string[], planId: string): void {
    const assign = this.db.prepare('UPDATE allocations SET plan_id = ? WHERE id = ?');
    for (const id of allocationIds) assign.run(planId, id);
  }

  /**
   * The labels of the allocation's owner: a plan's block is the plan's team's, as the plan's
   * labels are now (a plan may move to another team); a block taken directly is the team's that
   * took it ({} for everyone).
   */
  ownerLabels(allocationId: string): Labels {
    const text = this.db
      .prepare(
        `SELECT CASE WHEN plan_id IS NULL THEN owner_labels
                ELSE (SELECT json_group_object(key, value) FROM plan_labels l WHERE l.plan_id = a.plan_id) END
           FROM allocations a WHERE id = ?`,
      )
      .pluck()
      .get(allocationId);
    const parsed: unknown = typeof text === 'string' ? JSON.parse(text) : {};
    return typeof parsed === 'object' && parsed !== null ? (parsed as Labels) : {};
  }

  ofPlan(planId: string): StoredAllocation[] {
    const rows = this.db
      .prepare(`SELECT ${COLUMNS} FROM allocations WHERE plan_id = ? ORDER BY family, first_key`)
      .all(planId) as AllocationRow[];
    return rows.map(toAllocation);
  }

  /** Releases what a plan allocated; their idempotency keys stay remembered. */
  releaseOfPlan(planId: string): StoredAllocation[] {
    const rows = this.db
      .prepare(`SELECT ${COLUMNS} FROM allocations WHERE plan_id = ?`)
      .all(planId) as AllocationRow[];
    const released = rows.map(toAllocation);
    for (const allocation of released) this.release(allocation);
    return released;
  }

  /**
   * The lowest-addressed allocation overlapping `cidr`, in two index probes: allocations of a
   * space are disjoint, so it is the one starting at or below `cidr` when that one reaches
   * into it, else the lowest one starting inside it.
   */
  private firstOverlapping(spaceId: string, cidr: Cidr): Holder | undefined {
    const [first, last] = [addressKey(cidr.first), addressKey(cidr.last)];
    const below = this.startingAtOrBelow.get(spaceId, cidr.family, first);
    const row =
      below !== undefined && below.last_key >= first
        ? below
        : this.startingWithin.get(spaceId, cidr.family, first, last);
    return row && { id: row.id, cidr: Cidr.parse(row.cidr), purpose: row.purpose };
  }
}

interface HolderRow {
  id: string;
  cidr: string;
  purpose: string;
  last_key: string;
}
