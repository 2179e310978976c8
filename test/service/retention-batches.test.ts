import { describe, expect, it } from 'vitest';
import { HistoryService } from '../../src/service/history-service.js';
import { deleteInBatches } from '../../src/service/retention-batches.js';
import { TimeSlices } from '../../src/service/time-slices.js';
import type { Store } from '../../src/store/store.js';

/** A clock whose slices have always run out: it counts the pauses it is asked for. */
class SpentSlices extends TimeSlices {
  pauses = 0;
  override due(): boolean {
    return true;
  }
  override async pause(): Promise<void> {
    this.pauses++;
  }
}

describe('retention deletes in batches', () => {
  it('deletes until a batch comes back short, pausing between batches when the slice is over', async () => {
    let left = 2_500;
    const limits: number[] = [];
    const slices = new SpentSlices();
    const removed = await deleteInBatches(
      async (limit) => {
        limits.push(limit);
        const deleted = Math.min(limit, left);
        left -= deleted;
        return deleted;
      },
      1_000,
      slices,
    );
    expect(removed).toBe(2_500);
    expect(limits).toEqual([1_000, 1_000, 1_000]);
    expect(slices.pauses).toBe(2);
  });

  it('asks once when nothing is left, and pauses not at all', async () => {
    const slices = new SpentSlices();
    expect(await deleteInBatches(async () => 0, 1_000, slices)).toBe(0);
    expect(slices.pauses).toBe(0);
  });
});

describe('audit retention', () => {
  it('forgets entries older than the retention in batches until none is left', async () => {
    const asked: [string, number][] = [];
    let left = 1_500;
    const audit = {
      forgetBefore: async (cutoff: Date, limit: number) => {
        asked.push([cutoff.toISOString(), limit]);
        const deleted = Math.min(limit, left);
        left -= deleted;
        return deleted;
      },
    };
    const history = new HistoryService({ audit } as unknown as Store);
    expect(await history.forgetOlderThan(30, new Date('2026-12-31T00:00:00Z'))).toBe(1_500);
    expect(asked).toEqual([
      ['2026-12-01T00:00:00.000Z', 1_000],
      ['2026-12-01T00:00:00.000Z', 1_000],
    ]);
  });
});
