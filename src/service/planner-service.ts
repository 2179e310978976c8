import { DomainError, invalidInput } from '../domain/errors.js';
import type { IpAddress } from '../domain/ip/index.js';
import type { AddressMatch, NodeSlot } from '../domain/layout/layout-types.js';
import { refusedChanges } from '../domain/plan/change-rules.js';
import { type PlannedDesign, planDesign } from '../domain/plan/planner.js';
import type { PlanInput } from '../domain/plan/spec.js';
import { diffSpecs, type SpecChange } from '../domain/plan/spec-diff.js';
import type { PlanPage, PlanRef, PlanStore, PlanWrite, StoredPlan } from '../store/plan-store.js';
import { DesignCache } from './design-cache.js';

/** A stored plan with its design laid out. */
export interface PlanView {
  readonly plan: StoredPlan;
  readonly design: PlannedDesign;
  /** What a replacement changed. */
  readonly changes?: readonly SpecChange[];
}

export interface PlanMatch extends AddressMatch {
  readonly planId: string;
  readonly planName: string;
}

export interface SlotPage {
  readonly total: number;
  readonly items: readonly NodeSlot[];
}

/** The use cases behind the routes: domain answers over stored plans. */
export class PlannerService {
  private readonly designs = new DesignCache();

  constructor(private readonly store: PlanStore) {}

  /** Plans a design without storing it; an unnamed calculation is named "calculation". */
  calculate(input: Omit<PlanInput, 'name'> & { name?: string | undefined }): PlannedDesign {
    if (input.name !== undefined) return planDesign({ ...input, name: input.name });
    const design = planDesign({ ...input, name: 'calculation' });
    return { ...design, defaultsApplied: ['name', ...design.defaultsApplied] };
  }

  async create(input: PlanInput): Promise<PlanView> {
    const design = planDesign(input);
    const plan = await this.store.createPlan(toWrite(design));
    return { plan, design };
  }

  async get(id: string): Promise<PlanView> {
    const plan = await this.store.getPlan(id);
    if (plan === undefined) throw new DomainError('PLAN_NOT_FOUND', `no plan with id ${id}`);
    return { plan, design: this.designs.design(plan) };
  }

  async list(page: {
    limit: number;
    cursor?: string;
  }): Promise<{ items: PlanView[]; nextCursor: PlanPage['nextCursor'] }> {
    const { items, nextCursor } = await this.store.listPlans(page);
    return { items: items.map((plan) => ({ plan, design: this.designs.design(plan) })), nextCursor };
  }

  /**
   * Replaces a plan's design, refusing (409) what AKS cannot change on a running cluster.
   * The store checks the revision again, so a concurrent replace between the read and the
   * write still fails with REVISION_MISMATCH.
   */
  async replace(id: string, expectedRevision: number, input: PlanInput): Promise<PlanView> {
    const current = await this.get(id);
    const design = planDesign(input);
    const refused = refusedChanges(current.plan.spec, design.spec);
    if (refused.length > 0) throw invalidInput(refused);
    const plan = await this.store.replacePlan(id, expectedRevision, toWrite(design));
    return { plan, design, changes: diffSpecs(current.plan.spec, design.spec) };
  }

  async delete(id: string): Promise<void> {
    if (!(await this.store.deletePlan(id))) throw new DomainError('PLAN_NOT_FOUND', `no plan with id ${id}`);
  }

  async nodes(id: string, query: { pool?: string; offset: number; limit: number }): Promise<SlotPage> {
    const { design } = await this.get(id);
    return { total: design.model.slotCount(query.pool), items: design.model.slots(query) };
  }

  /** Every stored plan's answer for each address, in input order. */
  async lookup(addresses: readonly IpAddress[]): Promise<PlanMatch[][]> {
    const candidates = await this.store.plansContaining(addresses);
    const designs = await this.designsOf(candidates.flat());
    return addresses.map((address, i) =>
      (candidates[i] ?? []).flatMap((ref) => {
        const design = designs.get(ref.id);
        if (design === undefined) return []; // deleted between the two reads
        return design.model.lookup(address).map((m) => ({ ...m, planId: ref.id, planName: ref.name }));
      }),
    );
  }

  /** Designs of the referenced plans: from the cache, loading only the plans it lacks. */
  private async designsOf(refs: readonly PlanRef[]): Promise<Map<string, PlannedDesign>> {
    const designs = new Map<string, PlannedDesign>();
    const missing = new Set<string>();
    for (const ref of refs) {
      const cached = this.designs.cached(ref);
      if (cached === undefined) missing.add(ref.id);
      else designs.set(ref.id, cached);
    }
    for (const plan of await this.store.getPlans([...missing]))
      designs.set(plan.id, this.designs.design(plan));
    return designs;
  }
}

function toWrite(design: PlannedDesign): PlanWrite {
  return { spec: design.spec, defaultsApplied: design.defaultsApplied, ranges: design.model.ranges() };
}
