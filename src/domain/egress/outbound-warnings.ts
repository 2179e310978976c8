import { formatCount } from '../capacity/numbers.js';
import { isNetworkIsolated, type PlanSpec } from '../design/spec.js';
import { hasDnatReturnRoute, udrNextHopKnown } from '../design/udr.js';
import type { Warning } from '../design/warning.js';
import { DEFAULT_PORT_TABLE_END, defaultPortsPerNode, EGRESS } from './outbound-limits.js';
import { backendPoolSizes } from './snat.js';

/** Egress choices AKS accepts but that bite later; no outbound section is AKS's loadBalancer. */
export function outboundWarnings(spec: PlanSpec): Warning[] {
  const type = spec.outbound?.type ?? 'loadBalancer';
  return [...sectionWarnings(spec), ...typeWarnings(spec, type)];
}

/** What the default type means for Windows pools and dual-stack clusters, given or not. */
function typeWarnings(spec: PlanSpec, type: NonNullable<PlanSpec['outbound']>['type']): Warning[] {
  const warnings: Warning[] = [];
  if (type === 'loadBalancer' && spec.nodePools.some((p) => p.osType === 'Windows')) {
    warnings.push({
      code: 'WINDOWS_SNAT_PORTS',
      message: `Windows nodes behind the load balancer use ${EGRESS.windowsHostPorts} SNAT ports on their host IP`,
    });
  }
  if (isNetworkIsolated(type)) warnings.push(...networkIsolatedWarnings(spec, type));
  warnings.push(...nodePublicIpWarnings(spec, type));
  const natGateway = type === 'managedNATGateway' || type === 'userAssignedNATGateway';
  if (natGateway && spec.network.ipFamilies?.includes('ipv6')) {
    warnings.push({
      code: 'DUAL_STACK_NAT_GATEWAY',
      message:
        'AKS documents NAT gateway among the features dual-stack clusters do not support: IPv6 egress needs the load balancer',
    });
  }
  return warnings;
}

/** What AKS gives a cluster created without an outbound profile: the load balancer, ports from the table. */
const AKS_DEFAULT_OUTBOUND = { type: 'loadBalancer', allocatedOutboundPorts: 0 } as const;

function sectionWarnings(spec: PlanSpec): Warning[] {
  const outbound = spec.outbound ?? AKS_DEFAULT_OUTBOUND;
  const table =
    spec.outbound === undefined
      ? 'without an outbound section (the load balancer AKS creates, allocatedOutboundPorts 0)'
      : 'with allocatedOutboundPorts 0';
  const warnings: Warning[] = [];
  const nodes = backendPoolSizes(spec);
  if (outbound.type === 'loadBalancer' && outbound.allocatedOutboundPorts === 0) {
    const now = defaultPortsPerNode(nodes.current);
    const later = defaultPortsPerNode(nodes.required);
    if (later < now) {
      warnings.push({
        code: 'SNAT_DEFAULT_PORTS_DROP',
        message: `${table} every node gets ${now} ports at ${nodes.current} nodes but only ${later} at ${nodes.required} (maxima + surge): the default table cuts every node's ports as the pool crosses a boundary (50 -> 51 halves them); set allocatedOutboundPorts explicitly`,
      });
    }
    if (nodes.required > DEFAULT_PORT_TABLE_END) {
      warnings.push({
        code: 'SNAT_DEFAULT_TABLE_EXCEEDED',
        message: `${table} the ports per node come from a table that ends at ${formatCount(DEFAULT_PORT_TABLE_END)} nodes, and this design reaches ${formatCount(nodes.required)} (maxima + surge): Azure documents no default past it, and the plan assumes the last row's ${defaultPortsPerNode(nodes.required)} ports; set allocatedOutboundPorts explicitly`,
      });
    }
  }
  if (outbound.type === 'userDefinedRouting') warnings.push(...udrWarnings(spec));
  return warnings;
}

/**
 * What network isolated clusters (outbound type none or block) do not support yet
 * (concepts-network-isolated: "Windows node pools are not yet supported", "kubenet networking
 * is not supported"): AKS may refuse the design.
 */
function networkIsolatedWarnings(spec: PlanSpec, type: 'none' | 'block'): Warning[] {
  const warnings: Warning[] = [];
  const windows = spec.nodePools.filter((p) => p.osType === 'Windows').map((p) => p.name);
  const unsupported = [
    ...(spec.network.plugin === 'kubenet' ? ['kubenet'] : []),
    ...(windows.length > 0 ? [`Windows pools (${windows.join(', ')})`] : []),
  ];
  if (unsupported.length > 0)
    warnings.push({
      code: 'NETWORK_ISOLATED_NOT_SUPPORTED',
      message: `outbound type ${type} makes a network isolated cluster, which AKS documents as not supporting ${unsupported.join(' or ')}: AKS may refuse the design`,
    });
  // concepts-network-isolated: traffic between the API server and the nodes stays on the private
  // network, through a private cluster's endpoint or API Server VNet Integration.
  const apiServerSubnet = (spec.platformSubnets ?? []).some((s) => s.role === 'api-server');
  if (!spec.network.privateCluster && !apiServerSubnet)
    warnings.push({
      code: 'NETWORK_ISOLATED_PUBLIC_API_SERVER',
      message: `outbound type ${type} makes a network isolated cluster, whose nodes reach the API server on the private network only: make it a private cluster (network.privateCluster, whose endpoint the plan then counts)${type === 'none' ? ' or give it an api-server subnet (API Server VNet Integration)' : ''}`,
    });
  return warnings;
}

/**
 * Public IPs on the nodes pass by the egress an outbound type sets up, or meet its route table:
 * - under none, nodes with public IPs of their own reach the internet on them
 *   (concepts-network-isolated: node public IPs "will allow outbound traffic with outbound type
 *   none"), and pods sent through a Gateway pool leave on its prefix's IPs, which its nodes hold;
 * - under userDefinedRouting the route table wins over the IPs: what the nodes send goes to the
 *   firewall and leaves on its IPs, answers to connections that came in on a node's IP too
 *   (asymmetric routing), and a Gateway pool's egress with them.
 * Outbound type block is left out: its NSG rules stop public traffic whatever IP it would leave on
 * (egress-outboundtype: "no public internet traffic can leave the cluster").
 */
function nodePublicIpWarnings(spec: PlanSpec, type: NonNullable<PlanSpec['outbound']>['type']): Warning[] {
  if (type !== 'none' && type !== 'userDefinedRouting') return [];
  const names = (pools: readonly { name: string }[]) => pools.map((p) => p.name).join(', ');
  const nodes = spec.nodePools.filter((p) => p.nodePublicIp === true);
  const gateways = spec.nodePools.filter((p) => p.mode === 'Gateway');
  const udr = type === 'userDefinedRouting';
  const messages = [
    ...(nodes.length === 0
      ? []
      : [
          udr
            ? `the nodes of ${names(nodes)} have public IPs of their own, but the route table sends their traffic to the firewall: it leaves on the firewall's IPs, not theirs, and connections that come in on their IPs are answered through the firewall (asymmetric routing)`
            : `the nodes of ${names(nodes)} have public IPs of their own: they reach the internet on them, past the egress outbound type none holds back`,
        ]),
    ...(gateways.length === 0
      ? []
      : [
          udr
            ? `the route table sends the egress of gateway pool ${names(gateways)} to the firewall: pods routed through it leave on the firewall's IPs, not its prefix's`
            : `pods routed through gateway pool ${names(gateways)} leave on its prefix's public IPs, past the egress outbound type none holds back`,
        ]),
  ];
  return messages.map((message) => ({ code: 'NODE_PUBLIC_IP_EGRESS', message }));
}

/** A user-defined route without a next hop, and public services that would route asymmetrically. */
function udrWarnings(spec: PlanSpec): Warning[] {
  const warnings: Warning[] = [];
  if (!udrNextHopKnown(spec)) {
    warnings.push({
      code: 'UDR_NO_NEXT_HOP',
      message:
        'userDefinedRouting sends egress to a firewall or appliance, but the design names none: add an azure-firewall platform subnet or outbound.firewallPrivateIp, or egress has nowhere to go',
    });
  }
  const services = spec.outbound?.publicLoadBalancerServices ?? 0;
  if (services > 0) {
    warnings.push({
      code: 'UDR_ASYMMETRIC_ROUTING',
      message: hasDnatReturnRoute(spec)
        ? `public load balancer services behind a user-defined route answer through the firewall; the route ${spec.outbound?.firewallPublicIp}/32 -> Internet in the route table keeps their DNATed traffic symmetric`
        : 'public load balancer services behind a user-defined route answer through the firewall: the routing is asymmetric unless the firewall DNATs their inbound traffic (give outbound.firewallPublicIp and the plan adds the return route)',
    });
  }
  return warnings;
}
