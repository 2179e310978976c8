import type { PlatformRole } from '../design/platform-roles.js';
import type { PodIpAllocation } from '../design/spec.js';
import type { Cidr, IpAddress } from '../ip/index.js';

export type AddressRole =
  | 'node'
  | 'pod'
  | 'azure-reserved'
  | 'load-balancer'
  | 'private-endpoint'
  | 'service'
  | 'dns-service'
  | 'kubernetes-api-service'
  | 'unassigned'
  /** An address of a platform subnet (firewall, bastion, gateway, ...): `name` and `subnetRole` say which. */
  | 'platform-subnet'
  /** The firewall's private IP (first usable of AzureFirewallSubnet) or a recorded firewall IP. */
  | 'firewall'
  /** A recorded outbound public IP: SNATed traffic seen outside comes from it. */
  | 'outbound-public-ip';

import type { RangeKind, StoredRangeKind } from '../design/range-kind.js';

export type { RangeKind, StoredRangeKind };

/** A range a plan occupies: what the store indexes for lookup and conflict checks. */
export interface PlanRange {
  readonly kind: StoredRangeKind;
  readonly cidr: Cidr;
  /** No other plan may overlap it (a kubenet node subnet). */
  readonly exclusive?: boolean;
  /** Where the design names the range (the first pool's, for a shared node subnet). */
  readonly path?: string;
  /** A platform subnet's name: plans that share the subnet must name it alike. */
  readonly name?: string;
  /**
   * The addresses this cluster takes in a platform subnet other clusters may share: the API
   * server's (AKS reserves at least 9), or the private endpoints or internal load balancer
   * frontends it holds. Plans sharing the subnet take the sum (the conflict rules read it).
   */
  readonly subnetDemand?: number;
  /**
   * A pod subnet's allocation mode: dynamic pod subnets may be shared by clusters, a static
   * block one with no dynamic cluster (the conflict rules read it).
   */
  readonly podIpAllocation?: PodIpAllocation;
  /**
   * The node subnet is in the VNet AKS creates for this cluster alone: no other plan's range
   * and no space's block can be in that VNet, so it clashes with none of them.
   */
  readonly inAksCreatedVnet?: boolean;
}

/** What one address is within one plan. `pool`, `nodeIndex` and `nodeIp` come with node and pod roles. */
export interface AddressMatch {
  readonly role: AddressRole;
  /** The kind of the plan range holding the address. */
  readonly kind: RangeKind;
  readonly range: Cidr;
  readonly pool?: string;
  readonly nodeIndex?: number;
  readonly nodeIp?: IpAddress;
  /** Why a match names no node, where that needs saying. */
  readonly note?: string;
  /** Platform subnet matches: the subnet's name and role. */
  readonly name?: string;
  readonly subnetRole?: PlatformRole;
}

export interface PodRange {
  readonly first: IpAddress;
  readonly last: IpAddress;
  readonly count: number;
}

/** One node slot of the layout. `fits` is false for a slot the range cannot hold. */
export interface NodeSlot {
  readonly pool: string;
  readonly index: number;
  readonly fits: boolean;
  readonly nodeIp: IpAddress | null;
  /** Azure CNI node subnet: the maxPods addresses after the node IP. */
  readonly podRange?: PodRange | null;
  /** kubenet and overlay: the node's block of the (IPv4) pod CIDR. */
  readonly podCidr?: Cidr | null;
  /** Pod subnet with static blocks: the node's /28 blocks. */
  readonly podBlocks?: readonly Cidr[] | null;
  /** Dual-stack overlay: the node's block of each pod CIDR, IPv4 first. */
  readonly podCidrs?: readonly (Cidr | null)[];
}
