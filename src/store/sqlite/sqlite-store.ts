import type { Database } from 'better-sqlite3';
import type { StoredRangeKind } from '../../domain/design/range-kind.js';
import { Cidr } from '../../domain/ip/index.js';
import type { HeldRange } from '../../domain/space/conflicts.js';
import type { StoreClock } from '../page.js';
import type { PlanWrite } from '../plan-store.js';
import type { PlanFromSpaces, SpaceAsk, Store } from '../store.js';
import { SqlitePlanStore } from './sqlite-plan-store.js';
import { SqliteSpaceStore } from './sqlite-space-store.js';

/** Thrown to roll a dry run back while carrying its answer out. */
class DryRun {
  constructor(readonly answer: PlanFromSpaces) {}
}

/** Plans and spaces in one SQLite database, so that work spanning both is one transaction. */
export class SqliteStore extends SqlitePlanStore implements Store {
  readonly spaces: SqliteSpaceStore;

  constructor(db: Database, ready: () => boolean, clock: StoreClock) {
    super(db, ready, clock);
    this.spaces = new SqliteSpaceStore(db, clock);
  }

  async createPlanFromSpaces(
    asks: readonly SpaceAsk[],
    build: (blocks: readonly Cidr[]) => PlanWrite,
    dryRun: boolean,
  ): Promise<PlanFromSpaces> {
    const work = this.db.transaction((): PlanFromSpaces => {
      const allocations = asks.map(
        (ask) =>
          this.spaces.allocateNow(this.spaces.spaceIdOf(ask.space), ask.request, { purpose: ask.purpose })
            .allocation,
      );
      const write = build(allocations.map((a) => a.cidr));
      if (dryRun) throw new DryRun({ plan: null, allocations, write });
      const plan = this.insertNewPlan(write);
      this.spaces.assignToPlan(
        allocations.map((a) => a.id),
        plan.id,
      );
      return { plan, allocations: allocations.map((a) => ({ ...a, planId: plan.id })), write };
    });
    try {
      return work.immediate();
    } catch (error) {
      if (error instanceof DryRun) return error.answer;
      throw error;
    }
  }

  async heldRanges(): Promise<HeldRange[]> {
    const plans = this.db
      .prepare(
        `SELECT p.id, p.name, r.exclusive, r.kind, r.cidr
         FROM plan_ranges r JOIN plans p ON p.id = r.plan_id`,
      )
      .all() as { id: string; name: string; exclusive: number; kind: StoredRangeKind; cidr: string }[];
    const allocations = this.db
      .prepare(
        `SELECT a.id, s.name || ': ' || a.purpose AS name, a.cidr, a.plan_id
         FROM allocations a JOIN spaces s ON s.id = a.space_id`,
      )
      .all() as { id: string; name: string; cidr: string; plan_id: string | null }[];
    return [
      ...plans.map((r) => ({
        holder: { type: 'plan' as const, id: r.id, name: r.name },
        kind: r.kind,
        cidr: Cidr.parse(r.cidr),
        exclusive: r.exclusive === 1,
      })),
      ...allocations.map((a) => ({
        holder: { type: 'allocation' as const, id: a.id, name: a.name },
        kind: 'allocation' as const,
        cidr: Cidr.parse(a.cidr),
        planId: a.plan_id,
      })),
    ];
  }

  /** Deleting a plan releases the blocks it took from spaces. */
  protected override deleteNow(id: string): boolean {
    this.spaces.releasePlanAllocations(id);
    return super.deleteNow(id);
  }
}
