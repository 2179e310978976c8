import { ownVnetField } from '../design/aks-vnet.js';
import { windowsPoolNames } from '../design/pool-size.js';
import {
  isNetworkIsolated,
  type NodePoolSpec,
  type OutboundSpec,
  type PlanSpec,
  type PoolMode,
} from '../design/spec.js';
import { firstFreeName } from '../identifiers.js';
import { LINE_BREAKS, visibleText } from '../visible-text.js';
import type { VnetView } from '../vnet/vnet-view.js';

/** AKS's delegation: pod subnets and the API server VNet integration subnet. */
const AKS_DELEGATION = 'Microsoft.ContainerService/managedClusters';
const DELEGATIONS: Readonly<Record<string, string>> = {
  'api-server': AKS_DELEGATION,
  'application-gateway-for-containers': 'Microsoft.ServiceNetworking/trafficControllers',
};

/** A subnet the design needs created: the cluster's (named for the plan) and the platform subnets. */
export interface SubnetShape {
  /** An identifier for the exported code: nodes, pods, nodes_user, azurefirewallsubnet, ... */
  readonly key: string;
  /** The Azure subnet name: the plan's name and the key, or the platform subnet's own name. */
  readonly name: string;
  readonly cidr: string;
  /** The service the subnet is delegated to, if any. */
  readonly delegation: string | undefined;
  /** Associated with the cluster's route table. */
  readonly routed: boolean;
}

/** A route the design writes (AKS writes kubenet's per-node routes itself). */
export interface RouteShape {
  readonly name: string;
  readonly addressPrefix: string;
  readonly nextHopType: 'VirtualAppliance' | 'Internet';
  readonly nextHopIp: string | undefined;
}

export interface PoolShape {
  readonly name: string;
  readonly mode: PoolMode;
  readonly osType: 'Linux' | 'Windows';
  /** A Gateway pool's public IP prefix length. */
  readonly gatewayPrefixSize: number | undefined;
  readonly nodeCount: number;
  /** Present when the autoscaler is on. */
  readonly autoscale: { readonly minCount: number; readonly maxCount: number } | undefined;
  readonly maxPods: number;
  /** A count or a percentage, as text ("1", "33%"). */
  readonly maxSurge: string;
  readonly nodeSubnet: SubnetShape | undefined;
  readonly podSubnet: SubnetShape | undefined;
  readonly staticBlock: boolean;
  /** Every node gets a public IP of its own (set when the pool is created). */
  readonly nodePublicIp: boolean;
}

/**
 * What every exporter writes, in AKS's own terms: the plugin as the API names it, the subnets
 * to create, the pools (the first System pool first), and what no field of the target can
 * carry, said as a note the exporter writes as a comment.
 */
export interface ClusterShape {
  readonly name: string;
  readonly networkPlugin: 'azure' | 'kubenet';
  readonly networkPluginMode: 'overlay' | undefined;
  readonly networkDataplane: 'cilium' | undefined;
  readonly podCidrs: readonly string[];
  readonly serviceCidrs: readonly string[];
  readonly dnsServiceIp: string | undefined;
  /** IPv4, IPv6 (dual-stack), as the API spells them. */
  readonly ipVersions: readonly ('IPv4' | 'IPv6')[];
  readonly outbound: OutboundSpec | undefined;
  readonly outboundType: OutboundSpec['type'];
  /**
   * Outbound type none or block: a network isolated cluster, whose nodes bootstrap from a
   * private registry cache (AKS refuses either type unless bootstrapProfile.artifactSource is Cache).
   */
  readonly networkIsolated: boolean;
  readonly privateCluster: boolean;
  /**
   * The cluster's nodes go in the VNet AKS creates: no subnet is written and no VNet is named.
   * So it is for a design that names no VNet or subnet of its own (its node subnet is AKS's
   * default), and a managed NAT gateway needs it (planning refuses one with a VNet of its own).
   */
  readonly managedVnet: boolean;
  /**
   * The cluster's control plane identity. kubenet with a route table of the design's own needs a
   * user-assigned one with rights on the table (AKS refuses a system-assigned identity there).
   */
  readonly identity: 'SystemAssigned' | 'UserAssigned';
  /** The cluster's subnets, then the platform subnets that have a CIDR (none in a managed VNet). */
  readonly subnets: readonly SubnetShape[];
  /** userDefinedRouting with a known firewall: the route table on the cluster's node and pod subnets. */
  readonly routeTable: { readonly name: string; readonly routes: readonly RouteShape[] } | undefined;
  readonly pools: readonly PoolShape[];
  readonly notes: readonly string[];
}

/**
 * The load balancer's idle timeout azurerm and the az CLI accept, in minutes: both validate
 * 4-100, where AKS's API (and so Bicep) takes up to 120, as the plan may.
 */
export const TOOLS_IDLE_TIMEOUT_MAX = 100;

/** What the Terraform and az CLI exports say above a load balancer idle timeout their tool refuses. */
export function idleTimeoutNote(minutes: number | undefined, tool: string): string | undefined {
  if (minutes === undefined || minutes <= TOOLS_IDLE_TIMEOUT_MAX) return undefined;
  return `${tool} accepts a load balancer idle timeout of 4-${TOOLS_IDLE_TIMEOUT_MAX} minutes, not ${minutes}, though AKS takes up to 120: deploy it with the Bicep export, or lower it.`;
}

export function clusterShape(
  spec: PlanSpec,
  vnet: VnetView,
  /** Whether network.nodeSubnet is AKS's default rather than the design's own. */
  nodeSubnetDefaulted: boolean,
): ClusterShape {
  const { network } = spec;
  const routes = userRoutes(vnet);
  const subnets = new Map<string, SubnetShape>();
  // A platform subnet may carry the name a cluster subnet would get ("prod-nodes"): Azure names
  // are one per VNet, case aside, so the cluster's subnet is numbered instead.
  const taken = new Set(
    vnet.subnets
      .filter((s) => s.role !== 'aks-nodes' && s.role !== 'aks-pods')
      .map((s) => s.name.toLowerCase()),
  );
  const managedVnet =
    spec.outbound?.type === 'managedNATGateway' || ownVnetField(spec, nodeSubnetDefaulted) === undefined;
  const subnet = (key: string, cidr: string | undefined, pods: boolean) => {
    if (cidr === undefined || managedVnet) return undefined;
    const known = [...subnets.values()].find((s) => s.cidr === cidr);
    if (known !== undefined) return known;
    const suffix = `-${key.replaceAll('_', '-')}`;
    const name = firstFreeName(
      (candidate) => taken.has(candidate.toLowerCase()),
      (n) => clusterSubnetName(spec.name, n === 1 ? suffix : `${suffix}-${n}`),
    );
    taken.add(name.toLowerCase());
    const shape = {
      key,
      name,
      cidr,
      delegation: pods ? AKS_DELEGATION : undefined,
      // Pods' traffic follows the pod subnet's routes: it is routed as the node subnets are.
      routed: routes.length > 0,
    };
    subnets.set(key, shape);
    return shape;
  };
  const clusterNodes = subnet('nodes', network.nodeSubnet, false);
  const clusterPods = subnet('pods', network.podSubnet, true);
  const ordered = [...spec.nodePools].sort(
    (a, b) => (a.mode === 'System' ? 0 : 1) - (b.mode === 'System' ? 0 : 1),
  );
  const pools = ordered.map((pool) =>
    poolShape(
      pool,
      subnet(`nodes_${pool.name}`, pool.nodeSubnet, false) ?? clusterNodes,
      subnet(`pods_${pool.name}`, pool.podSubnet, true) ?? clusterPods,
      network.podIpAllocation === 'static-block',
    ),
  );
  const families = network.ipFamilies ?? ['ipv4'];
  return {
    name: spec.name,
    networkPlugin: network.plugin === 'kubenet' ? 'kubenet' : 'azure',
    networkPluginMode: network.plugin === 'azure-cni-overlay' ? 'overlay' : undefined,
    networkDataplane: network.dataplane === 'cilium' ? 'cilium' : undefined,
    podCidrs: network.podCidrs ?? (network.podCidr === undefined ? [] : [network.podCidr]),
    serviceCidrs: network.serviceCidrs ?? [network.serviceCidr],
    dnsServiceIp: network.dnsServiceIp,
    ipVersions: families.map((f) => (f === 'ipv6' ? 'IPv6' : 'IPv4')),
    outbound: spec.outbound,
    outboundType: spec.outbound?.type ?? 'loadBalancer',
    networkIsolated: isNetworkIsolated(spec.outbound?.type),
    privateCluster: network.privateCluster,
    managedVnet,
    identity: ownRouteTable(spec, routes.length > 0) ? 'UserAssigned' : 'SystemAssigned',
    subnets: managedVnet ? [] : [...subnets.values(), ...platformSubnets(vnet, new Set(subnets.keys()))],
    routeTable: routes.length === 0 ? undefined : { name: `${spec.name}-routes`, routes },
    pools,
    notes: [...notesOf(spec, routes.length > 0, managedVnet, vnet), ...vnetNotes(vnet)],
  };
}

/** kubenet whose node subnet carries a route table of the design's own (AKS writes its routes there). */
function ownRouteTable(spec: PlanSpec, routed: boolean): boolean {
  return spec.network.plugin === 'kubenet' && (routed || spec.outbound?.type === 'userDefinedRouting');
}

/** Azure's longest subnet name. */
const MAX_SUBNET_NAME = 80;

/**
 * A cluster subnet's Azure name: the plan's name and the subnet's key, the plan's name cut short
 * when the whole would pass 80 characters (a 63-character plan name and a 12-character pool
 * make 82). The key, which tells the plan's subnets apart, is kept whole.
 */
function clusterSubnetName(planName: string, suffix: string): string {
  return `${planName.slice(0, MAX_SUBNET_NAME - suffix.length)}${suffix}`;
}

/** The platform subnets that have a CIDR, under their own Azure names. */
function platformSubnets(vnet: VnetView, cluster: ReadonlySet<string>): SubnetShape[] {
  const keys = new Set(cluster);
  return vnet.subnets.flatMap((s) => {
    if (s.role === 'aks-nodes' || s.role === 'aks-pods' || s.cidr === null) return [];
    // Names that differ only in punctuation (a-b, a.b) make one identifier: number the later ones.
    const base = identifier(s.name);
    const key = firstFreeName(
      (candidate) => keys.has(candidate),
      (n) => (n === 1 ? base : `${base}_${n}`),
    );
    keys.add(key);
    return [{ key, name: s.name, cidr: s.cidr.toString(), delegation: DELEGATIONS[s.role], routed: false }];
  });
}

/** The routes of the design's own in the cluster's route table (AKS writes kubenet's). */
function userRoutes(vnet: VnetView): RouteShape[] {
  return (vnet.routeTables[0]?.routes ?? [])
    .filter((r) => !r.writtenByAks)
    .map((r) => ({
      name: r.name,
      addressPrefix: r.addressPrefix.toString(),
      nextHopType: r.nextHopType,
      nextHopIp: r.nextHopIp?.toString(),
    }));
}

/** Subnets without room, and the firewall rules egress through the firewall needs. */
function vnetNotes(vnet: VnetView): string[] {
  const unplaced = vnet.subnets.filter((s) => s.cidr === null).map((s) => s.name);
  const notes =
    unplaced.length === 0
      ? []
      : [
          `Not written: ${unplaced.join(', ')} found no room in the VNet (or the design names no VNet to place it in).`,
        ];
  for (const rule of vnet.firewallRules) {
    const what =
      rule.collection === 'application'
        ? `FQDN tags ${rule.fqdnTags.join(', ')} over ${rule.protocols.join(', ')}`
        : `${rule.protocols.join(', ')} ${rule.destinationPorts.join(', ')} to ${rule.destinations.join(', ')}`;
    notes.push(
      `Azure Firewall ${rule.collection} rule ${rule.name}: allow ${what} from the cluster's subnets.`,
    );
  }
  return notes;
}

function poolShape(
  pool: NodePoolSpec,
  nodeSubnet: SubnetShape | undefined,
  podSubnet: SubnetShape | undefined,
  staticBlock: boolean,
): PoolShape {
  // A maximum alone turns the autoscaler on too: the plan counts maxCount nodes. AKS needs a
  // minimum with it, which is then the pool's nodeCount (see notesOf).
  const autoscale =
    pool.maxCount === undefined
      ? undefined
      : { minCount: pool.minCount ?? pool.nodeCount, maxCount: pool.maxCount };
  return {
    name: pool.name,
    mode: pool.mode,
    osType: pool.osType,
    gatewayPrefixSize: pool.mode === 'Gateway' ? pool.gatewayPrefixSize : undefined,
    nodeCount: pool.nodeCount,
    autoscale,
    maxPods: pool.maxPods,
    maxSurge: String(pool.maxSurge),
    nodeSubnet,
    podSubnet,
    staticBlock,
    nodePublicIp: pool.nodePublicIp === true,
  };
}

/**
 * What a target without static egress gateways (API 2024-09-01, azurerm 4.x) says of the Gateway
 * pools it leaves out; undefined when there are none.
 */
export function gatewayPoolsNote(shape: ClusterShape, target: string): string | undefined {
  const gateways = shape.pools.filter((pool) => pool.mode === 'Gateway');
  if (gateways.length === 0) return undefined;
  const pools = gateways.map(
    (pool) =>
      `${pool.name} (${pool.nodeCount} nodes, /${pool.gatewayPrefixSize} prefix${pool.nodeSubnet === undefined ? '' : `, in subnet ${pool.nodeSubnet.name}: --vnet-subnet-id`})`,
  );
  return `Static egress gateway pools are not in ${target} and are left out here: ${pools.join(', ')}. Turn the feature on with az aks update --enable-static-egress-gateway and add each with az aks nodepool add --mode Gateway --gateway-prefix-size, as the az-cli export does.`;
}

/**
 * The outbound type a template of `target` (the azurerm provider, a GA API version) can declare:
 * block is a preview neither knows, so the cluster is created with none, which AKS turns into
 * block by an update (egress-outboundtype: none to block is supported in the VNet AKS creates).
 * The note says so; undefined for every other type.
 */
export function templateOutbound(
  shape: ClusterShape,
  target: string,
): { type: ClusterShape['outboundType']; note: string | undefined } {
  if (shape.outboundType !== 'block') return { type: shape.outboundType, note: undefined };
  return {
    type: 'none',
    note: `outboundType block is a preview ${target} does not take: the cluster is created with none, and az aks update --outbound-type block (with the aks-preview extension) then blocks its egress, as the az-cli export does at creation.`,
  };
}

/** What the plan holds that is not cluster configuration, or that AKS infers. */
function notesOf(spec: PlanSpec, routed: boolean, managedVnet: boolean, vnet: VnetView): string[] {
  const notes: string[] = [];
  const { reservations, outbound, network } = spec;
  if (managedVnet && outbound?.type !== 'managedNATGateway')
    notes.push(
      `The design names no VNet of its own: AKS creates the cluster's VNet, with its nodes in ${network.nodeSubnet ?? 'its default subnet'} as planned; no subnet is written.`,
    );
  for (const pool of spec.nodePools.filter((p) => p.maxCount !== undefined && p.minCount === undefined))
    notes.push(
      `Pool ${pool.name}: the autoscaler is on up to maxCount ${pool.maxCount}, with its nodeCount ${pool.nodeCount} as its minimum (the design gives no minCount).`,
    );
  const [firstSystem] = spec.nodePools.filter((p) => p.mode === 'System');
  if (firstSystem !== undefined && firstSystem !== spec.nodePools[0])
    notes.push(
      `AKS creates the System pool ${firstSystem.name} with the cluster, before the pools listed above it in the design: its nodes take the first addresses, where the plan lays pools out in the design's order. List it first for the plan to match the cluster.`,
    );
  if (reservations.internalLoadBalancers > 0 || reservations.privateEndpoints > 0)
    notes.push(reservationNote(reservations, vnet));
  if (outbound?.publicLoadBalancerServices !== undefined && outbound.publicLoadBalancerServices > 0)
    notes.push(
      `The plan counts ${outbound.publicLoadBalancerServices} public LoadBalancer service(s): each adds a frontend public IP when it is created.`,
    );
  if (outbound?.type === 'managedNATGateway')
    notes.push(
      `outboundType managedNATGateway: AKS creates the cluster's VNet, with its nodes in ${network.nodeSubnet ?? 'the default subnet'} as planned; no subnet of your own is written, as a managed NAT gateway refuses one.`,
    );
  if (outbound?.type === 'userAssignedNATGateway')
    notes.push(
      'outboundType userAssignedNATGateway: associate your NAT gateway with the node and pod subnet(s) before creating the cluster.',
    );
  if (isNetworkIsolated(outbound?.type))
    notes.push(
      `outboundType ${outbound.type}: a network isolated cluster. ${outbound.type === 'none' ? 'AKS sets up no egress path: nodes without public IPs of their own reach only what your network routes them to' : 'AKS blocks all egress (a preview: the az CLI needs the aks-preview extension)'}. Nodes bootstrap from a private registry cache (artifact source Cache: an AKS-managed registry, or your own with --bootstrap-container-registry-resource-id). Its private endpoint and any other the cluster needs take addresses: count them in reservations.privateEndpoints.`,
    );
  if (outbound?.type === 'userDefinedRouting' && !routed)
    notes.push(
      'outboundType userDefinedRouting: associate a route table with 0.0.0.0/0 to your firewall with the node and pod subnet(s) before creating the cluster.',
    );
  const windows = windowsPoolNames(spec);
  if (network.dataplane === 'cilium' && windows.length > 0)
    notes.push(
      `The Cilium dataplane runs on Linux pools only (AKS documents Windows pools as a limitation): AKS may refuse the Windows pool(s) ${windows.join(', ')} below.`,
    );
  if (ownRouteTable(spec, routed))
    notes.push(
      'kubenet with your own route table needs a user-assigned managed identity with rights on the route table (Network Contributor): a system-assigned identity is refused. Create one and give its resource id below. AKS writes a route per node into the table: leave the routes it adds in place.',
    );
  const apiServer = spec.platformSubnets?.find((p) => p.role === 'api-server');
  if (apiServer !== undefined)
    notes.push(
      `The plan puts the API server in its own subnet (${apiServer.name}, API Server VNet Integration), not in the node subnet: create the cluster with API Server VNet Integration on that subnet (enable-apiserver-vnet-integration and apiserver-subnet-id in the az CLI, apiServerAccessProfile's enableVnetIntegration and subnetId in ARM API versions that have them, not 2024-09-01), which this file does not write.`,
    );
  if (network.dockerBridgeCidr !== undefined)
    notes.push(
      `dockerBridgeCidr ${network.dockerBridgeCidr} is not written: AKS has had no such setting since API 2023-04-01.`,
    );
  return notes;
}

/**
 * Text for a one-line comment: a line break in it (a plan's free text, a file name) would end
 * the comment and start code in the generated file, so every kind of break becomes a space;
 * control and bidirectional characters are written as `\uXXXX`, so that a file printed on a
 * terminal or read in a review shows what it holds.
 */
export function commentText(text: string): string {
  return visibleText(text.replace(LINE_BREAKS, ' '));
}

/**
 * A DNS prefix AKS accepts from a plan's name: letters, digits and hyphens, starting with a
 * letter and ending with a letter or digit, at most 54 characters.
 */
export function dnsPrefixOf(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9-]/g, '-');
  const lettered = /^[A-Za-z]/.test(cleaned) ? cleaned : `aks-${cleaned}`;
  return lettered.slice(0, 54).replace(/-+$/, '') || 'aks';
}

/**
 * Identifiers for code: lower case letters, digits and underscores, never starting with a digit
 * (Terraform names and shell variables must not; Azure subnet names may: "9appgw").
 */
export function identifier(text: string): string {
  const cleaned = text.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return /^[0-9]/.test(cleaned) ? `_${cleaned}` : cleaned;
}

/**
 * Where the plan keeps room for what the cluster creates later: load balancer frontends in the
 * first pool's node subnet, or in the VNet's internal-load-balancers subnet, private endpoints
 * in the first pool's node subnet too, or in the VNet's private-endpoints subnet, when the plan
 * could place one.
 */
function reservationNote(reservations: PlanSpec['reservations'], vnet: VnetView): string {
  const holder = (role: string) => vnet.subnets.find((s) => s.role === role && s.cidr !== null);
  const frontends = holder('internal-load-balancers');
  const endpoints = holder('private-endpoints');
  const { internalLoadBalancers: lbs, privateEndpoints: pes } = reservations;
  const inNodes = [
    ...(lbs > 0 && frontends === undefined ? [`${lbs} internal load balancer frontend(s)`] : []),
    ...(pes > 0 && endpoints === undefined ? [`${pes} private endpoint(s)`] : []),
  ];
  const where = [
    ...(inNodes.length > 0 ? [`${inNodes.join(' and ')} in the first pool's node subnet`] : []),
    ...(lbs > 0 && frontends !== undefined
      ? [
          `${lbs} internal load balancer frontend(s) in the subnet ${frontends.name} (annotate each internal Service with service.beta.kubernetes.io/azure-load-balancer-internal-subnet: ${frontends.name}, and give the cluster's identity access to it)`,
        ]
      : []),
    ...(pes > 0 && endpoints !== undefined
      ? [`${pes} private endpoint(s) in the private-endpoints subnet ${endpoints.name}`]
      : []),
  ];
  return `The plan reserves ${where.join(' and ')}: they are created later (Services, private endpoints), not here.`;
}
