import { Team } from '../domain/auth/team.js';
import { withCanonicalAddresses } from '../domain/design/canonical-addresses.js';
import type { PlanInput, PlanSpec } from '../domain/design/spec.js';
import type { Warning } from '../domain/design/warning.js';
import { invalidInput, notFound, revisionMismatch, withEarlierProblems } from '../domain/errors.js';
import { type AzImport, type ImportWarning, planFromAz } from '../domain/imports/az-cluster.js';
import { inAzTerms } from '../domain/imports/az-paths.js';
import type { Cidr } from '../domain/ip/index.js';
import { checkLabels, type Labels, labelProblems } from '../domain/labels.js';
import { apiServerSubnetRefused, refusedChanges, vnetMoveRefused } from '../domain/plan/change-rules.js';
import { blockAsks, designOnBlocks } from '../domain/plan/plan-from-spaces.js';
import { type PlannedDesign, planDesign } from '../domain/plan/planner.js';
import { reservationMoves } from '../domain/plan/reservation-moves.js';
import { diffSpecs, type SpecChange } from '../domain/plan/spec-diff.js';
import { rangesLeavingBlocks } from '../domain/space/plan-blocks.js';
import { findSpaceRefs, type PlanRequest, type RefSite } from '../domain/space/space-refs.js';
import { planKeepingSubnets } from '../domain/vnet/kept-placements.js';
import type { ListQuery, Page } from '../store/page.js';
import type { PlanCheck, PlanWrite, StoredPlan } from '../store/plan-store.js';
import type { StoredSpace } from '../store/space-store.js';
import type { Store, UnitOfWorkMode } from '../store/store.js';
import { type Caller, SYSTEM_CALLER } from './caller.js';
import type { DesignCache } from './design-cache.js';
import { mapInSlices, type TimeSlices } from './time-slices.js';

export type { StoredPlan };

/** A stored plan with its design laid out. */
export interface PlanView {
  readonly plan: StoredPlan;
  readonly design: PlannedDesign;
  /** What a replacement changed. */
  readonly changes?: readonly SpecChange[];
  /** Warnings of the replacement itself (reservations it moves), beside the design's own. */
  readonly changeWarnings?: readonly Warning[];
}

/** A block a plan took (or, in a calculation, would take) from a space. */
export interface SpaceBlock {
  readonly path: string;
  readonly spaceId: string;
  readonly allocationId: string | null;
  readonly cidr: Cidr;
}

type Unnamed<T> = Omit<T, 'name'> & { name?: string | undefined };

/** The name of a calculation that was not given one. */
const CALCULATION_NAME = 'calculation';

/** Plans: calculate, store, read, list, replace and delete designs. */
export class PlanService {
  constructor(
    private readonly store: Store,
    private readonly designs: DesignCache,
  ) {}

  /** Plans a design without storing it; an unnamed calculation is named "calculation". */
  calculate(input: Unnamed<PlanInput>): PlannedDesign {
    if (input.name !== undefined) return planDesign({ ...input, name: input.name });
    const design = planDesign({ ...input, name: CALCULATION_NAME });
    return { ...design, defaultsApplied: ['name', ...design.defaultsApplied] };
  }

  /**
   * A calculation: blocks named `{ fromSpace }` are shown as they would be allocated, and nothing
   * is. Labels, as a plan's body has them, are checked as a create would, and stored nowhere.
   */
  async calculateRequest(
    { labels, ...request }: Unnamed<PlanRequest> & { labels?: Labels | undefined },
    team: Team = Team.EVERYONE,
  ): Promise<{ design: PlannedDesign; allocations?: readonly SpaceBlock[] }> {
    if (labels !== undefined) checkLabels(labels);
    const sites = findSpaceRefs(request);
    if (sites.length === 0) return { design: this.calculate(request as Unnamed<PlanInput>) };
    await this.assertSpacesSeen(request, sites, team);
    const named = { ...request, name: request.name ?? CALCULATION_NAME };
    const { design, allocations } = await this.fromSpaces(named, sites, 'dry-run', {});
    const defaultsApplied =
      request.name === undefined ? ['name', ...design.defaultsApplied] : design.defaultsApplied;
    return { design: { ...design, defaultsApplied }, allocations };
  }

  /** Stores a design; ranges named `{ fromSpace }` are allocated from their space in the same unit of work. */
  /** A running cluster's design from its az JSON, planned and not stored. */
  importDryRun(given: AzImport): { design: PlannedDesign; warnings: ImportWarning[] } {
    const { design, warnings } = planFromAz(given);
    try {
      return { design: planDesign(design), warnings };
    } catch (error) {
      throw inAzTerms(error, design, given.name !== undefined);
    }
  }

  /** A running cluster's design from its az JSON, stored as a plan. */
  async importCluster(
    given: AzImport,
    labels: Labels,
    caller: Caller = SYSTEM_CALLER,
  ): Promise<{ view: PlanView; warnings: ImportWarning[] }> {
    const { design, warnings } = planFromAz(given);
    // A refusal of the plan names the field of the az JSON it came from.
    const view = await this.create(design, labels, caller).catch((error: unknown) => {
      throw inAzTerms(error, design, given.name !== undefined);
    });
    return { view, warnings };
  }

  async create(
    request: PlanRequest,
    labels: Labels = {},
    caller: Caller = SYSTEM_CALLER,
  ): Promise<PlanView & { allocations?: readonly SpaceBlock[] }> {
    const sites = findSpaceRefs(request);
    if (sites.length === 0) {
      caller.team.requireOwnLabels(labels);
      // Labels and design are checked together: every problem of the request in one answer.
      const design = withEarlierProblems(labelProblems(labels), () => planDesign(request as PlanInput));
      return { plan: await this.store.createPlan(toWrite(design, labels), caller.change), design };
    }
    checkLabels(labels);
    caller.team.requireOwnLabels(labels);
    await this.assertSpacesSeen(request, sites, caller.team);
    const { plan, design, allocations } = await this.fromSpaces(request, sites, 'commit', labels, caller);
    if (plan === null) throw new Error('a committed plan from spaces has a plan');
    return { plan, design, allocations };
  }

  /** Sizes the blocks, then allocates them and stores the plan built on them as one unit of work. */
  private async fromSpaces(
    request: PlanRequest,
    sites: readonly RefSite[],
    mode: UnitOfWorkMode,
    labels: Labels,
    caller: Caller = SYSTEM_CALLER,
  ) {
    const asks = blockAsks(request, sites).map((ask, i) => ({
      space: ask.space,
      path: sites[i]?.path ?? '',
      request: {
        kind: 'size' as const,
        family: 4 as const,
        prefixLength: ask.prefixLength,
        avoid: ask.avoid,
      },
      purpose: ask.purpose,
      // Checked again on the locked space: it may have moved to another team since it was read.
      check: (space: StoredSpace) => caller.team.assertSeesSpace(ask.space, space.labels),
    }));
    const result = await this.store.createPlanFromSpaces(
      asks,
      (blocks) => {
        const design = designOnBlocks(request, sites, blocks);
        return { design, write: toWrite(design, labels) };
      },
      mode,
      caller.change,
    );
    const allocations = result.allocations.map((a, i) => ({
      path: sites[i]?.path ?? '',
      spaceId: a.spaceId,
      allocationId: mode === 'dry-run' ? null : a.id,
      cidr: a.cidr,
    }));
    return { plan: result.plan, design: result.decision.design, allocations };
  }

  /** A stored plan by id or by name, laid out. */
  async get(idOrName: string, team: Team = Team.EVERYONE): Promise<PlanView> {
    return this.getAs(idOrName, idOrName, team);
  }

  /**
   * The plan `get(idOrName)` answered earlier, read again by its id (a later plan of the same
   * name is another): an import checks it once more in its write's turn, after pausing.
   */
  async again(earlier: PlanView, idOrName: string, team: Team = Team.EVERYONE): Promise<PlanView> {
    return this.getAs(earlier.plan.id, idOrName, team);
  }

  /**
   * What a write into the plan checks again inside its transaction: that the caller's team still
   * sees it. A plan moved to another team between the read and the write (on PostgreSQL they are
   * separate round trips) gets nothing written: 404, named as the caller named it.
   */
  static stillSeen(idOrName: string, team: Team): PlanCheck {
    return (plan) => team.assertSeesPlan(idOrName, plan.labels);
  }

  /** The plan with this id or name; problems name it as the caller did. */
  private async getAs(idOrName: string, asked: string, team: Team): Promise<PlanView> {
    const plan = await this.store.getPlan(idOrName);
    if (plan === undefined) throw notFound.plan(asked);
    team.assertSeesPlan(asked, plan.labels);
    return { plan, design: this.designs.design(plan) };
  }

  /** A page of plans laid out; `slices` when the caller's work around it shares the turns. */
  async list(query: ListQuery, team: Team = Team.EVERYONE, slices?: TimeSlices): Promise<Page<PlanView>> {
    const { items, nextCursor } = await this.store.listPlans({ ...query, team: team.labels });
    return {
      items: await mapInSlices(items, (plan) => ({ plan, design: this.designs.design(plan) }), slices),
      nextCursor,
    };
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
    caller: Caller = SYSTEM_CALLER,
  ): Promise<PlanView> {
    const current = await this.get(idOrName, caller.team);
    // Stale before anything is judged: the rules below compare with the plan as it is now, and
    // a request whose revision another writer moved on (two replicas racing on one If-Match)
    // was refused for the winner's change, which it never saw, instead of as stale.
    if (current.plan.revision !== expectedRevision)
      throw revisionMismatch('plan', current.plan.id, current.plan.revision, expectedRevision);
    caller.team.requireOwnLabels(labels);
    // A plan stored before addresses were written canonically compares as it is meant.
    const before = withCanonicalAddresses(current.plan.spec);
    const design = this.replacement(input, before, current.design, labels);
    const blocks = await this.store.spaces.planAllocations(current.plan.id);
    const refused = [
      ...refusedChanges(before, design.spec),
      ...vnetMoveRefused({ spec: before, defaultsApplied: current.plan.defaultsApplied }, design),
      ...apiServerSubnetRefused(current.design.model.plan.platformSubnets, design.model.plan.platformSubnets),
      ...rangesLeavingBlocks(blocks, current.design.model.ranges(), design.model.ranges()),
    ];
    if (refused.length > 0) throw invalidInput(refused);
    const changes = diffSpecs(before, design.spec);
    // api.md: the revision moves on every change. A replacement that changes nothing (the plan
    // sent back as it was read, its defaults given as values) writes nothing: no revision, no
    // audit entry.
    const unchanged = changes.length === 0 && diffSpecs(current.plan.labels, labels).length === 0;
    if (unchanged) {
      return { plan: current.plan, design: current.design, changes };
    }
    const plan = await this.store.replacePlan(
      current.plan.id,
      expectedRevision,
      toWrite(design, labels),
      caller.change,
    );
    const changeWarnings = reservationMoves(current.design.model.plan, design.model.plan);
    return { plan, design, changes, changeWarnings };
  }

  /** The replacing design, its platform subnets placed before kept where they were. */
  private replacement(input: PlanInput, before: PlanSpec, current: PlannedDesign, labels: Labels) {
    return planKeepingSubnets(input, current.model.plan.platformSubnets, (design) =>
      withEarlierProblems(labelProblems(labels), () => planDesign(design, before)),
    );
  }

  /** Deletes a plan; with `expectedRevision`, only while that revision is current. */
  async delete(idOrName: string, expectedRevision?: number, caller: Caller = SYSTEM_CALLER): Promise<void> {
    const { plan } = await this.get(idOrName, caller.team);
    const check = PlanService.stillSeen(idOrName, caller.team);
    if (!(await this.store.deletePlan(plan.id, expectedRevision, caller.change, check)))
      throw notFound.plan(idOrName);
  }

  /** A team takes blocks only from spaces it sees: its own and shared ones. */
  private async assertSpacesSeen(request: Unnamed<PlanRequest>, sites: readonly RefSite[], team: Team) {
    if (team.isEveryone) return;
    for (const { space } of blockAsks(request as PlanRequest, sites)) {
      const found = await this.store.spaces.getSpace(space);
      if (found !== undefined) team.assertSeesSpace(space, found.labels);
    }
  }
}

function toWrite(design: PlannedDesign, labels: Labels): PlanWrite {
  return {
    spec: design.spec,
    defaultsApplied: design.defaultsApplied,
    ranges: design.model.ranges(),
    labels,
  };
}
