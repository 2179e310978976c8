/**
 * Conflict pages: walked by their cursors they are the whole sweep, in order, whatever the page
 * size; the sweep stops once a page is full and lets the event loop in as it goes.
 */
import { describe, expect, it } from 'vitest';
import { Cidr } from '../../src/domain/ip/index.js';
import { type Conflict, findConflicts, type HeldRange } from '../../src/domain/space/conflicts.js';
import { ConflictService } from '../../src/service/conflict-service.js';
import type { Store } from '../../src/store/store.js';
import { turnsDuring } from '../support/event-loop-turns.js';

/** 300 /16 blocks, each with a /24 block inside it and a plan's node subnet inside that. */
const ranges: HeldRange[] = Array.from({ length: 300 }, (_, i) => [
  {
    holder: { type: 'allocation' as const, id: `wide-${i}`, name: 'hub: wide' },
    kind: 'allocation' as const,
    cidr: Cidr.parse(`${i < 256 ? 10 : 11}.${i % 256}.0.0/16`),
    planId: null,
  },
  {
    holder: { type: 'allocation' as const, id: `narrow-${i}`, name: 'hub: narrow' },
    kind: 'allocation' as const,
    cidr: Cidr.parse(`${i < 256 ? 10 : 11}.${i % 256}.0.0/24`),
    planId: null,
  },
  {
    holder: { type: 'plan' as const, id: `plan-${i}`, name: `plan-${i}` },
    kind: 'node-subnet' as const,
    cidr: Cidr.parse(`${i < 256 ? 10 : 11}.${i % 256}.0.0/26`),
    exclusive: true,
  },
]).flat();

const storeOf = (held: readonly HeldRange[]) => ({ heldRanges: async () => held }) as unknown as Store;

async function walk(service: ConflictService, limit: number): Promise<Conflict[]> {
  const all: Conflict[] = [];
  let cursor: string | undefined;
  do {
    const page = await service.page({ limit, cursor });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    all.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return all;
}

describe('ConflictService pages', () => {
  const everything = findConflicts(ranges);

  it('walk the whole sweep in order, whatever the page size', async () => {
    expect(everything.length).toBeGreaterThanOrEqual(600);
    for (const limit of [3, 7, 200, 5_000])
      expect(await walk(new ConflictService(storeOf(ranges)), limit)).toEqual(everything);
  });

  it('end without a cursor when the last page is exactly full', async () => {
    const page = await new ConflictService(storeOf(ranges)).page({ limit: everything.length });
    expect([page.items.length, page.nextCursor]).toEqual([everything.length, null]);
  });

  it('let the event loop in between steps of the sweep', async () => {
    const turns = await turnsDuring(() => new ConflictService(storeOf(ranges), 0).page({ limit: 5_000 }));
    // 900 ranges are 900 groups: a pause after each.
    expect(turns).toBeGreaterThanOrEqual(900);
  });
});
