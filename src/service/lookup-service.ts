import type { IpAddress } from '../domain/ip/index.js';
import type { AddressMatch } from '../domain/layout/layout-types.js';
import { type MatchedNode, matchNodes } from '../domain/nodes/real-node.js';
import { type SourcedMatch, withRecords } from '../domain/nodes/recorded-matches.js';
import type { PlannedDesign } from '../domain/plan/planner.js';
import type { PlanRef } from '../store/plan-store.js';
import type { Store } from '../store/store.js';
import type { DesignCache } from './design-cache.js';

export interface PlanMatch extends SourcedMatch {
  readonly planId: string;
  readonly planName: string;
}

/** Which plan, node and role an address has, across every stored plan. */
export class LookupService {
  constructor(
    private readonly store: Store,
    private readonly designs: DesignCache,
  ) {}

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
