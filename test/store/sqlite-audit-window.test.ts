import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SYSTEM_CHANGE } from '../../src/domain/auth/actor.js';
import { auditEntriesQuery, type EntryRow, pageBack, toEntry } from '../../src/store/audit-row.js';
import type { AuditQuery } from '../../src/store/audit-store.js';
import { Params } from '../../src/store/sql-params.js';
import { AuditRows } from '../../src/store/sqlite/audit-rows.js';
import { openSqliteDatabase } from '../../src/store/sqlite/open-sqlite.js';

const START = Date.parse('2026-01-05T09:00:00.000Z');
const iso = (minute: number) => new Date(START + minute * 60_000).toISOString();

/** A database with an entry at each of these minutes, in this order (clocks can step back). */
function filled(minutes: readonly number[]) {
  const { db } = openSqliteDatabase(':memory:');
  let now = START;
  const clock = { now: () => new Date(now), newId: () => 'id' };
  const writer = new AuditRows(db, clock);
  minutes.forEach((minute, i) => {
    now = START + minute * 60_000;
    writer.record(SYSTEM_CHANGE, {
      action: 'plan.create',
      target: { type: 'plan', id: `p${i}`, name: null },
    });
  });
  return { db, clock };
}

describe('SQLite audit pages filtered by time', () => {
  it('are the same read newest first as read by time, whatever the window, cursor and page', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(60), { minLength: 1, maxLength: 40 }),
        fc.option(fc.nat(60), { nil: undefined }),
        fc.option(fc.nat(61), { nil: undefined }),
        fc.integer({ min: 1, max: 8 }),
        (minutes, since, until, limit) => {
          const { db, clock } = filled(minutes);
          // Bounds of 3 take every way in turn: by time below 3 entries, newest first above,
          // from the window's newest entry with 3 or more newer. The reference: the planner's.
          const [read, reference] = [
            new AuditRows(db, clock, { window: 3, newer: 3 }),
            (q: AuditQuery) => {
              const params = new Params('?');
              const rows = db.prepare(auditEntriesQuery(q, params)).all(...params.values) as EntryRow[];
              return pageBack(rows, q.limit, (r) => Number(r.seq), toEntry, 'audit');
            },
          ] as const;
          const query = {
            limit,
            since: since === undefined ? undefined : iso(since),
            until: until === undefined ? undefined : iso(until),
          };
          let cursor: string | undefined;
          do {
            const page = read.entries({ ...query, cursor });
            expect(page).toEqual(reference({ ...query, cursor }));
            cursor = page.nextCursor ?? undefined;
          } while (cursor !== undefined);
          db.close();
        },
      ),
      { numRuns: 200 },
    );
  });

  it('read a window with many entries newest first, without sorting it', () => {
    const { db, clock } = filled(Array.from({ length: 20 }, (_, i) => i));
    const prepared: string[] = [];
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => {
      prepared.push(sql);
      return prepare(sql);
    }) as typeof db.prepare;
    const rows = new AuditRows(db, clock, { window: 10, newer: 10 });
    const page = (since: number, until: number) => {
      rows.entries({ limit: 5, since: iso(since), until: iso(until) });
      return prepared.findLast((sql) => sql.includes('ORDER BY seq DESC')) ?? '';
    };
    const dense = page(5, 20); // 15 entries: past the bound of 10, none newer
    expect(dense).toContain('+at >=');
    expect(dense).not.toContain('max(seq)');
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${dense}`).all(iso(5), iso(20), 6) as { detail: string }[];
    expect(plan.map((p) => p.detail).join('\n')).not.toMatch(/TEMP B-TREE/);
    // 5 entries: read by time, through its index even for `until` alone.
    expect(page(0, 5)).not.toContain('+at');
    expect(page(0, 5)).toContain('FROM audit_entries INDEXED BY audit_by_time WHERE');
    // 10 entries, and 10 newer ones: read from the window's newest entry, not past the newer.
    expect(page(0, 10)).toContain(
      '+at >= ? AND +at < ? AND seq <= (SELECT max(seq) FROM audit_entries INDEXED BY audit_by_time WHERE at >= ?',
    );
  });

  it('build every read as valid SQL, whatever filters a query has', () => {
    const { db } = filled([1, 2, 3]);
    const reads = ['planner', 'by-time', 'newest-first', 'newest-first-from-window'] as const;
    for (const query of [{ limit: 2 }, { limit: 2, until: iso(2) }, { limit: 2, since: iso(2) }]) {
      const pages = reads.map((read) => {
        const params = new Params('?');
        return db.prepare(auditEntriesQuery(query, params, read)).all(...params.values);
      });
      for (const page of pages) expect(page).toEqual(pages[0]);
    }
  });
});
