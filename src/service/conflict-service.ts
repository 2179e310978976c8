import { Team } from '../domain/auth/team.js';
import { DomainError } from '../domain/errors.js';
import { type Conflict, findConflicts } from '../domain/space/conflicts.js';
import type { Page, PageQuery } from '../store/page.js';
import type { Store } from '../store/store.js';

/** Overlaps among stored plans and allocations, grouped by range, found by one sweep in address order. */
export class ConflictService {
  constructor(private readonly store: Store) {}

  /**
   * A page of the grouped conflicts, in sweep order (by address, then by range). The cursor is
   * the position of the last item served: plans and blocks written between pages neither skip
   * nor repeat the conflicts still there (what is new before the cursor shows on the next walk).
   */
  async page({ limit, cursor }: PageQuery, team: Team = Team.EVERYONE): Promise<Page<Conflict>> {
    const after = cursor === undefined ? undefined : decodePosition(cursor);
    // A team's conflicts are among its plans and the blocks of the spaces it sees.
    const conflicts = findConflicts(await this.store.heldRanges(team.labels));
    const start = after === undefined ? 0 : firstAfter(conflicts, after);
    const items = conflicts.slice(start, start + limit);
    const last = items[items.length - 1];
    const more = start + items.length < conflicts.length;
    return { items, nextCursor: more && last !== undefined ? encodePosition(last.position) : null };
  }
}

/** The index of the first conflict past `position` (positions ascend), by halving. */
function firstAfter(conflicts: readonly Conflict[], position: string): number {
  let [low, high] = [0, conflicts.length];
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((conflicts[mid] as Conflict).position <= position) low = mid + 1;
    else high = mid;
  }
  return low;
}

function encodePosition(position: string): string {
  return Buffer.from(JSON.stringify({ after: position })).toString('base64url');
}

function decodePosition(cursor: string): string {
  try {
    const { after } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof after === 'string' && after.length <= 4096) return after;
  } catch {
    // answered below
  }
  throw DomainError.invalid(
    'CURSOR_INVALID',
    'cursor',
    `"${cursor.slice(0, 64)}" is not a cursor this service issued`,
  );
}
