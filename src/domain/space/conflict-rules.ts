import type { Cidr } from '../ip/index.js';
import type { HeldRange } from './range-groups.js';

/** What an overlap means: a stable code, how bad it is, and why, in a few words. */
export interface ConflictRule {
  readonly code: string;
  readonly severity: 'error' | 'warning';
  readonly why: string;
}

const rule = (code: string, severity: ConflictRule['severity'], why: string): ConflictRule => ({
  code,
  severity,
  why,
});

export const SUBNETS_OVERLAP = rule('SUBNETS_OVERLAP', 'error', 'two different Azure subnets cannot overlap');
export const KUBENET_SUBNET_SHARED = rule(
  'KUBENET_SUBNET_SHARED',
  'error',
  'kubenet allows one cluster per subnet',
);
export const SHARED_SUBNET_LAYOUTS_COLLIDE = rule(
  'SHARED_SUBNET_LAYOUTS_COLLIDE',
  'warning',
  'Azure CNI clusters may share a subnet, but their planned layouts hand out the same addresses',
);
export const POD_SUBNET_MODES_MIXED = rule(
  'POD_SUBNET_MODES_MIXED',
  'error',
  'a pod subnet used with static block allocation cannot be used with dynamic IP allocation in another cluster, and the other way round',
);
export const PLATFORM_SUBNET_NAMES_DIFFER = rule(
  'PLATFORM_SUBNET_NAMES_DIFFER',
  'error',
  'clusters of one VNet may share a platform subnet, but one subnet has one name',
);
export const SHARED_PLATFORM_SUBNET_FULL = rule(
  'SHARED_PLATFORM_SUBNET_FULL',
  'error',
  'clusters may share a platform subnet, but only as many as its addresses hold',
);
export const ALLOCATIONS_OVERLAP = rule(
  'ALLOCATIONS_OVERLAP',
  'error',
  'two allocations from overlapping spaces hold the same addresses',
);
export const ALLOCATION_OVERLAPS_PLAN = rule(
  'ALLOCATION_OVERLAPS_PLAN',
  'warning',
  'a plan uses addresses allocated to something else',
);
const POD_CIDR_OVERLAPS_VNET = rule(
  'POD_CIDR_OVERLAPS_VNET',
  'error',
  "a pod CIDR must not overlap a peer's VNet",
);
const POD_CIDR_OVERLAPS_SUBNET = rule(
  'POD_CIDR_OVERLAPS_SUBNET',
  'error',
  "a pod CIDR must not overlap a peer's subnet",
);
const SERVICE_CIDR_OVERLAPS_SUBNET = rule(
  'SERVICE_CIDR_OVERLAPS_SUBNET',
  'error',
  "a service CIDR hides a peer's subnet from the cluster's pods",
);

type Kind = HeldRange['kind'];

/**
 * A pod subnet whose plan takes pod IPs in batches at run time: configure-azure-cni-dynamic-ip-
 * allocation, "A single pod subnet can be shared across multiple node pools of a cluster or
 * multiple AKS clusters". No layout is planned in it, so clusters sharing it collide in nothing.
 */
export const isDynamicPodSubnet = (range: HeldRange): boolean =>
  range.kind === 'pod-subnet' && range.podIpAllocation === 'dynamic';

/**
 * A pod subnet laid out in /28 blocks per node: concepts-network-azure-cni-pod-subnet, "If a
 * subnet uses Static Block allocation mode, it cannot use Dynamic IP allocation mode in a
 * different cluster ... and vice versa" (POD_SUBNET_MODES_MIXED).
 */
export const isStaticBlockPodSubnet = (range: HeldRange): boolean =>
  range.kind === 'pod-subnet' && range.podIpAllocation === 'static-block';

/** Node and pod subnets are the clusters' Azure subnets, which they lay out. */
export const isSubnet = (kind: Kind): boolean => kind === 'node-subnet' || kind === 'pod-subnet';

/** Every Azure subnet: the clusters' and the platform subnets around them. */
const isAzureSubnet = (kind: Kind): boolean => isSubnet(kind) || kind === 'platform-subnet';

/**
 * What an overlap of two plans' ranges means; undefined when it is allowed. One Azure subnet
 * held twice is left to the caller, since it depends on the holders, not the ranges:
 * KUBENET_SUBNET_SHARED when either holder is exclusive (kubenet); else nothing between two
 * dynamic pod subnets, POD_SUBNET_MODES_MIXED between a dynamic and a static block one, and
 * SHARED_SUBNET_LAYOUTS_COLLIDE for the rest (planned layouts, and pod subnets of no known mode).
 */
export function planRule(
  a: { kind: Kind; cidr: Cidr },
  b: { kind: Kind; cidr: Cidr },
): ConflictRule | undefined {
  if (isSubnet(a.kind) && isSubnet(b.kind)) return a.cidr.equals(b.cidr) ? undefined : SUBNETS_OVERLAP;
  if (isAzureSubnet(a.kind) && isAzureSubnet(b.kind)) {
    // Clusters of one VNet share its platform subnets (one AzureFirewallSubnet for all of them);
    // a platform subnet is never also a cluster's subnet, nor part of another subnet.
    const shared = a.kind === 'platform-subnet' && b.kind === 'platform-subnet' && a.cidr.equals(b.cidr);
    return shared ? undefined : SUBNETS_OVERLAP;
  }
  const kinds = new Set([a.kind, b.kind]);
  const subnet = kinds.has('node-subnet') || kinds.has('pod-subnet') || kinds.has('platform-subnet');
  if (kinds.has('pod-cidr') && kinds.has('vnet')) return POD_CIDR_OVERLAPS_VNET;
  if (kinds.has('pod-cidr') && subnet) return POD_CIDR_OVERLAPS_SUBNET;
  if (kinds.has('service-cidr') && subnet) return SERVICE_CIDR_OVERLAPS_SUBNET;
  // Pod CIDRs and service CIDRs are private to each cluster: reusing them is allowed.
  return undefined;
}

/** Service CIDRs are private, and a VNet is where allocated subnets are meant to live. */
export const allocationMayOverlap = (planKind: Kind): boolean =>
  planKind === 'service-cidr' || planKind === 'vnet' || planKind === 'known-ip';
