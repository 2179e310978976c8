import { DomainError, invalidInput } from '../domain/errors.js';
import type { Cidr, IpAddress } from '../domain/ip/index.js';
import type { AddressMatch, NodeSlot } from '../domain/layout/layout-types.js';
import { type Drift, findDrift } from '../domain/nodes/drift.js';
import { parseKubectlNodes } from '../domain/nodes/kubectl-import.js';
import { matchSlot, type RealNode } from '../domain/nodes/real-node.js';
import { refusedChanges } from '../domain/plan/change-rules.js';
import { type PlannedDesign, planDesign, planUnchecked } from '../domain/plan/planner.js';
import type { PlanInput } from '../domain/plan/spec.js';
import { diffSpecs, type SpecChange } from '../domain/plan/spec-diff.js';
import {
  blockPrefix,
  findSpaceRefs,
  type PlanRequest,
  placeholders,
  type RefSite,
  withRanges,
} from '../domain/space/space-refs.js';
import type { PlanPage, PlanRef, PlanWrite, RecordedNode, StoredPlan } from '../store/plan-store.js';
import type { Store } from '../store/store.js';
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
  /** The recorded node in the matched slot, if any. */
  readonly nodeName?: string;
}

/** The name of a calculation that was not given one. */
const CALCULATION_NAME = 'calculation';

/** A block a plan took (or, in a calculation, would take) from a space. */
export interface SpaceBlock {
  readonly path: string;
  readonly spaceId: string;
  readonly allocationId: string | null;
  readonly cidr: Cidr;
}

export interface SlotPage {
  readonly total: number;
  readonly items: readonly (NodeSlot & { nodeName?: string })[];
}

/** The use cases behind the routes: domain answers over stored plans. */
export class PlannerService {
  private readonly designs = new DesignCache();

  constructor(private readonly store: Store) {}

  /** Plans a design without storing it; an unnamed calculation is named "calculation". */
  calculate(input: Omit<PlanInput, 'name'> & { name?: string | undefined }): PlannedDesign {
    if (input.name !== undefined) return planDesign({ ...input, name: input.name });
    const design = planDesign({ ...input, name: CALCULATION_NAME });
    return { ...design, defaultsApplied: ['name', ...design.defaultsApplied] };
  }

  /** Stores a design; ranges named `{ fromSpace }` are allocated from their space in the same unit of work. */
  async create(request: PlanRequest): Promise<PlanView & { allocations?: readonly SpaceBlock[] }> {
    const sites = findSpaceRefs(request);
    if (sites.length === 0) {
      const design = planDesign(request as PlanInput);
      return { plan: await this.store.createPlan(toWrite(design)), design };
    }
    const { plan, design, allocations } = await this.fromSpaces(request, sites, false);
    if (plan === null) throw new Error('a stored plan from spaces has a plan');
    return { plan, design, allocations };
  }

  /** A calculation: blocks named `{ fromSpace }` are shown as they would be allocated, and nothing is. */
  async calculateRequest(
    request: Omit<PlanRequest, 'name'> & { name?: string | undefined },
  ): Promise<{ design: PlannedDesign; allocations?: readonly SpaceBlock[] }> {
    const sites = findSpaceRefs({ ...request, name: request.name ?? '' });
    if (sites.length === 0) return { design: this.calculate(request as Omit<PlanInput, 'name'>) };
    const named = { ...request, name: request.name ?? CALCULATION_NAME };
    const { design, allocations } = await this.fromSpaces(named, sites, true);
    const defaultsApplied =
      request.name === undefined ? ['name', ...design.defaultsApplied] : design.defaultsApplied;
    return { design: { ...design, defaultsApplied }, allocations };
  }

  /**
   * Sizes each block from the design laid out on placeholder ranges (requirements do not depend
   * on where a range lies), then allocates the blocks and stores the plan as one unit of work.
   */
  private async fromSpaces(request: PlanRequest, sites: readonly RefSite[], dryRun: boolean) {
    const stand = placeholders(sites);
    const ranges = planUnchecked(withRanges(request, sites, stand)).rangeCapacity();
    const asks = sites.map((site, i) => {
      const required = ranges
        .filter((r) => r.cidr.toString() === stand[i])
        .reduce((most, r) => (r.required.duringUpgrade > most ? r.required.duringUpgrade : most), 0n);
      const prefixLength = blockPrefix(site, required);
      const purpose = `${site.kind} of plan ${request.name}`;
      return {
        space: site.ref.fromSpace,
        request: { kind: 'size' as const, family: 4 as const, prefixLength },
        purpose,
      };
    });
    let design: PlannedDesign | undefined;
    const result = await this.store.createPlanFromSpaces(
      asks,
      (blocks) => {
        design = planDesign(withRanges(request, sites, blocks.map(String)));
        return toWrite(design);
      },
      dryRun,
    );
    if (design === undefined) throw new Error('the plan was built inside the unit of work');
    const allocations = result.allocations.map((a, i) => ({
      path: sites[i]?.path ?? '',
      spaceId: a.spaceId,
      allocationId: dryRun ? null : a.id,
      cidr: a.cidr,
    }));
    return { plan: result.plan, design, allocations };
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
    const slots = design.model.slots(query);
    const names = await this.store.nodeNames(
      slots.map((s) => ({ planId: id, pool: s.pool, index: s.index })),
    );
    const items = slots.map((s) => {
      const nodeName = names.get(`${id}#${s.pool}#${s.index}`);
      return nodeName === undefined ? s : { ...s, nodeName };
    });
    return { total: design.model.slotCount(query.pool), items };
  }

  /** Records one real node of a plan at the slot its address falls in (null: drift). */
  async recordNode(id: string, node: RealNode): Promise<RecordedNode> {
    const { design } = await this.get(id);
    const recorded = { node, slot: matchSlot(design.model, node) };
    await this.store.recordNodes(id, [recorded]);
    return recorded;
  }

  /** Records every node of a `kubectl get nodes -o json` document in one transaction. */
  async importNodes(id: string, document: unknown): Promise<RecordedNode[]> {
    const { design } = await this.get(id);
    const recorded = parseKubectlNodes(document).map((node) => ({
      node,
      slot: matchSlot(design.model, node),
    }));
    await this.store.recordNodes(id, recorded);
    return recorded;
  }

  async drift(id: string): Promise<Drift> {
    const { design } = await this.get(id);
    return findDrift(design.model, await this.store.nodes(id));
  }

  /** Every stored plan's answer for each address, in input order. */
  async lookup(addresses: readonly IpAddress[]): Promise<PlanMatch[][]> {
    const candidates = await this.store.plansContaining(addresses);
    const designs = await this.designsOf(candidates.flat());
    const matches = addresses.map((address, i) =>
      (candidates[i] ?? []).flatMap((ref) => {
        const design = designs.get(ref.id);
        if (design === undefined) return []; // deleted between the two reads
        return design.model.lookup(address).map((m) => ({ ...m, planId: ref.id, planName: ref.name }));
      }),
    );
    return this.withNodeNames(matches);
  }

  /** Adds the recorded node's name to every node and pod match in a slot that has one. */
  private async withNodeNames(matches: PlanMatch[][]): Promise<PlanMatch[][]> {
    const slot = (m: PlanMatch) =>
      m.pool === undefined || m.nodeIndex === undefined
        ? undefined
        : { planId: m.planId, pool: m.pool, index: m.nodeIndex };
    const slots = matches.flat().flatMap((m) => slot(m) ?? []);
    if (slots.length === 0) return matches;
    const names = await this.store.nodeNames(slots);
    return matches.map((list) =>
      list.map((m) => {
        const name = m.pool === undefined ? undefined : names.get(`${m.planId}#${m.pool}#${m.nodeIndex}`);
        return name === undefined ? m : { ...m, nodeName: name };
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
  return {
    spec: design.spec,
    defaultsApplied: design.defaultsApplied,
    ranges: design.model.ranges(),
    matchNode: (node) => matchSlot(design.model, node),
  };
}
