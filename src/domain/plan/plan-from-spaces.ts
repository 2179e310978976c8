import { aksVnetOf, withOwnDefaultSubnetNamed } from '../design/aks-vnet.js';
import type { PlanInput } from '../design/spec.js';
import { Cidr } from '../ip/index.js';
import { smallestBlockSubnet } from '../plugins/azure-cni-pod-subnet/static-block-layout.js';
import { FreeSpace } from '../space/free-space.js';
import {
  blockPrefix,
  type PlanRequest,
  placeholders,
  type RefSite,
  withRanges,
} from '../space/space-refs.js';
import type { PlanModel } from './plan-model.js';
import { type PlannedDesign, planDesign, planPending } from './planner.js';

/** One block a design needs from a space: which space, how large, and what for. */
export interface BlockAsk {
  readonly space: string;
  readonly prefixLength: number;
  readonly purpose: string;
  /**
   * The design's own IPv4 ranges that come from no space (its service CIDR and pod CIDR, by
   * default 10.0.0.0/16 and 10.244.0.0/16, and any subnet it names), and the VNet it names for
   * a pod CIDR, or what lies outside that VNet for a subnet: a block is placed clear of them, or
   * AKS's rules would refuse the design it was taken for.
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
  const avoid = ownRanges(request, pending, new Set(stand));
  const vnet = (request.network?.vnetAddressSpace ?? []).map((text) => Cidr.parse(text));
  // A design in the VNet AKS creates keeps its pod CIDR out of that VNet's whole address space.
  const aksVnet = aksVnetOf(pending.plan.spec);
  const podCidrAvoids = aksVnet === undefined ? vnet : [...vnet, aksVnet];
  return sites.map((site, i) => {
    const required = ranges
      .filter((r) => r.cidr.toString() === stand[i])
      .reduce((most, r) => (r.required.duringUpgrade > most ? r.required.duringUpgrade : most), 0n);
    const blocks = site.kind === 'pod-subnet' && request.network?.podIpAllocation === 'static-block';
    const prefixLength = blocks
      ? blockPrefix(site, required, smallestBlockSubnet)
      : blockPrefix(site, required);
    return {
      space: site.ref.fromSpace,
      prefixLength,
      purpose: `${site.kind} of plan ${request.name}`,
      // A pod CIDR lies outside the VNet (overlay, kubenet); a subnet inside one of its prefixes.
      avoid: [...avoid, ...(site.kind === 'pod-cidr' ? podCidrAvoids : outside(vnet, prefixLength))],
    };
  });
}

/**
 * What a block of `prefixLength` must avoid to lie inside one of the VNet's prefixes: all but
 * the prefixes that can hold it. An aligned block lies inside such a prefix or apart from it, so
 * it never straddles two; a smaller prefix is avoided whole (none when the design names no VNet).
 */
function outside(vnet: readonly Cidr[], prefixLength: number): Cidr[] {
  if (vnet.length === 0) return [];
  const holding = vnet.filter((c) => c.family === 4 && c.prefixLength <= prefixLength);
  return new FreeSpace([Cidr.parse('0.0.0.0/0')], holding).blocks(4);
}

/**
 * The design's own IPv4 ranges that come from no space: every range but the VNet, the stand-ins
 * and the platform subnets the planner places itself (only those the request names by CIDR stay
 * where they are).
 */
function ownRanges(request: PlanRequest, pending: PlanModel, standIns: ReadonlySet<string>): Cidr[] {
  const named = (request.platformSubnets ?? []).flatMap((p) =>
    p.cidr === undefined ? [] : [Cidr.parse(p.cidr)],
  );
  return pending
    .ranges()
    .filter(
      (r) =>
        r.kind !== 'vnet' &&
        r.cidr.family === 4 &&
        !standIns.has(r.cidr.toString()) &&
        (r.kind !== 'platform-subnet' || named.some((c) => c.equals(r.cidr))),
    )
    .map((r) => r.cidr);
}

/** The design with the blocks allocated for it in place of the spaces it named. */
export function designOnBlocks(
  request: PlanRequest,
  sites: readonly RefSite[],
  blocks: readonly Cidr[],
): PlannedDesign {
  return planDesign(namingItsVnet(withRanges(request, sites, blocks.map(String)), sites));
}

/** A node subnet taken from a space is the client's own, even when it is AKS's default subnet. */
function namingItsVnet(input: PlanInput, sites: readonly RefSite[]): PlanInput {
  const fromSpace = sites.some((s) => s.path === 'network.nodeSubnet');
  const network = input.network ?? {};
  return (fromSpace ? withOwnDefaultSubnetNamed({ ...input, network }) : undefined) ?? input;
}
