import type { Cidr, IpAddress } from '../ip/index.js';
import type { PlatformRole } from './platform-roles.js';
import type { PoolSize } from './pool-size.js';
import type { NodePoolSpec, PlanSpec } from './spec.js';

/** A node pool with its node subnet parsed and its sizes worked out. */
export interface ResolvedPool {
  readonly spec: NodePoolSpec;
  readonly index: number;
  readonly size: PoolSize;
  readonly nodeSubnet: Cidr;
  /** Where the design names the pool's node subnet: its own field, or the cluster's. */
  readonly nodeSubnetPath: string;
  /** The pod subnet plugin: the pool's pod subnet, its own or the cluster's. */
  readonly podSubnet?: Cidr;
}

/** A valid design with every address parsed: what plugin models lay out. */
export interface ResolvedPlan {
  readonly spec: PlanSpec;
  readonly serviceCidr: Cidr;
  /** Every service CIDR, IPv4 first: one, or two with dual-stack. */
  readonly serviceCidrs: readonly Cidr[];
  readonly dnsServiceIp: IpAddress;
  /** The VNet address space, when the design names it. */
  readonly vnet: readonly Cidr[];
  /** kubenet and overlay: the pod CIDRs, IPv4 first. */
  readonly podCidrs: readonly Cidr[];
  readonly pools: readonly ResolvedPool[];
  /** Load balancer frontends, private endpoints and a private API server live in the first pool's subnet. */
  readonly reservationSubnet: Cidr;
  /** The VNet's other subnets, where they were given or placed; null where none had room. */
  readonly platformSubnets: readonly PlacedPlatformSubnet[];
}

export interface PlacedPlatformSubnet {
  readonly role: PlatformRole;
  readonly name: string;
  readonly prefixLength: number | null;
  readonly cidr: Cidr | null;
  /** Placed by the planner, not given in the design. */
  readonly placed: boolean;
}

/** The reservations a platform subnet of these roles holds, from its first usable address. */
export const HOLDER_ROLES = {
  'private-endpoints': 'privateEndpoints',
  'internal-load-balancers': 'internalLoadBalancers',
} as const;
export type HolderRole = keyof typeof HOLDER_ROLES;

/**
 * The subnet that holds a role's reservations: the first of the role with a CIDR. Without one
 * (none given, or none found room) they stay in the first pool's node subnet.
 */
export function reservationHolder(
  plan: Pick<ResolvedPlan, 'platformSubnets'>,
  role: HolderRole,
): (PlacedPlatformSubnet & { readonly cidr: Cidr }) | undefined {
  return plan.platformSubnets.find(
    (s): s is PlacedPlatformSubnet & { readonly cidr: Cidr } => s.role === role && s.cidr !== null,
  );
}
