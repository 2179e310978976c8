import { Team } from '../domain/auth/team.js';
import { type Conflict, findConflicts } from '../domain/space/conflicts.js';
import type { Page, PageQuery } from '../store/page.js';
import type { Store } from '../store/store.js';
import { decodeOffset, encodeOffset } from './offset-cursor.js';

/** Overlaps among stored plans and allocations, grouped by range, found by one sweep in address order. */
export class ConflictService {
  constructor(private readonly store: Store) {}

  /** A page of the grouped conflicts, in sweep order (by address, then by range). */
  async page({ limit, cursor }: PageQuery, team: Team = Team.EVERYONE): Promise<Page<Conflict>> {
    const offset = cursor === undefined ? 0 : decodeOffset(cursor);
    // A team's conflicts are among its plans and the blocks of the spaces it sees.
    const conflicts = findConflicts(await this.store.heldRanges(team.labels));
    const items = conflicts.slice(offset, offset + limit);
    const next = offset + items.length;
    return { items, nextCursor: next < conflicts.length ? encodeOffset(next) : null };
  }
}
