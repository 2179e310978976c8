/** The ranges of a cluster whose capacity is planned: the subnets and CIDRs it takes addresses from. */
export type CapacityKind = 'node-subnet' | 'pod-subnet' | 'pod-cidr' | 'service-cidr';

/** The kinds of address range a plan uses. */
export type RangeKind =
  | CapacityKind
  /** A subnet of the VNet beside the cluster's (firewall, bastion, gateway, ...). */
  | 'platform-subnet'
  /** One address the design records: an outbound public IP, the firewall's public or private IP. */
  | 'known-ip';

/** Kinds of range a plan is stored with: its address ranges, and its VNet address space. */
export type StoredRangeKind = RangeKind | 'vnet';

/**
 * The kinds of range that pods take addresses from (a host-network pod's is its node's, in the
 * node subnet): only there can a recorded pod answer for an address. A record of a pod on a
 * service IP says more of the list that was imported than of the address.
 */
const POD_RANGE_KINDS: ReadonlySet<StoredRangeKind> = new Set(['node-subnet', 'pod-subnet', 'pod-cidr']);

export const holdsPods = (kind: StoredRangeKind): boolean => POD_RANGE_KINDS.has(kind);
