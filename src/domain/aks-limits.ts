/** AKS and Azure facts the planner enforces (shared/aks-networking.md, sections 1-4 and 6). */
export const AKS = {
  defaultPlugin: 'azure-cni-overlay',
  defaultServiceCidr: '10.0.0.0/16',
  /** Subnet of the VNet AKS creates when none is brought; not in the shared facts. */
  defaultNodeSubnet: '10.224.0.0/16',
  /** Address space of the VNet AKS creates when none is brought (az shows it); not in the shared facts. */
  defaultVnet: '10.224.0.0/12',
  /** 10% of the pool size, rounded up: the current AKS API's default (older versions used 1). */
  defaultMaxSurge: '10%',
  maxPodsRange: { min: 10, max: 250 },
  /** maxPods below this needs enough nodes that the pool still holds this many pods. */
  minPodsPerPool: 30,
  maxNodesPerPool: 1000,
  maxNodesPerCluster: 5000,
  maxNodePools: 100,
  /** IPv4 subnet prefix lengths Azure accepts. */
  subnetPrefixRange: { min: 2, max: 29 },
  /** The widest VNet address space AKS supports. */
  minVnetPrefixLength: 8,
  /** IP addresses configured in one virtual network (node IPs, Azure CNI pod IPs, frontends). */
  maxConfiguredVnetAddresses: 65_536,
  /** Service CIDRs wider than this are refused; exactly this is accepted with a warning. */
  minServiceCidrPrefixLength: 12,
  /** A static-block pod subnet may be at most this large. */
  minStaticPodSubnetPrefixLength: 12,
  /** Pod IPs a cluster with dynamic pod IP allocation supports. */
  maxDynamicPodIps: 64000,
  /**
   * A Gateway pool's public IP prefix length (configure-static-egress-gateway: "The allowed range
   * is 28-31"; the API's default 31): each gateway node takes one address of the prefix.
   */
  gatewayPrefixSize: { min: 28, max: 31, default: 31 },
  /** Addresses AKS reserves for each cluster in an API server VNet integration subnet (at least). */
  apiServerSubnetReserved: 9,
  maxLinuxPoolNameLength: 12,
  maxWindowsPoolNameLength: 6,
} as const;

/** Azure keeps the first four addresses and the last one of every subnet. */
export const AZURE_SUBNET = { leadingReserved: 4, trailingReserved: 1, reserved: 5 } as const;

/** Ranges AKS refuses for the VNet, the pod CIDR and the service CIDR. */
export const AKS_FORBIDDEN_RANGES = [
  '169.254.0.0/16',
  '172.30.0.0/16',
  '172.31.0.0/16',
  '192.0.2.0/24',
] as const;

/**
 * Addresses no pod or service can have: "this network", loopback, multicast and the reserved
 * class E (with the broadcast address), Azure's platform address that every node must reach;
 * for IPv6 the unspecified and loopback addresses, IPv4-mapped addresses (RFC 4291 2.5.5.2:
 * they name IPv4 hosts, and a lookup reads them as the IPv4 address they map), link-local and
 * multicast.
 */
export const SPECIAL_PURPOSE_RANGES = [
  '0.0.0.0/8',
  '127.0.0.0/8',
  '224.0.0.0/3',
  '168.63.129.16/32',
  '::/127',
  '::ffff:0:0/96',
  'fe80::/10',
  'ff00::/8',
] as const;

/** Addresses that can never be part of an Azure virtual network. */
export const VNET_INVALID_RANGES = [
  '224.0.0.0/4',
  '255.255.255.255/32',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '168.63.129.16/32',
] as const;
