import { type ErrorEntry, invalid } from './entries.js';

/** Refusals of a design's fields: names, pools, counts, addresses and services. */
export const INPUT_ERRORS = {
  // Names and pools
  PLAN_NAME_INVALID: invalid(
    'Invalid cluster name',
    'Use 1-63 letters, digits, "-" and "_", starting and ending with a letter or digit, and not shaped like an id (a UUID).',
  ),
  POOL_NAME_INVALID: invalid(
    'Invalid node pool name',
    'Use lowercase letters and digits starting with a letter: at most 12 characters for a Linux pool, 6 for a Windows pool.',
  ),
  DUPLICATE_POOL_NAME: invalid(
    'Node pool name used twice',
    'Give every node pool of the cluster its own name.',
  ),
  TOO_MANY_NODE_POOLS: invalid('Too many node pools', 'A cluster holds at most 100 node pools.'),
  NO_SYSTEM_POOL: invalid(
    'No System pool with a node',
    'Give the cluster at least one pool with mode System and nodeCount 1 or more.',
  ),
  SYSTEM_POOL_NOT_LINUX: invalid(
    'Windows System pool',
    'System pools run Linux: make this pool a User pool or Linux.',
  ),
  GATEWAY_POOL_INVALID: invalid(
    'Invalid static egress gateway pool',
    'A Gateway pool runs Linux and has a fixed nodeCount: no minCount or maxCount.',
  ),
  GATEWAY_POOL_NOT_SUPPORTED: invalid(
    'Static egress gateway not supported here',
    'Static egress gateway pools need an IPv4-only cluster without a pod subnet: use overlay or node subnet, single-stack, or a NAT gateway for fixed egress IPs.',
  ),
  GATEWAY_PREFIX_SIZE_INVALID: invalid(
    'Invalid gateway prefix size',
    'gatewayPrefixSize is 28 to 31, and only for pools with mode Gateway.',
  ),
  GATEWAY_PREFIX_TOO_SMALL: invalid(
    'Gateway pool larger than its prefix',
    'Each gateway node takes one address of the public IP prefix (/28: 16 nodes, /29: 8, /30: 4, /31: 2): lower nodeCount, or give a new pool a smaller gatewayPrefixSize (28 holds the most; an existing pool keeps its prefix).',
  ),
  // Node counts and pods
  NODE_COUNT_INVALID: invalid(
    'Node count not a whole number',
    'Give nodeCount, minCount and maxCount as whole numbers from 0.',
  ),
  MAX_COUNT_BELOW_NODE_COUNT: invalid('maxCount below nodeCount', 'Raise maxCount to at least nodeCount.'),
  MIN_COUNT_ABOVE_NODE_COUNT: invalid('minCount above nodeCount', 'Lower minCount to at most nodeCount.'),
  SYSTEM_POOL_MIN_COUNT_ZERO: invalid(
    'System pool allowed to scale to zero',
    'System pools host critical system pods and keep at least one node: give a System pool minCount 1 or more, or make it a User pool.',
  ),
  MIN_COUNT_WITHOUT_MAX_COUNT: invalid(
    'minCount without maxCount',
    'minCount configures the autoscaler: give maxCount as well, or leave minCount out.',
  ),
  MAX_PODS_OUT_OF_RANGE: invalid('maxPods out of range', 'Use a maxPods from 10 to 250.'),
  POOL_BELOW_MIN_PODS: invalid(
    'Pool below 30 pods',
    'With maxPods under 30, a pool needs enough nodes for 30 pods: raise nodeCount or maxPods.',
  ),
  POOL_TOO_LARGE: invalid(
    'Pool above 1,000 nodes with surge',
    'A scale set holds at most 1,000 nodes, surge included: lower maxCount or maxSurge, or split the pool.',
  ),
  CLUSTER_TOO_LARGE: invalid(
    'Cluster above 5,000 nodes',
    'The pools together may reach at most 5,000 nodes: lower their maxima or split the cluster.',
  ),
  MAX_SURGE_INVALID: invalid(
    'Invalid maxSurge',
    'Give a whole number of nodes (0 or more) or a percentage string from "0%" to "100%".',
  ),
  // Addresses and ranges
  CIDR_INVALID: invalid(
    'Not a CIDR',
    'Write an address and a prefix length, such as 10.240.0.0/16 or fd12:3456:789a::/64, with no leading zeros.',
  ),
  CIDR_HOST_BITS_SET: invalid(
    'CIDR with host bits set',
    'Use the network address the message suggests (10.240.0.5/24 is 10.240.0.0/24).',
  ),
  IP_INVALID: invalid(
    'Not an IP address',
    'Write a dotted-quad IPv4 address without leading zeros, or an IPv6 address without a zone.',
  ),
  ADDRESS_FAMILY_NOT_SUPPORTED: invalid(
    'Wrong address family',
    'This range must be of the family the message names (IPv4 for node subnets, VNets and single-stack ranges).',
  ),
  SUBNET_TOO_SMALL: invalid('Subnet smaller than /29', 'An Azure subnet is at least a /29.'),
  SUBNET_TOO_LARGE: invalid('Subnet larger than /2', 'An Azure subnet is at most a /2.'),
  VNET_TOO_LARGE: invalid('VNet larger than /8', 'An AKS virtual network spans at most a /8.'),
  VNET_RANGES_OVERLAP: invalid(
    'VNet ranges overlap',
    'Give VNet address ranges that do not overlap each other.',
  ),
  RANGE_FORBIDDEN: invalid(
    'Range AKS reserves',
    'Keep cluster ranges clear of 169.254.0.0/16, 172.30.0.0/16, 172.31.0.0/16 and 192.0.2.0/24.',
  ),
  RANGE_SPECIAL_PURPOSE: invalid(
    'Range with a special purpose',
    'Pod and service CIDRs hold ordinary unicast addresses: keep them clear of 0.0.0.0/8, 127.0.0.0/8, 224.0.0.0/3, 168.63.129.16, ::/127, fe80::/10 and ff00::/8 (RFC 1918 or 100.64.0.0/10 space, and fd00::/8 for IPv6, are the usual choices).',
  ),
  RANGE_NOT_ALLOWED_IN_VNET: invalid(
    'Range no VNet may hold',
    'Keep VNet ranges clear of 224.0.0.0/4, 255.255.255.255/32, 127.0.0.0/8, 169.254.0.0/16 and 168.63.129.16/32.',
  ),
  SUBNET_OUTSIDE_VNET: invalid(
    'Subnet outside the VNet',
    'Place the subnet inside vnetAddressSpace, or widen the VNet.',
  ),
  SUBNETS_OVERLAP: invalid(
    'Subnets overlap',
    'Give each subnet its own range: Azure subnets of one VNet never overlap.',
  ),
  // Platform subnets
  PLATFORM_SUBNET_NAME_FIXED: invalid(
    'Subnet name Azure fixes',
    'AzureFirewallSubnet, AzureFirewallManagementSubnet, AzureBastionSubnet and GatewaySubnet belong to their roles: leave the name out for those roles, and choose another for the rest.',
  ),
  PLATFORM_SUBNET_NAME_INVALID: invalid(
    'Not an Azure subnet name',
    "Use 1-80 letters, digits, '.', '-' or '_', starting with a letter or digit and not ending with '.' or '-'.",
  ),
  PLATFORM_SUBNET_NAME_TAKEN: invalid(
    'Subnet name used twice',
    'Name each subnet of the VNet once (a VNet has one subnet of each fixed-name role).',
  ),
  PLATFORM_SUBNET_TOO_SMALL: invalid(
    "Subnet below its role's minimum",
    'Give the subnet at least the size the message names: /26 for Azure Firewall and Bastion, /28 for API server VNet integration, /24 for Application Gateway for Containers.',
  ),
  PLATFORM_SUBNET_SIZE_REQUIRED: invalid(
    'Subnet size missing',
    'Give a cidr or a prefixLength: a subnet of role other has no default size.',
  ),
  PLATFORM_SUBNET_OVERLAPS_CLUSTER_RANGE: invalid(
    "Subnet under the cluster's pod or service CIDR",
    "Move the subnet out of the cluster's pod CIDR and service CIDR: the cluster routes those addresses to its pods and services.",
  ),
  PLATFORM_SUBNET_SIZE_MISMATCH: invalid(
    'Subnet size and CIDR disagree',
    'Give the CIDR alone, or the prefixLength alone to have the subnet placed.',
  ),
  // Services
  SERVICE_CIDR_TOO_LARGE: invalid(
    'Service CIDR too large',
    'Use a service CIDR of /12 or smaller (IPv4) and /108 or smaller (IPv6).',
  ),
  SERVICE_CIDR_TOO_SMALL: invalid(
    'Service CIDR too small',
    'Use an IPv6 service CIDR with addresses for services: a /128 holds only its network address, which is never assigned.',
  ),
  SERVICE_CIDR_OVERLAPS_NODE_SUBNET: invalid(
    'Service CIDR overlaps a node subnet',
    'AKS refuses a service CIDR that overlaps a subnet of the cluster: pick one outside every subnet (10.0.0.0/16 by default).',
  ),
  SERVICE_CIDR_OVERLAPS_POD_SUBNET: invalid(
    'Service CIDR overlaps a pod subnet',
    'AKS refuses a service CIDR that overlaps a subnet of the cluster: pick one outside every subnet.',
  ),
  DNS_SERVICE_IP_OUT_OF_SERVICE_CIDR: invalid(
    'DNS service IP outside the service CIDR',
    'Pick the DNS service IP inside the service CIDR (10.0.0.10 in 10.0.0.0/16), or leave it out.',
  ),
  DNS_SERVICE_IP_RESERVED: invalid(
    'DNS service IP on a reserved address',
    'The network address, the first host (the kubernetes API service) and the broadcast address are taken: pick another.',
  ),
  DNS_SERVICE_IP_REQUIRED: invalid(
    'DNS service IP required',
    'The service CIDR is too small to derive the default: give dnsServiceIp, or a larger service CIDR.',
  ),
} as const satisfies Record<string, ErrorEntry>;
