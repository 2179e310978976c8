import { PlanRecords } from '../domain/records/plan-records.js';
import { inALaterTurn } from '../event-loop.js';
import type { PlanStore } from '../store/plan-store.js';
import type { ClosedCursor, RecordedRows } from '../store/pod-row.js';
import { TimeSlices } from './time-slices.js';

/** What the record index reads: a plan's pod intervals (in pages, or closed since) and its nodes. */
export type RecordSource = Pick<PlanStore, 'podIntervalPage' | 'podIntervalsClosedSince' | 'nodes'>;

export interface RecordIndexOptions {
  /** Intervals and nodes held in memory across plans; past it the least recently used plans go. */
  readonly maxEntries: number;
  /** Closed intervals older than this are not answered, and leave memory within the hour. */
  readonly retentionDays: number;
  readonly now?: (() => Date) | undefined;
  /** Rows per read: a few milliseconds each, with the event loop let in between. */
  readonly pageRows?: number | undefined;
}

/** Two million entries: about 560 MB at the measured 280 bytes each (bench/pods.ts). */
export const DEFAULT_RECORD_INDEX = { maxEntries: 2_000_000, retentionDays: 90 } as const;

/**
 * Rows per read: a few ms each. Reads run back to back for a slice (10 ms) before the event
 * loop is let in: pages of 5,000 held it for 85-120 ms each (bench/pods.ts's plan, 60,000 rows).
 */
const PAGE_ROWS = 1_000;
/** How often a held plan drops what retention has expired: an O(intervals) pass. */
const PRUNE_EVERY_MS = 60 * 60 * 1000;
/** How long a plan too large for the budget is left to the store before it is tried again. */
const RETRY_TOO_LARGE_MS = 60 * 60 * 1000;
const DAY_MS = 86_400_000;

interface Held {
  readonly planId: string;
  readonly records: PlanRecords;
  /** The lookup index's version when this state was read: current while no later change of the plan. */
  version: number;
  /** Entries counted into the budget when last kept (records grow in place on a catch-up). */
  size: number;
  used: number;
  prunedAt: number;
}

/** A read of a plan in flight; `forgotten` when the plan is deleted meanwhile: it then keeps nothing. */
interface Load {
  promise: Promise<boolean>;
  forgotten: boolean;
}

/**
 * The plans' recorded pods and nodes in memory, so that a lookup with records (at a time or
 * now) costs map probes and a binary search instead of queries. A plan is read on its first
 * lookup, page by page, and caught up, when the lookup index has logged a change of it since,
 * from its rows added since and its rows closed by the imports since (both by the plan's own
 * indexes, in pages), never by reading it all again. Plans past the memory budget are answered
 * by the store, as before.
 */
export class RecordIndex {
  private readonly held = new Map<string, Held>();
  private readonly loading = new Map<string, Load>();
  private readonly tooLarge = new Map<string, number>();
  private total = 0;
  private tick = 0;
  private readonly now: () => Date;
  private readonly pageRows: number;
  private cutoff = { at: Number.NEGATIVE_INFINITY, text: '' };
  /** Whole plans are read one at a time: at any moment memory holds the budget and one read. */
  private reading: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly source: RecordSource,
    private readonly options: RecordIndexOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    this.pageRows = Math.max(1, options.pageRows ?? PAGE_ROWS);
  }

  /** Plans and entries (intervals and nodes) held: what the budget counts. */
  get stats(): { plans: number; entries: number } {
    return { plans: this.held.size, entries: this.total };
  }

  /** Intervals that ended before this time are past retention: not answered, pruned or not. */
  expiredBefore(): string {
    const now = this.now().getTime();
    // Recomputed once a second: a lookup reads it for every address.
    if (now - this.cutoff.at >= 1000) {
      this.cutoff = { at: now, text: new Date(now - this.options.retentionDays * DAY_MS).toISOString() };
    }
    return this.cutoff.text;
  }

  /**
   * The plan's records when held and current: no read, no await (the lookup's fast path).
   * `changedAt` is the lookup index's version of the plan's last logged change.
   */
  current(planId: string, changedAt: number): PlanRecords | undefined {
    const held = this.held.get(planId);
    if (held === undefined || held.version < changedAt) return undefined;
    held.used = ++this.tick;
    this.pruneWhenDue(held);
    return held.records;
  }

  /**
   * The plan's records, read or caught up first; undefined when they pass the memory budget (the
   * caller asks the store). `version` is the lookup index's version now (at least `changedAt`).
   */
  async of(planId: string, changedAt: number, version: number): Promise<PlanRecords | undefined> {
    // A read already under way may have started before the change asked for: then one more.
    for (let attempt = 0; attempt < 3; attempt++) {
      const ready = this.current(planId, changedAt);
      if (ready !== undefined) return ready;
      if (this.refused(planId)) return undefined;
      let load = this.loading.get(planId);
      if (load === undefined) {
        const started: Load = { promise: Promise.resolve(false), forgotten: false };
        started.promise = this.bringUp(planId, version, started).finally(() => this.loading.delete(planId));
        this.loading.set(planId, started);
        load = started;
      }
      if (!(await load.promise)) return undefined;
    }
    return this.current(planId, changedAt);
  }

  /** Drops a deleted plan's records, and what a read in flight would keep of them. */
  forget(planId: string): void {
    const held = this.held.get(planId);
    if (held !== undefined) this.total -= held.size;
    this.held.delete(planId);
    this.tooLarge.delete(planId);
    const load = this.loading.get(planId);
    if (load !== undefined) load.forgotten = true;
  }

  /** Reads the plan (or what changed since it was read); false when it does not fit the budget. */
  private async bringUp(planId: string, version: number, load: Load): Promise<boolean> {
    const held = this.held.get(planId);
    const caughtUp = held === undefined ? undefined : await this.caughtUp(held.records, planId);
    const records = caughtUp ?? (await this.read(planId));
    if (records === undefined || load.forgotten) return this.leave(planId, load);
    records.setNodes(await this.source.nodes(planId));
    if (load.forgotten) return this.leave(planId, load);
    if (records.size > this.options.maxEntries) return this.refuse(planId);
    this.keep(planId, records, version);
    return true;
  }

  /**
   * The held records with the rows added since and the rows closed since applied; undefined
   * when they must be read anew. The import count is read first: an import committed during
   * the pages is read again by the next catch-up.
   */
  private async caughtUp(records: PlanRecords, planId: string): Promise<PlanRecords | undefined> {
    const closedSince = records.imports;
    let anew = false;
    const counts = await this.pages(planId, records.lastSeq, (page, first) => {
      // Retention deleted rows of the plan since it was read (a close among them can no longer
      // be read), or fewer imports than counted (its history was replaced): read it anew.
      anew = first && (page.pruned !== records.pruned || page.imports < closedSince);
      if (!anew) records.apply(page.rows);
      return anew;
    });
    if (anew) return undefined;
    let after: ClosedCursor | undefined;
    const slices = new TimeSlices();
    for (;;) {
      const page = await this.source.podIntervalsClosedSince(planId, closedSince, after, this.pageRows);
      records.applyClosed(page.rows);
      const last = page.rows.at(-1);
      if (last === undefined || page.rows.length < this.pageRows) break;
      if (last.closedBy === null) throw new Error('a closed row names the import that closed it');
      after = { closedBy: last.closedBy, seq: last.seq };
      await slices.maybePause();
    }
    records.imports = counts.imports;
    return records;
  }

  /** Reads a plan's records page by page, after the reads before it; undefined past the budget. */
  private read(planId: string): Promise<PlanRecords | undefined> {
    const read = this.reading.then(() => this.readNow(planId));
    this.reading = read.catch(() => undefined);
    return read;
  }

  private async readNow(planId: string): Promise<PlanRecords | undefined> {
    const records = new PlanRecords();
    let tooLarge = false;
    const counts = await this.pages(planId, 0, (page) => {
      records.apply(page.rows);
      tooLarge = records.size > this.options.maxEntries;
      return tooLarge;
    });
    records.imports = counts.imports;
    records.pruned = counts.pruned;
    if (tooLarge) {
      this.refuse(planId);
      return undefined;
    }
    return records;
  }

  /**
   * The plan's rows after `after`, page by page, each handed to `take` (which may stop the
   * reading by answering true); answers the counts read with the first page.
   */
  private async pages(
    planId: string,
    after: number,
    take: (page: RecordedRows, first: boolean) => boolean,
  ): Promise<{ imports: number; pruned: number }> {
    let counts: { imports: number; pruned: number } | undefined;
    const slices = new TimeSlices();
    for (let next = after; ; ) {
      const page = await this.source.podIntervalPage(planId, next, this.pageRows);
      const first = counts === undefined;
      counts ??= { imports: page.imports, pruned: page.pruned };
      if (take(page, first) || page.rows.length < this.pageRows) return counts;
      next = page.rows.at(-1)?.seq ?? next;
      await slices.maybePause();
    }
  }

  /** Holds the plan's records at `version`, then makes room: least recently used plans go first. */
  private keep(planId: string, records: PlanRecords, version: number): void {
    const before = this.held.get(planId);
    const held: Held = {
      planId,
      records,
      version,
      size: records.size,
      used: ++this.tick,
      prunedAt: before?.prunedAt ?? this.now().getTime(),
    };
    this.total += held.size - (before?.size ?? 0);
    this.held.set(planId, held);
    if (this.total > this.options.maxEntries) this.makeRoom(planId);
  }

  /** Drops the least recently used plans (not `keeping`) until the budget holds: one sort. */
  private makeRoom(keeping: string): void {
    const byUse = [...this.held].filter(([id]) => id !== keeping).sort((a, b) => a[1].used - b[1].used);
    for (const [id] of byUse) {
      if (this.total <= this.options.maxEntries) return;
      this.forget(id);
    }
  }

  /** Once an hour a held plan drops what retention has expired, after the lookup that noticed. */
  private pruneWhenDue(held: Held): void {
    // The clock as the last lookup read it (expiredBefore): no reading per address.
    const now = this.cutoff.at;
    if (now - held.prunedAt < PRUNE_EVERY_MS) return;
    held.prunedAt = now;
    inALaterTurn(() => {
      held.records.forgetBefore(this.expiredBefore());
      if (this.held.get(held.planId) !== held) return; // dropped meanwhile
      this.total += held.records.size - held.size;
      held.size = held.records.size;
    });
  }

  /** A read that keeps nothing: of a plan deleted meanwhile (nothing of it stays), or past the budget. */
  private leave(planId: string, load: Load): false {
    if (load.forgotten) this.tooLarge.delete(planId);
    return false;
  }

  /** Leaves a plan past the budget to the store for a while; answers false. */
  private refuse(planId: string): false {
    this.forget(planId);
    this.tooLarge.set(planId, this.now().getTime());
    return false;
  }

  private refused(planId: string): boolean {
    const at = this.tooLarge.get(planId);
    if (at === undefined) return false;
    if (this.now().getTime() - at < RETRY_TOO_LARGE_MS) return true;
    this.tooLarge.delete(planId);
    return false;
  }
}
