import { AZURE_SUBNET } from '../aks-limits.js';
import type { ResolvedPlan } from '../design/resolved-plan.js';
import { hasDnatReturnRoute } from '../design/udr.js';
import { Cidr, IpAddress } from '../ip/index.js';

export interface Route {
  readonly name: string;
  readonly addressPrefix: Cidr;
  readonly nextHopType: 'VirtualAppliance' | 'Internet';
  /** VirtualAppliance routes: the firewall, or the node that holds a kubenet pod CIDR. */
  readonly nextHopIp: IpAddress | null;
  /** kubenet's per-node routes: AKS writes them itself; exports leave them out. */
  readonly writtenByAks: boolean;
}

/** The route table on the cluster's subnets, and the subnets it is associated with. */
export interface RouteTable {
  readonly name: string;
  readonly subnets: readonly Cidr[];
  readonly routes: readonly Route[];
}

/** A current kubenet node: its pod /24 and its node IP (AKS writes one route each). */
export interface NodeRoute {
  readonly pool: string;
  readonly index: number;
  readonly podCidr: Cidr;
  readonly nodeIp: IpAddress;
}

/** A firewall rule AKS needs for egress through the firewall, as data exports can create. */
export interface FirewallRule {
  readonly name: string;
  readonly collection: 'application' | 'network';
  /** Application rules: `Https:443`; network rules: `UDP`, `TCP`. */
  readonly protocols: readonly string[];
  readonly destinationPorts: readonly number[];
  /** Application rules: FQDN tags. */
  readonly fqdnTags: readonly string[];
  /** Network rules: service tags or addresses (`*` for any). */
  readonly destinations: readonly string[];
}

/**
 * What AKS's egress through Azure Firewall needs (aks-networking.md section 7). DECIDED: the
 * network rules name the service tag `AzureCloud`; AKS's walkthrough narrows it to
 * `AzureCloud.<region>`, which the design does not know.
 */
const AKS_FIREWALL_RULES: readonly FirewallRule[] = [
  {
    name: 'aks-fqdn-tag',
    collection: 'application',
    protocols: ['Http:80', 'Https:443'],
    destinationPorts: [],
    fqdnTags: ['AzureKubernetesService'],
    destinations: [],
  },
  {
    name: 'aks-tunnel-udp',
    collection: 'network',
    protocols: ['UDP'],
    destinationPorts: [1194],
    fqdnTags: [],
    destinations: ['AzureCloud'],
  },
  {
    name: 'aks-tunnel-tcp',
    collection: 'network',
    protocols: ['TCP'],
    destinationPorts: [9000],
    fqdnTags: [],
    destinations: ['AzureCloud'],
  },
  {
    name: 'aks-ntp',
    collection: 'network',
    protocols: ['UDP'],
    destinationPorts: [123],
    fqdnTags: [],
    destinations: ['*'],
  },
];

/**
 * The rules a cluster's egress needs: a private cluster reaches its API server inside the VNet,
 * so the tunnel to the control plane's public endpoint is not needed (outbound-rules-control-
 * egress.md: 1194 and 9000 are not "required for private clusters").
 */
export function aksFirewallRules(privateCluster: boolean): readonly FirewallRule[] {
  return privateCluster ? AKS_FIREWALL_RULES.filter((r) => !TUNNEL_RULES.has(r.name)) : AKS_FIREWALL_RULES;
}

const TUNNEL_RULES = new Set(['aks-tunnel-udp', 'aks-tunnel-tcp']);

/** The firewall's private IP: the one given, else the first usable address of AzureFirewallSubnet. */
export function firewallPrivateIp(plan: ResolvedPlan): IpAddress | undefined {
  const given = plan.spec.outbound?.firewallPrivateIp;
  const parsed = given === undefined ? undefined : IpAddress.tryParse(given);
  if (parsed !== undefined) return parsed;
  const subnet = plan.platformSubnets.find((s) => s.role === 'azure-firewall')?.cidr;
  return subnet?.at(AZURE_SUBNET.leadingReserved);
}

/**
 * The cluster's route table, when it needs one: userDefinedRouting's default route to the
 * firewall (and the DNAT return route), and kubenet's route per current node. Bounded: kubenet
 * refuses designs above 400 routes. It is associated with the node subnets and the pod subnets:
 * a pod subnet's addresses follow that subnet's routes, so without the default route pods'
 * traffic would not pass the firewall.
 */
export function clusterRouteTable(plan: ResolvedPlan, nodeRoutes: readonly NodeRoute[]): RouteTable | null {
  const routes: Route[] = [...udrRoutes(plan), ...nodeRoutes.map(kubenetRoute)];
  const kubenet = plan.spec.network.plugin === 'kubenet';
  if (routes.length === 0 && !kubenet && plan.spec.outbound?.type !== 'userDefinedRouting') return null;
  const subnets: Cidr[] = [];
  const add = (cidr: Cidr | undefined) => {
    if (cidr !== undefined && !subnets.some((s) => s.equals(cidr))) subnets.push(cidr);
  };
  for (const pool of plan.pools) add(pool.nodeSubnet);
  for (const pool of plan.pools) add(pool.podSubnet);
  return { name: `${plan.spec.name}-routes`, subnets, routes };
}

function udrRoutes(plan: ResolvedPlan): Route[] {
  if (plan.spec.outbound?.type !== 'userDefinedRouting') return [];
  const firewall = firewallPrivateIp(plan);
  if (firewall === undefined) return [];
  const routes: Route[] = [
    {
      name: 'default-to-firewall',
      addressPrefix: Cidr.parse('0.0.0.0/0'),
      nextHopType: 'VirtualAppliance',
      nextHopIp: firewall,
      writtenByAks: false,
    },
  ];
  const publicIp = plan.spec.outbound.firewallPublicIp;
  const address = publicIp === undefined ? undefined : IpAddress.tryParse(publicIp);
  if (hasDnatReturnRoute(plan.spec) && address !== undefined) {
    routes.push({
      name: 'firewall-public-ip-to-internet',
      addressPrefix: Cidr.containing(address, 32),
      nextHopType: 'Internet',
      nextHopIp: null,
      writtenByAks: false,
    });
  }
  return routes;
}

function kubenetRoute(node: NodeRoute): Route {
  return {
    name: `kubenet-${node.pool}-${node.index}`,
    addressPrefix: node.podCidr,
    nextHopType: 'VirtualAppliance',
    nextHopIp: node.nodeIp,
    writtenByAks: true,
  };
}
