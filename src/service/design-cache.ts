import { loadDesign, type PlannedDesign } from '../domain/plan/planner.js';
import type { PlanRef, StoredPlan } from '../store/plan-store.js';

interface Entry {
  readonly revision: number;
  readonly design: PlannedDesign;
  readonly bytes: number;
  used: number;
}

/** 64 MiB of laid-out designs unless configured: about 16,000 of the benchmark's plans (4 KB each). */
export const DEFAULT_DESIGN_CACHE_BYTES = 64 * 1024 * 1024;

/**
 * Laid-out designs of stored plans, one revision per plan, so that repeated lookups do not lay
 * the same plans out again. Sized by memory, not by count: a design's size grows with its
 * pools. When the budget is passed, the least recently used quarter goes at once, so the hot
 * path only stamps a counter.
 */
export class DesignCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private clock = 0;

  constructor(private readonly budget = DEFAULT_DESIGN_CACHE_BYTES) {}

  /** The cached design of this plan revision, if any. */
  cached(plan: PlanRef): PlannedDesign | undefined {
    const entry = this.entries.get(plan.id);
    if (entry === undefined || entry.revision !== plan.revision) return undefined;
    entry.used = ++this.clock;
    return entry.design;
  }

  design(plan: StoredPlan): PlannedDesign {
    const cached = this.cached(plan);
    if (cached !== undefined) return cached;
    const design = loadDesign(plan.spec, plan.defaultsApplied);
    this.forget(plan.id);
    const bytes = approximateBytes(plan);
    this.entries.set(plan.id, { revision: plan.revision, design, bytes, used: ++this.clock });
    this.bytes += bytes;
    if (this.bytes > this.budget) this.evict();
    return design;
  }

  /**
   * The design, from the cache when it is there, else laid out and not kept: a pass over every
   * plan (a metrics scrape) must not push out the designs lookups keep using.
   */
  peek(plan: StoredPlan): PlannedDesign {
    return this.cached(plan) ?? loadDesign(plan.spec, plan.defaultsApplied);
  }

  /** Bytes the cached designs are estimated to hold. */
  get size(): number {
    return this.bytes;
  }

  private forget(id: string): void {
    const entry = this.entries.get(id);
    if (entry === undefined) return;
    this.bytes -= entry.bytes;
    this.entries.delete(id);
  }

  private evict(): void {
    const oldest = [...this.entries].sort(([, a], [, b]) => a.used - b.used);
    for (const [id] of oldest.slice(0, Math.max(1, Math.ceil(oldest.length / 4)))) this.forget(id);
  }
}

/**
 * A laid-out design holds its parsed spec plus a few objects per pool and range: measured
 * (bench/memory) at about 3 KB for a one-pool plan and under 1 KB per further pool.
 */
export function approximateBytes(plan: StoredPlan): number {
  return 2048 + 1024 * plan.spec.nodePools.length + 2 * JSON.stringify(plan.spec).length;
}
