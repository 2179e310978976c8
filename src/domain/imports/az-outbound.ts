/**
 * The outbound section of a plan from `az aks show`: the type, and its load balancer or NAT
 * gateway profile.
 */
import type { OutboundInput, OutboundType } from '../design/spec.js';
import { OUTBOUND_TYPES } from '../design/spec.js';
import {
  asGiven,
  count,
  countOrWarn,
  field,
  type ImportWarning,
  isDualStackProfile,
  type Json,
  known,
} from './az-json.js';

/** The cluster's outbound type and profile; an outbound type the planner does not know is a warning. */
export function outboundOf(cluster: Json, warnings: ImportWarning[]): OutboundInput | undefined {
  const profile = field(cluster, 'networkProfile');
  const given = asGiven(field(profile, 'outboundType'));
  const type = known(given, OUTBOUND_TYPES);
  if (given === undefined) return undefined;
  if (type === undefined) {
    warnings.push({
      path: 'cluster.networkProfile.outboundType',
      message: `outbound type ${given} is not planned`,
    });
    return undefined;
  }
  if (type === 'loadBalancer') return loadBalancerOutbound(profile, warnings);
  if (type === 'managedNATGateway') return natGatewayOutbound(field(profile, 'natGatewayProfile'), warnings);
  return withType(type, {});
}

/**
 * Managed outbound IPs (or the public IPs of your own, counted), ports and idle timeout. Prefixes
 * are not planned, nor an IPv6 outbound IP count other than AKS's default: a warning says so.
 */
function loadBalancerOutbound(profile: Json, warnings: ImportWarning[]): OutboundInput {
  const lb = field(profile, 'loadBalancerProfile');
  const at = 'cluster.networkProfile.loadBalancerProfile';
  const managed = countOrWarn(
    field(lb, 'managedOutboundIPs', 'managedOutboundIps'),
    `${at}.managedOutboundIPs.count`,
    "planned with AKS's default outbound IPs",
    warnings,
  );
  const own = field(field(lb, 'outboundIPs', 'outboundIps'), 'publicIPs', 'publicIps');
  const ports = countOrWarn(
    lb,
    `${at}.allocatedOutboundPorts`,
    'planned with the default port table',
    warnings,
  );
  const idle = countOrWarn(
    lb,
    `${at}.idleTimeoutInMinutes`,
    "planned with AKS's default idle timeout",
    warnings,
  );
  if (managed === undefined && Array.isArray(own))
    warnings.push({
      path: 'cluster.networkProfile.loadBalancerProfile.outboundIPs',
      message: `the load balancer uses ${own.length} public IP(s) of your own: planned as ${own.length} outbound IP(s)`,
    });
  const prefixes = field(
    field(lb, 'outboundIPPrefixes', 'outboundIpPrefixes'),
    'publicIPPrefixes',
    'publicIpPrefixes',
  );
  if (managed === undefined && Array.isArray(prefixes))
    warnings.push({
      path: 'cluster.networkProfile.loadBalancerProfile.outboundIPPrefixes',
      message: `the load balancer uses ${prefixes.length} public IP prefix(es): their size is not in this JSON, so the plan counts AKS's default outbound IPs; set outbound.managedOutboundIps to the number of addresses they hold`,
    });
  // The plan counts AKS's default: 1 IPv6 outbound IP for a dual-stack cluster, none otherwise.
  const ipv6 = count(field(field(lb, 'managedOutboundIPs', 'managedOutboundIps'), 'countIpv6', 'countIPv6'));
  const planned = isDualStackProfile(profile) ? 1 : 0;
  if (ipv6 !== undefined && ipv6 !== planned)
    warnings.push({
      path: 'cluster.networkProfile.loadBalancerProfile.managedOutboundIPs.countIpv6',
      message: `${ipv6} IPv6 outbound IP(s): the plan counts ${planned}, AKS's default, among public IPs; SNAT capacity counts the IPv4 ones`,
    });
  const ips = managed ?? (Array.isArray(own) ? own.length : undefined);
  return withType('loadBalancer', {
    managedOutboundIps: ips,
    allocatedOutboundPorts: ports,
    idleTimeoutMinutes: idle,
  });
}

function natGatewayOutbound(nat: Json, warnings: ImportWarning[]): OutboundInput {
  const at = 'cluster.networkProfile.natGatewayProfile';
  return withType('managedNATGateway', {
    managedOutboundIps: countOrWarn(
      field(nat, 'managedOutboundIPProfile', 'managedOutboundIpProfile'),
      `${at}.managedOutboundIPProfile.count`,
      "planned with AKS's default outbound IPs",
      warnings,
    ),
    idleTimeoutMinutes: countOrWarn(
      nat,
      `${at}.idleTimeoutInMinutes`,
      "planned with AKS's default idle timeout",
      warnings,
    ),
  });
}

function withType(type: OutboundType, fields: Omit<OutboundInput, 'type'>): OutboundInput {
  const given = Object.entries(fields).filter(([, v]) => v !== undefined);
  return { type, ...Object.fromEntries(given) };
}
