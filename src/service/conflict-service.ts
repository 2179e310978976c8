import { Team } from '../domain/auth/team.js';
import { DomainError } from '../domain/errors.js';
import { type Conflict, sweepConflicts } from '../domain/space/conflicts.js';
import type { Page, PageQuery } from '../store/page.js';
import type { Store } from '../store/store.js';
import { TimeSlices } from './time-slices.js';

/** Overlaps among stored plans and allocations, grouped by range, found by one sweep in address order. */
export class ConflictService {
  constructor(
    private readonly store: Store,
    private readonly sliceMs = 10,
  ) {}

  /**
   * A page of the grouped conflicts, in sweep order (by address, then by range). The cursor is
   * the position of the last item served: plans and blocks written between pages neither skip
   * nor repeat the conflicts still there (what is new before the cursor shows on the next walk).
   */
  async page({ limit, cursor }: PageQuery, team: Team = Team.EVERYONE): Promise<Page<Conflict>> {
    const after = cursor === undefined ? undefined : decodePosition(cursor);
    // A team's conflicts are among its plans and the blocks of the spaces it sees.
    const ranges = await this.store.heldRanges(team.labels);
    // The sweep stops at the first conflict past the page, and lets the event loop in as it goes.
    const slices = new TimeSlices(this.sliceMs);
    const items: Conflict[] = [];
    for (const found of sweepConflicts(ranges)) {
      for (const conflict of found) {
        if (after !== undefined && conflict.position <= after) continue;
        const last = items[items.length - 1];
        if (items.length === limit && last !== undefined)
          return { items, nextCursor: encodePosition(last.position) };
        items.push(conflict);
      }
      await slices.maybePause();
    }
    return { items, nextCursor: null };
  }
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
