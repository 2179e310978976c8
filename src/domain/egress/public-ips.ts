import { gatewayPoolHolds, poolSize } from '../design/pool-size.js';
import { NO_OUTBOUND_IPS, type PlanSpec } from '../design/spec.js';
import type { Warning } from '../design/warning.js';

/**
 * Load-balanced services a cluster on the Standard Load Balancer takes (aks-networking.md section
 * 6; quotas-skus-regions.md: "Maximum load-balanced kubernetes services per cluster with Standard
 * Load Balancer SKU: 300"): public services, ingress frontends and internal ones together.
 */
export const LOAD_BALANCER_SERVICES_LIMIT = 300;
/**
 * The most public services, or ingress frontends, a design may plan: a subscription's default
 * quota of Standard public IPs in a region. It bounds every count the design's answer holds.
 */
export const MAX_PUBLIC_FRONTENDS = 1000;

/** The public IPs a cluster's design consumes, by what holds them. */
export interface PublicIpCount {
  /** Managed outbound IPs of the load balancer, or the NAT gateway's IPs; none with userDefinedRouting, none or block. */
  readonly outbound: number;
  /**
   * A dual-stack cluster's load balancer also has managed IPv6 outbound IPs: AKS's default, 1
   * ("The default value is 0 for single-stack and 1 for dual-stack", managedOutboundIPs.countIPv6).
   */
  readonly outboundIpv6: number;
  /** One frontend per public LoadBalancer service. */
  readonly loadBalancerServices: number;
  /** One frontend per public ingress controller. */
  readonly ingress: number;
  /** The firewall's, when the VNet holds it or its public IP is recorded. */
  readonly firewall: number;
  /** The public IP prefixes of static egress gateway pools, every address of each. */
  readonly egressGateway: number;
  /** One per node of the pools with nodePublicIp, at their maxima plus surge (use-node-public-ips). */
  readonly nodePublicIps: number;
  readonly total: number;
}

/**
 * Counted from the design: without an outbound section a cluster gets AKS's default, a load
 * balancer with one managed outbound IP. One outbound IP and three public services make 4, as in
 * the EXTERNAL-IP walkthrough.
 */
export function publicIpCount(spec: PlanSpec): PublicIpCount {
  const outbound = spec.outbound;
  const outboundIps =
    outbound === undefined ? 1 : NO_OUTBOUND_IPS.has(outbound.type) ? 0 : (outbound.managedOutboundIps ?? 1);
  const loadBalancerOutbound = outbound === undefined || outbound.type === 'loadBalancer';
  const outboundIpv6 = loadBalancerOutbound && spec.network.ipFamilies?.includes('ipv6') === true ? 1 : 0;
  const loadBalancerServices = outbound?.publicLoadBalancerServices ?? 0;
  const ingress = spec.ingress?.publicIps ?? 0;
  const hasFirewall =
    outbound?.firewallPublicIp !== undefined ||
    (spec.platformSubnets ?? []).some((s) => s.role === 'azure-firewall');
  const firewall = hasFirewall ? 1 : 0;
  const egressGateway = gatewayPrefixAddresses(spec);
  const nodePublicIps = spec.nodePools
    .filter((pool) => pool.nodePublicIp === true)
    .reduce((sum, pool) => sum + poolSize(pool).duringUpgrade, 0);
  return {
    outbound: outboundIps,
    outboundIpv6,
    loadBalancerServices,
    ingress,
    firewall,
    egressGateway,
    nodePublicIps,
    total:
      outboundIps + outboundIpv6 + loadBalancerServices + ingress + firewall + egressGateway + nodePublicIps,
  };
}

/** A Gateway pool's public IP prefix is allocated whole (a /30 is 4 addresses, whatever its node count). */
function gatewayPrefixAddresses(spec: PlanSpec): number {
  return spec.nodePools.reduce((sum, pool) => sum + (gatewayPoolHolds(pool) ?? 0), 0);
}

/** Where the load-balanced services limit bites: public and internal services count alike. */
export function publicIpWarnings(spec: PlanSpec): Warning[] {
  const { loadBalancerServices, ingress } = publicIpCount(spec);
  const internal = spec.reservations.internalLoadBalancers;
  const services = loadBalancerServices + ingress + internal;
  if (services <= LOAD_BALANCER_SERVICES_LIMIT) return [];
  const internalPart = internal === 0 ? '' : `, ${internal} internal`;
  return [
    {
      code: 'LOAD_BALANCER_FRONTENDS_LIMIT',
      message: `${services} load-balanced services (${loadBalancerServices + ingress} public, ingress included${internalPart}); AKS takes at most ${LOAD_BALANCER_SERVICES_LIMIT} per cluster on the Standard Load Balancer`,
    },
  ];
}
