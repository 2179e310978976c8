import type { Database } from 'better-sqlite3';
import { type AllocationRow, asAllocationRow } from '../allocation-row.js';
import { idempotencyKeyReused } from '../refusals.js';

/** What an earlier request with the same key was answered. */
export interface Replay {
  readonly allocationId: string;
  /** The answer as it was then; null for keys stored before answers were kept. */
  readonly response: AllocationRow | null;
}

/** Idempotency-Key records of allocations. Synchronous: callers hold the transaction. */
export class IdempotencyKeys {
  constructor(private readonly db: Database) {}

  forgetBefore(cutoff: Date): void {
    this.db.prepare('DELETE FROM idempotency_keys WHERE created_at < ?').run(cutoff.toISOString());
  }

  /**
   * The answer an earlier request with this key got, as it was then; the key with a different
   * request is refused. The caller refuses the key of an allocation released since.
   */
  replay(
    spaceId: string,
    actorId: string,
    idempotency: { key: string; fingerprint: string },
  ): Replay | undefined {
    // A key is the caller's across spaces: the key in another space is another request.
    const row = this.db
      .prepare(
        `SELECT space_id, fingerprint, allocation_id, response FROM idempotency_keys
         WHERE actor_id = ? AND key = ? ORDER BY space_id = ? DESC LIMIT 1`,
      )
      .get(actorId, idempotency.key, spaceId) as
      | { space_id: string; fingerprint: string; allocation_id: string; response: string | null }
      | undefined;
    if (row === undefined) return undefined;
    if (row.space_id !== spaceId || row.fingerprint !== idempotency.fingerprint) {
      throw idempotencyKeyReused(idempotency.key);
    }
    return {
      allocationId: row.allocation_id,
      response: row.response === null ? null : asAllocationRow(JSON.parse(row.response) as unknown),
    };
  }

  remember(
    spaceId: string,
    actorId: string,
    idempotency: { key: string; fingerprint: string },
    allocationId: string,
    createdAt: string,
    response: AllocationRow,
  ): void {
    this.db
      .prepare(
        'INSERT INTO idempotency_keys (space_id, actor_id, key, fingerprint, allocation_id, created_at, response) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        spaceId,
        actorId,
        idempotency.key,
        idempotency.fingerprint,
        allocationId,
        createdAt,
        JSON.stringify(response),
      );
  }
}
