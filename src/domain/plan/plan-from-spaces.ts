import type { Cidr } from '../ip/index.js';
import {
  blockPrefix,
  type PlanRequest,
  placeholders,
  type RefSite,
  withRanges,
} from '../space/space-refs.js';
import { type PlannedDesign, planDesign, planPending } from './planner.js';

/** One block a design needs from a space: which space, how large, and what for. */
export interface BlockAsk {
  readonly space: string;
  readonly prefixLength: number;
  readonly purpose: string;
  /**
   * The design's own IPv4 ranges that come from no space (its service CIDR and pod CIDR, by
   * default 10.0.0.0/16 and 10.244.0.0/16, and any subnet it names): a block is placed clear
   * of them, or AKS's overlap rules would refuse the design it was taken for.
   */
  readonly avoid: readonly Cidr[];
}

/**
 * The blocks a design that names spaces needs: the design is checked and laid out on stand-in
 * ranges (requirements do not depend on where a range lies), and each block is sized for its
 * range's upgrade requirement plus the headroom the design asks.
 */
export function blockAsks(request: PlanRequest, sites: readonly RefSite[]): BlockAsk[] {
  const stand = placeholders(sites);
  const pending = planPending(withRanges(request, sites, stand), new Set(stand));
  const ranges = pending.rangeCapacity();
  const standing = new Set(stand);
  const avoid = pending
    .ranges()
    .filter((r) => r.kind !== 'vnet' && r.cidr.family === 4 && !standing.has(r.cidr.toString()))
    .map((r) => r.cidr);
  return sites.map((site, i) => {
    const required = ranges
      .filter((r) => r.cidr.toString() === stand[i])
      .reduce((most, r) => (r.required.duringUpgrade > most ? r.required.duringUpgrade : most), 0n);
    return {
      space: site.ref.fromSpace,
      prefixLength: blockPrefix(site, required),
      purpose: `${site.kind} of plan ${request.name}`,
      avoid,
    };
  });
}

/** The design with the blocks allocated for it in place of the spaces it named. */
export function designOnBlocks(
  request: PlanRequest,
  sites: readonly RefSite[],
  blocks: readonly Cidr[],
): PlannedDesign {
  return planDesign(withRanges(request, sites, blocks.map(String)));
}
