import type { PlanInput } from '../domain/design/spec.js';
import { DomainError, invalidInput } from '../domain/errors.js';
import type { Cidr, IpAddress } from '../domain/ip/index.js';
import { checkLabels, type Labels } from '../domain/labels.js';
import type { AddressMatch, NodeSlot } from '../domain/layout/layout-types.js';
import { type Drift, findDrift } from '../domain/nodes/drift.js';
import { parseKubectlNodes } from '../domain/nodes/kubectl-import.js';
import { type MatchedNode, matchNodes, matchSlot, type RealNode } from '../domain/nodes/real-node.js';
import { namesInSlots, type SourcedMatch, withRecords } from '../domain/nodes/recorded-matches.js';
import { refusedChanges } from '../domain/plan/change-rules.js';
import { type PlannedDesign, planDesign, planPending } from '../domain/plan/planner.js';
import { diffSpecs, type SpecChange } from '../domain/plan/spec-diff.js';
import {
  blockPrefix,
  findSpaceRefs,
  type PlanRequest,
  placeholders,
  type RefSite,
  withRanges,
} from '../domain/space/space-refs.js';
import type { ListQuery } from '../store/page.js';
import type { PlanPage, PlanRef, PlanWrite, StoredPlan } from '../store/plan-store.js';
import type { Store } from '../store/store.js';
import { DesignCache } from './design-cache.js';

/** A stored plan with its design laid out. */
export interface PlanView {
  readonly plan: StoredPlan;
  readonly design: PlannedDesign;
  /** What a replacement changed. */
  readonly changes?: readonly SpecChange[];
}

export interface PlanMatch extends SourcedMatch {
  readonly planId: string;
  readonly planName: string;
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
  async create(
    request: PlanRequest,
    labels: Labels = {},
  ): Promise<PlanView & { allocations?: readonly SpaceBlock[] }> {
    checkLabels(labels);
    const sites = findSpaceRefs(request);
    if (sites.length === 0) {
      const design = planDesign(request as PlanInput);
      return { plan: await this.store.createPlan(toWrite(design, labels)), design };
    }
    const { plan, design, allocations } = await this.fromSpaces(request, sites, false, labels);
    if (plan === null) throw new Error('a stored plan from spaces has a plan');
    return { plan, design, allocations };
  }

  /** A calculation: blocks named `{ fromSpace }` are shown as they would be allocated, and nothing is. */
  async calculateRequest(
    request: Omit<PlanRequest, 'name'> & { name?: string | undefined },
  ): Promise<{ design: PlannedDesign; allocations?: readonly SpaceBlock[] }> {
    const sites = findSpaceRefs(request);
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
  private async fromSpaces(
    request: PlanRequest,
    sites: readonly RefSite[],
    dryRun: boolean,
    labels: Labels = {},
  ) {
    const stand = placeholders(sites);
    const ranges = planPending(withRanges(request, sites, stand), new Set(stand)).rangeCapacity();
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
        return toWrite(design, labels);
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

  /** A stored plan by id or by name, laid out. */
  async get(idOrName: string): Promise<PlanView> {
    const plan = await this.store.getPlan(idOrName);
    if (plan === undefined) throw planNotFound(idOrName);
    return { plan, design: this.designs.design(plan) };
  }

  async list(query: ListQuery): Promise<{ items: PlanView[]; nextCursor: PlanPage['nextCursor'] }> {
    const { items, nextCursor } = await this.store.listPlans(query);
    return { items: items.map((plan) => ({ plan, design: this.designs.design(plan) })), nextCursor };
  }

  /**
   * Replaces a plan's design, refusing (409) what AKS cannot change on a running cluster.
   * The store checks the revision again, so a concurrent replace between the read and the
   * write still fails with REVISION_MISMATCH.
   */
  async replace(
    idOrName: string,
    expectedRevision: number,
    input: PlanInput,
    labels: Labels = {},
  ): Promise<PlanView> {
    const current = await this.get(idOrName);
    checkLabels(labels);
    const design = planDesign(input);
    const refused = refusedChanges(current.plan.spec, design.spec);
    if (refused.length > 0) throw invalidInput(refused);
    const plan = await this.store.replacePlan(current.plan.id, expectedRevision, toWrite(design, labels));
    return { plan, design, changes: diffSpecs(current.plan.spec, design.spec) };
  }

  /** Deletes a plan; with `expectedRevision`, only while that revision is current. */
  async delete(idOrName: string, expectedRevision?: number): Promise<void> {
    const { plan } = await this.get(idOrName);
    if (!(await this.store.deletePlan(plan.id, expectedRevision))) throw planNotFound(idOrName);
  }

  /** A page of node slots, each with the recorded node that sits in it, if any. */
  async nodes(idOrName: string, query: { pool?: string; offset: number; limit: number }): Promise<SlotPage> {
    const { plan, design } = await this.get(idOrName);
    const id = plan.id;
    const slots = design.model.slots(query);
    const nodeIps = slots.flatMap((s) => (s.nodeIp === null ? [] : [s.nodeIp]));
    const podAddresses = slots.flatMap((s) => (s.podCidr == null ? [] : [s.podCidr.first]));
    const anyRecorded = (await this.store.plansWithNodes([id])).size > 0;
    const recorded = anyRecorded ? await this.store.nodesAt(id, nodeIps, podAddresses) : [];
    const items = namesInSlots(slots, matchNodes(design.model, recorded));
    return { total: design.model.slotCount(query.pool), items };
  }

  /** Records one real node of a plan; answers the slot its address falls in (null: drift). */
  async recordNode(idOrName: string, node: RealNode): Promise<MatchedNode> {
    const { plan, design } = await this.get(idOrName);
    await this.store.recordNodes(plan.id, [node]);
    return { node, slot: matchSlot(design.model, node) };
  }

  /** Records every node of a `kubectl get nodes -o json` document in one transaction. */
  async importNodes(idOrName: string, document: unknown): Promise<MatchedNode[]> {
    const { plan, design } = await this.get(idOrName);
    const nodes = parseKubectlNodes(document);
    await this.store.recordNodes(plan.id, nodes);
    return matchNodes(design.model, nodes);
  }

  async drift(idOrName: string): Promise<Drift> {
    const { plan, design } = await this.get(idOrName);
    return findDrift(design.model, matchNodes(design.model, await this.store.nodes(plan.id)));
  }

  /** Every stored plan's answer for each address, in input order. */
  async lookup(addresses: readonly IpAddress[]): Promise<PlanMatch[][]> {
    const candidates = await this.store.plansContaining(addresses);
    const designs = await this.designsOf(candidates.flat());
    const recordedPlans = await this.store.plansWithNodes([...designs.keys()]);
    const answer = async (address: IpAddress, ref: PlanRef): Promise<PlanMatch[]> => {
      const design = designs.get(ref.id);
      if (design === undefined) return []; // deleted between the two reads
      const predicted = design.model.lookup(address);
      const recorded = recordedPlans.has(ref.id)
        ? await this.recordedAround(ref.id, design, address, predicted)
        : [];
      return withRecords(address, predicted, recorded).map((m) => ({
        ...m,
        planId: ref.id,
        planName: ref.name,
      }));
    };
    return Promise.all(
      addresses.map(async (address, i) =>
        (await Promise.all((candidates[i] ?? []).map((ref) => answer(address, ref)))).flat(),
      ),
    );
  }

  /** The recorded nodes of a plan at `address`, or at the node IPs its predicted matches name. */
  private async recordedAround(
    planId: string,
    design: PlannedDesign,
    address: IpAddress,
    predicted: readonly AddressMatch[],
  ): Promise<MatchedNode[]> {
    const named = predicted.flatMap((m) => (m.nodeIp === undefined ? [] : [m.nodeIp]));
    const nodes = await this.store.nodesAt(planId, [address, ...named], [address]);
    return matchNodes(design.model, nodes);
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

function planNotFound(idOrName: string): DomainError {
  return new DomainError('PLAN_NOT_FOUND', `no plan with id or name "${idOrName}"`);
}

function toWrite(design: PlannedDesign, labels: Labels): PlanWrite {
  return {
    spec: design.spec,
    defaultsApplied: design.defaultsApplied,
    ranges: design.model.ranges(),
    labels,
  };
}
