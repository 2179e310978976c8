import { Team } from '../domain/auth/team.js';
import { DomainError, invalidInput } from '../domain/errors.js';
import type { NodeSlot } from '../domain/layout/layout-types.js';
import { type Drift, findDrift } from '../domain/nodes/drift.js';
import { readKubectlNodes, type SkippedNode } from '../domain/nodes/kubectl-import.js';
import {
  type MatchedNode,
  matchNode,
  matchNodes,
  type RealNode,
  reservedNodeIpProblem,
} from '../domain/nodes/real-node.js';
import { namesInSlots } from '../domain/nodes/recorded-matches.js';
import type { PlanModel } from '../domain/plan/plan-model.js';
import type { Store } from '../store/store.js';
import { type Caller, SYSTEM_CALLER } from './caller.js';
import { PlanService } from './plan-service.js';
import { observedBy } from './pod-service.js';
import { mapInSlices, readInSlices, TimeSlices } from './time-slices.js';

/** Node items read between looks at the clock: about a millisecond's work. */
const NODE_ITEMS_PER_CHECK = 100;

export interface SlotPage {
  readonly total: number;
  readonly items: readonly (NodeSlot & { nodeName?: string })[];
}

/** Node slots of a plan, and the real nodes recorded against it. */
export class NodeService {
  constructor(
    private readonly store: Store,
    private readonly plans: PlanService,
    private readonly now: () => Date = () => new Date(),
    /** How long a slice of reading or matching a node list runs before the loop is let in. */
    private readonly sliceMs = 10,
  ) {}

  /** A page of node slots, each with the recorded node that sits in it, if any. */
  async slots(
    idOrName: string,
    query: { pool?: string; offset: number; limit: number },
    team: Team = Team.EVERYONE,
  ): Promise<SlotPage> {
    const { plan, design } = await this.plans.get(idOrName, team);
    const slots = design.model.slots(query);
    const nodeIps = slots.flatMap((s) => (s.nodeIp === null ? [] : [s.nodeIp]));
    const podAddresses = slots.flatMap((s) => (s.podCidr == null ? [] : [s.podCidr.first]));
    const anyRecorded = (await this.store.plansWithNodes([plan.id])).size > 0;
    const recorded = anyRecorded ? await this.store.nodesAt(plan.id, nodeIps, podAddresses) : [];
    const items = namesInSlots(slots, matchNodes(design.model, recorded));
    return { total: design.model.slotCount(query.pool), items };
  }

  /** Records one real node of a plan; answers the slot its address falls in (null: drift). */
  async record(idOrName: string, node: RealNode, caller: Caller = SYSTEM_CALLER): Promise<MatchedNode> {
    const { plan, design } = await this.plans.get(idOrName, caller.team);
    const reserved = reservedNodeIpProblem(design.model, node);
    if (reserved !== undefined) throw DomainError.invalid('NODE_INVALID', 'nodeIp', reserved);
    const check = PlanService.stillSeen(idOrName, caller.team);
    await this.store.recordNodes(plan.id, [node], caller.change, 'nodes.record', undefined, check);
    return matchNode(design.model, node);
  }

  /**
   * Records every node of a `kubectl get nodes -o json` document in one transaction, as
   * observed at `observedAt` (RFC 3339; now by default). Virtual nodes are left out, and named.
   */
  async import(
    idOrName: string,
    document: unknown,
    caller: Caller = SYSTEM_CALLER,
    observedAt?: string,
  ): Promise<{ recorded: MatchedNode[]; skipped: SkippedNode[] }> {
    const at = observedAt === undefined ? undefined : observedBy(observedAt, this.now());
    const asked = await this.plans.get(idOrName, caller.team);
    // 5,000 nodes take 20-80 ms to read and as long to match: both in slices, the loop runs between.
    const slices = new TimeSlices(this.sliceMs);
    const { nodes, skipped } = await readInSlices(readKubectlNodes(document), NODE_ITEMS_PER_CHECK, slices);
    await slices.pause();
    // Read again, by id, in the write's turn: the plan may have moved to another team or changed
    // its design meanwhile.
    const { plan, design } = await this.plans.again(asked, idOrName, caller.team);
    const reserved = nodes.flatMap((node) => {
      const why = reservedNodeIpProblem(design.model, node);
      return why === undefined
        ? []
        : [{ code: 'KUBECTL_NODES_INVALID' as const, path: 'items', message: why }];
    });
    if (reserved.length > 0) throw invalidInput(reserved);
    const check = PlanService.stillSeen(idOrName, caller.team);
    await this.store.recordNodes(plan.id, nodes, caller.change, 'nodes.import', at, check);
    await slices.pause();
    return { recorded: await this.matched(design.model, nodes, slices), skipped };
  }

  async drift(idOrName: string, team: Team = Team.EVERYONE): Promise<Drift> {
    const { plan, design } = await this.plans.get(idOrName, team);
    // Started before the read: SQLite reads in the same turn, and 5,000 nodes take 20-50 ms.
    const slices = new TimeSlices(this.sliceMs);
    const nodes = await this.store.nodes(plan.id);
    return findDrift(design.model, await this.matched(design.model, nodes, slices));
  }

  /** `matchNodes`, the loop let in between slices. */
  private matched(model: PlanModel, nodes: readonly RealNode[], slices: TimeSlices): Promise<MatchedNode[]> {
    return mapInSlices(nodes, (node) => matchNode(model, node), slices);
  }
}
