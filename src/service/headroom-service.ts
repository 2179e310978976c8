import type { Team } from '../domain/auth/team.js';
import type { RangeCapacity } from '../domain/capacity/range-capacity.js';
import type { Verdict } from '../domain/capacity/verdict.js';
import type { PlannedDesign } from '../domain/plan/planner.js';
import type { IndexedPlan } from '../store/plan-store.js';
import type { StoredSpace } from '../store/space-store.js';
import type { Store } from '../store/store.js';
import type { DesignCache } from './design-cache.js';
import type { PlanIndex } from './plan-index.js';
import type { FamilyUse, SpaceService } from './space-service.js';
import { TimeSlices } from './time-slices.js';

/** How near one plan is to running out: what the metrics export of it. */
export interface PlanHeadroom {
  readonly plan: IndexedPlan;
  readonly verdict: Verdict;
  readonly ranges: readonly RangeCapacity[];
  /** Nodes at the maxima plus surge over the nodes SNAT ports carry; null without an outbound section. */
  readonly snatUtilization: number | null;
  readonly pools: readonly { readonly name: string; readonly slots: number }[];
  /** The highest utilization of its ranges and SNAT: how the plans nearest exhaustion are chosen. */
  readonly nearness: number;
}

export interface HeadroomReport {
  /** The plans nearest exhaustion, at most the cap, nearest first. */
  readonly plans: readonly PlanHeadroom[];
  /** Recorded nodes per pool of the reported plans that have any. */
  readonly recordedNodes: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** Every plan the caller sees, by verdict (also those beyond the cap). */
  readonly verdicts: Readonly<Record<Verdict, number>>;
  readonly spaces: readonly { readonly space: StoredSpace; readonly use: readonly FamilyUse[] }[];
}

/**
 * Headroom of every stored plan and space, for Prometheus. Each plan's figures are worked out
 * once per revision from the laid-out design (the lookups' cache) and kept, so a scrape costs
 * a pass over numbers, not a layout per plan; plans are found through the lookup index.
 */
export class HeadroomService {
  private readonly known = new Map<string, PlanHeadroom>();

  constructor(
    private readonly store: Store,
    private readonly designs: DesignCache,
    private readonly index: PlanIndex,
    private readonly spaces: SpaceService,
  ) {}

  async report(team: Team, maxPlans: number): Promise<HeadroomReport> {
    await this.index.sync();
    const all = await this.headroomOf(this.index.allPlans(), new TimeSlices());
    const seen = all.filter((h) => team.seesPlan(h.plan.labels));
    const verdicts = { ok: 0, 'at-risk': 0, exhausted: 0 };
    for (const h of seen) verdicts[h.verdict]++;
    const plans = seen.sort(nearestFirst).slice(0, maxPlans);
    const withNodes = plans.filter((h) => h.plan.hasNodes).map((h) => h.plan.id);
    return {
      plans,
      recordedNodes: withNodes.length === 0 ? new Map() : await this.store.recordedNodesPerPool(withNodes),
      verdicts,
      spaces: await this.spaces.usage(team, maxPlans),
    };
  }

  /** Each plan's headroom: kept while its revision stands, worked out (50 plans a read) otherwise. */
  private async headroomOf(plans: readonly IndexedPlan[], slices: TimeSlices): Promise<PlanHeadroom[]> {
    const current = new Map<string, PlanHeadroom>();
    const missing: IndexedPlan[] = [];
    for (const plan of plans) {
      const known = this.known.get(plan.id);
      if (known !== undefined && known.plan.revision === plan.revision)
        current.set(plan.id, { ...known, plan });
      else {
        const design = this.designs.cached(plan);
        if (design === undefined) missing.push(plan);
        else current.set(plan.id, headroom(plan, design));
      }
      await slices.maybePause();
    }
    for (let start = 0; start < missing.length; start += 50) {
      const batch = missing.slice(start, start + 50);
      const byId = new Map(batch.map((p) => [p.id, p]));
      for (const stored of await this.store.getPlans(batch.map((p) => p.id))) {
        const plan = byId.get(stored.id);
        if (plan !== undefined) current.set(plan.id, headroom(plan, this.designs.peek(stored)));
        await slices.maybePause();
      }
    }
    // Deleted plans are forgotten with the pass.
    this.known.clear();
    for (const [id, h] of current) this.known.set(id, h);
    return [...current.values()];
  }
}

function headroom(plan: IndexedPlan, design: PlannedDesign): PlanHeadroom {
  const { verdict, ranges, snat } = design.model.headroom();
  const snatUtilization =
    snat === undefined || snat.maxNodes === null || snat.maxNodes === 0
      ? null
      : snat.required / snat.maxNodes;
  const pools = design.spec.nodePools.map((pool) => ({
    name: pool.name,
    slots: design.model.slotCount(pool.name),
  }));
  const nearness = Math.max(0, ...ranges.map((r) => r.utilization), snatUtilization ?? 0);
  return { plan, verdict, ranges, snatUtilization, pools, nearness };
}

function nearestFirst(a: PlanHeadroom, b: PlanHeadroom): number {
  return b.nearness - a.nearness || (a.plan.name < b.plan.name ? -1 : a.plan.name > b.plan.name ? 1 : 0);
}
