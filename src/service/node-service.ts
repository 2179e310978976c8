import { Team } from '../domain/auth/team.js';
import type { NodeSlot } from '../domain/layout/layout-types.js';
import { type Drift, findDrift } from '../domain/nodes/drift.js';
import { parseKubectlNodes, type SkippedNode } from '../domain/nodes/kubectl-import.js';
import { type MatchedNode, matchNodes, matchSlot, type RealNode } from '../domain/nodes/real-node.js';
import { namesInSlots } from '../domain/nodes/recorded-matches.js';
import { yieldToEventLoop } from '../event-loop.js';
import type { Store } from '../store/store.js';
import { type Caller, SYSTEM_CALLER } from './caller.js';
import { PlanService } from './plan-service.js';
import { observedBy } from './pod-service.js';

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
    const check = PlanService.stillSeen(idOrName, caller.team);
    await this.store.recordNodes(plan.id, [node], caller.change, 'nodes.record', undefined, check);
    return { node, slot: matchSlot(design.model, node) };
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
    const { nodes, skipped } = parseKubectlNodes(document);
    // 5,000 nodes take about 50 ms to read, to write and to match each: the loop runs between.
    await yieldToEventLoop();
    // Read again, by id, in the write's turn: the plan may have moved to another team or changed
    // its design meanwhile.
    const { plan, design } = await this.plans.again(asked, idOrName, caller.team);
    const check = PlanService.stillSeen(idOrName, caller.team);
    await this.store.recordNodes(plan.id, nodes, caller.change, 'nodes.import', at, check);
    await yieldToEventLoop();
    return { recorded: matchNodes(design.model, nodes), skipped };
  }

  async drift(idOrName: string, team: Team = Team.EVERYONE): Promise<Drift> {
    const { plan, design } = await this.plans.get(idOrName, team);
    return findDrift(design.model, matchNodes(design.model, await this.store.nodes(plan.id)));
  }
}
