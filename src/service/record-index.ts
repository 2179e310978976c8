import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { PlanRecords } from '../domain/records/plan-records.js';
import type { PlanStore } from '../store/plan-store.js';

/** What the record index reads: a plan's pod intervals (all, or changed since) and its nodes. */
export type RecordSource = Pick<PlanStore, 'podIntervalPage' | 'podIntervalsSince' | 'nodes'>;

export interface RecordIndexOptions {
  /** Intervals and nodes held in memory across plans; past it the least recently used plans go. */
  readonly maxEntries: number;
  /** Closed intervals older than this are dropped from memory, as the store prunes them. */
  readonly retentionDays: number;
  readonly now?: (() => Date) | undefined;
}

/** Two million entries: about 400 MB at the measured 200 bytes each (bench/pods.ts). */
export const DEFAULT_RECORD_INDEX = { maxEntries: 2_000_000, retentionDays: 90 } as const;

/** Rows per read of a plan's records: a few milliseconds each, with the event loop let in between. */
const PAGE_ROWS = 5_000;

/** How often a held plan drops what retention has expired: an O(intervals) pass. */
const PRUNE_EVERY_MS = 60 * 60 * 1000;
/** How long a plan too large for the budget is left to the store before it is tried again. */
const RETRY_TOO_LARGE_MS = 60 * 60 * 1000;

interface Held {
  readonly records: PlanRecords;
  /** The lookup index's version when this state was read: current while no later change of the plan. */
  version: number;
  /** Entries counted into the budget when last kept (records grow in place on a catch-up). */
  size: number;
  used: number;
  prunedAt: number;
}

/**
 * The plans' recorded pods and nodes in memory, so that a lookup with records (at a time or
 * now) costs map probes and a binary search instead of queries. A plan is read on its first
 * lookup and caught up, when the lookup index has logged a change of it since, from the rows
 * changed since (an import's new and closed intervals), never by reading it all again. Plans
 * past the memory budget are answered by the store, as before.
 */
export class RecordIndex {
  private readonly held = new Map<string, Held>();
  private readonly loading = new Map<string, Promise<boolean>>();
  private readonly tooLarge = new Map<string, number>();
  private total = 0;
  private tick = 0;
  private readonly now: () => Date;

  constructor(
    private readonly source: RecordSource,
    private readonly options: RecordIndexOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** Plans and entries (intervals and nodes) held: what the budget counts. */
  get stats(): { plans: number; entries: number } {
    return { plans: this.held.size, entries: this.total };
  }

  /**
   * The plan's records when held and current: no read, no await (the lookup's fast path).
   * `changedAt` is the lookup index's version of the plan's last logged change.
   */
  current(planId: string, changedAt: number): PlanRecords | undefined {
    const held = this.held.get(planId);
    if (held === undefined || held.version < changedAt) return undefined;
    held.used = ++this.tick;
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
      let pending = this.loading.get(planId);
      if (pending === undefined) {
        pending = this.bringUp(planId, version).finally(() => this.loading.delete(planId));
        this.loading.set(planId, pending);
      }
      if (!(await pending)) return undefined;
    }
    return this.current(planId, changedAt);
  }

  /** Drops a deleted plan's records. */
  forget(planId: string): void {
    const held = this.held.get(planId);
    if (held !== undefined) this.total -= held.size;
    this.held.delete(planId);
    this.tooLarge.delete(planId);
  }

  /** Reads the plan (or what changed since it was read); false when it does not fit the budget. */
  private async bringUp(planId: string, version: number): Promise<boolean> {
    const held = this.held.get(planId);
    const records = held === undefined ? undefined : await this.caughtUp(held.records, planId);
    const fresh = records ?? (await this.read(planId));
    if (fresh === undefined) return false;
    fresh.setNodes(await this.source.nodes(planId));
    if (fresh.size > this.options.maxEntries) return this.refuse(planId);
    this.keep(planId, fresh, version);
    return true;
  }

  /** The held records with the rows changed since applied; undefined when they must be read anew. */
  private async caughtUp(records: PlanRecords, planId: string): Promise<PlanRecords | undefined> {
    const since = records.lastImportAt;
    if (since === null) return undefined;
    const changed = await this.source.podIntervalsSince(planId, { seq: records.lastSeq, at: since });
    // History only goes forward: an earlier last import means the plan's history was replaced.
    if (changed.lastImportAt === null || changed.lastImportAt < since) return undefined;
    records.apply(changed.rows);
    records.lastImportAt = changed.lastImportAt;
    return records;
  }

  /**
   * Reads a plan's records page by page. The import time comes with the first page: a later
   * page may hold newer rows, which the next catch-up reads again from that time.
   */
  private async read(planId: string): Promise<PlanRecords | undefined> {
    const records = new PlanRecords();
    for (let first = true; ; first = false) {
      const page = await this.source.podIntervalPage(planId, records.lastSeq, PAGE_ROWS);
      if (first) records.lastImportAt = page.lastImportAt;
      records.apply(page.rows);
      if (records.size > this.options.maxEntries) {
        this.refuse(planId);
        return undefined;
      }
      if (page.rows.length < PAGE_ROWS) return records;
      await yieldToEventLoop();
    }
  }

  /** Holds the plan's records at `version`, then makes room: least recently used plans go first. */
  private keep(planId: string, records: PlanRecords, version: number): void {
    const now = this.now().getTime();
    const before = this.held.get(planId);
    const held: Held = { records, version, size: 0, used: ++this.tick, prunedAt: before?.prunedAt ?? now };
    if (now - held.prunedAt >= PRUNE_EVERY_MS) {
      records.forgetBefore(new Date(now - this.options.retentionDays * 86_400_000).toISOString());
      held.prunedAt = now;
    }
    held.size = records.size;
    this.total += held.size - (before?.size ?? 0);
    this.held.set(planId, held);
    while (this.total > this.options.maxEntries) {
      const oldest = this.leastRecentlyUsed(planId);
      if (oldest === undefined) break;
      this.forget(oldest);
    }
  }

  private leastRecentlyUsed(except: string): string | undefined {
    let oldest: [string, number] | undefined;
    for (const [id, held] of this.held) {
      if (id !== except && (oldest === undefined || held.used < oldest[1])) oldest = [id, held.used];
    }
    return oldest?.[0];
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
