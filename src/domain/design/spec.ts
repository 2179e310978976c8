import type { PlatformRole } from './platform-roles.js';

/**
 * The shape of a cluster's network design, as clients send it (`*Input`) and as the
 * planner completes it with defaults (`*Spec`). Plain data: no parsed values here.
 */
export const PLUGINS = [
  'azure-cni-node-subnet',
  'azure-cni-pod-subnet',
  'azure-cni-overlay',
  'kubenet',
] as const;
export type PluginName = (typeof PLUGINS)[number];

export const DATAPLANES = ['azure', 'cilium'] as const;
export type Dataplane = (typeof DATAPLANES)[number];

export const POD_IP_ALLOCATIONS = ['dynamic', 'static-block'] as const;
export type PodIpAllocation = (typeof POD_IP_ALLOCATIONS)[number];

export const IP_FAMILIES = ['ipv4', 'ipv6'] as const;
export type IpFamilyName = (typeof IP_FAMILIES)[number];

/** Gateway: a static egress gateway pool (configure-static-egress-gateway), egress only. */
export const POOL_MODES = ['System', 'User', 'Gateway'] as const;
export type PoolMode = (typeof POOL_MODES)[number];

export const OS_TYPES = ['Linux', 'Windows'] as const;
export type OsType = (typeof OS_TYPES)[number];

export const OUTBOUND_TYPES = [
  'loadBalancer',
  'managedNATGateway',
  'userAssignedNATGateway',
  'userDefinedRouting',
  // Network isolated clusters: AKS sets up no egress (none), or blocks it (block, preview).
  'none',
  'block',
] as const;
export type OutboundType = (typeof OUTBOUND_TYPES)[number];

/** Outbound types that make a network isolated cluster (concepts-network-isolated). */
export const isNetworkIsolated = (type: string | undefined): type is 'none' | 'block' =>
  type === 'none' || type === 'block';

/** Outbound types with no outbound IP of AKS's: a route to your firewall, none set up, or all blocked. */
export const NO_OUTBOUND_IPS: ReadonlySet<string> = new Set(['userDefinedRouting', 'none', 'block']);

export interface NetworkInput {
  plugin?: PluginName;
  dataplane?: Dataplane;
  vnetAddressSpace?: string[];
  nodeSubnet?: string;
  podSubnet?: string;
  podIpAllocation?: PodIpAllocation;
  podCidr?: string;
  /** Dual-stack (overlay): ["ipv4", "ipv6"]. */
  ipFamilies?: IpFamilyName[];
  /** Dual-stack: one IPv4 and one IPv6 pod CIDR. */
  podCidrs?: string[];
  serviceCidr?: string;
  /** Dual-stack: one IPv4 and one IPv6 service CIDR. */
  serviceCidrs?: string[];
  dnsServiceIp?: string;
  privateCluster?: boolean;
  dockerBridgeCidr?: string;
}

export interface NodePoolInput {
  name: string;
  mode?: PoolMode;
  osType?: OsType;
  nodeCount: number;
  minCount?: number;
  maxCount?: number;
  maxPods?: number;
  /** Whole nodes, or a percentage string such as "33%" of the pool's largest size. */
  maxSurge?: number | string;
  nodeSubnet?: string;
  podSubnet?: string;
  /** A Gateway pool's public IP prefix length, /28 to /31: one address of it per node. */
  gatewayPrefixSize?: number;
  /** Every node of the pool gets a public IP of its own (instance-level public IPs); default false. */
  nodePublicIp?: boolean;
}

export interface ReservationsInput {
  internalLoadBalancers?: number;
  privateEndpoints?: number;
}

export interface OutboundInput {
  type?: OutboundType;
  managedOutboundIps?: number;
  allocatedOutboundPorts?: number;
  idleTimeoutMinutes?: number;
  /** Public load balancer services planned (Kubernetes services of type LoadBalancer). */
  publicLoadBalancerServices?: number;
  /** Known outbound public IPs (load balancer or NAT gateway): lookups name the cluster. */
  publicIps?: string[];
  /** userDefinedRouting: the firewall's private IP, when it is not in this plan's AzureFirewallSubnet. */
  firewallPrivateIp?: string;
  /** userDefinedRouting: the firewall's public IP (the DNAT return route, lookups). */
  firewallPublicIp?: string;
}

/** A subnet of the VNet beside the cluster's: by role, with a CIDR or a size to place it. */
export interface PlatformSubnetInput {
  role: PlatformRole;
  name?: string;
  cidr?: string;
  prefixLength?: number;
}

/** A platform subnet completed: its name always, its size when no CIDR gives it. */
export interface PlatformSubnetSpec extends PlatformSubnetInput {
  name: string;
}

export interface IngressInput {
  /** Public IPs of ingress controllers (one frontend each on the load balancer). */
  publicIps?: number;
}

export interface PlanInput {
  name: string;
  network?: NetworkInput;
  nodePools: NodePoolInput[];
  reservations?: ReservationsInput;
  outbound?: OutboundInput;
  platformSubnets?: PlatformSubnetInput[];
  ingress?: IngressInput;
}

export interface NetworkSpec extends NetworkInput {
  plugin: PluginName;
  dataplane: Dataplane;
  serviceCidr: string;
  /** Given, or derived from the service CIDR; missing only when it cannot be (then invalid). */
  dnsServiceIp?: string;
  privateCluster: boolean;
}

export interface NodePoolSpec extends NodePoolInput {
  mode: PoolMode;
  osType: OsType;
  maxPods: number;
  maxSurge: number | string;
}

export interface PlanSpec {
  name: string;
  network: NetworkSpec;
  nodePools: NodePoolSpec[];
  reservations: Required<ReservationsInput>;
  outbound?: OutboundSpec;
  platformSubnets?: PlatformSubnetSpec[];
  ingress?: Required<IngressInput>;
}

/** The outbound section with its type's defaults applied (only fields of that type). */
export interface OutboundSpec extends OutboundInput {
  type: OutboundType;
}

/**
 * Ranges a design's VNet address space may list (DECIDED: no cluster's VNet comes near; the
 * rules compare them pairwise). The HTTP schema and the az import both hold a design to it.
 */
export const MAX_VNET_PREFIXES = 100;
