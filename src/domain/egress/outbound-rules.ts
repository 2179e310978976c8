import { ownVnetField } from '../design/aks-vnet.js';
import type { ProblemCollector } from '../design/problems.js';
import type { OutboundSpec, PlanSpec } from '../design/spec.js';
import type { Problem } from '../errors.js';
import { Cidr, type IpAddress } from '../ip/index.js';
import { EGRESS } from './outbound-limits.js';

/** Ranges no public IP lies in: RFC 1918, RFC 6598 shared space, "this network", loopback, link-local, multicast and above. */
const NOT_PUBLIC = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '224.0.0.0/3',
].map((text) => Cidr.parse(text));
/** Ranges no host lies in. */
const NO_HOST = ['0.0.0.0/8', '127.0.0.0/8', '224.0.0.0/3'].map((text) => Cidr.parse(text));

/** Fields each outbound type takes beyond `type` and `publicLoadBalancerServices`. */
const FIELDS: Record<string, readonly string[]> = {
  loadBalancer: ['managedOutboundIps', 'allocatedOutboundPorts', 'idleTimeoutMinutes', 'publicIps'],
  managedNATGateway: ['managedOutboundIps', 'idleTimeoutMinutes', 'publicIps'],
  userAssignedNATGateway: ['managedOutboundIps', 'idleTimeoutMinutes', 'publicIps'],
  userDefinedRouting: ['firewallPrivateIp', 'firewallPublicIp'],
  none: [],
  block: [],
};
const TYPE_FIELDS = [
  'managedOutboundIps',
  'allocatedOutboundPorts',
  'idleTimeoutMinutes',
  'publicIps',
  'firewallPrivateIp',
  'firewallPublicIp',
] as const;

/**
 * What the VNet around the cluster allows: a design that names no subnet puts its nodes in the
 * VNet AKS creates, where nobody can attach the route table of userDefinedRouting or a NAT
 * gateway of one's own; a design in a VNet of its own cannot have the NAT gateway AKS manages,
 * nor the egress block AKS sets up (egress-outboundtype: "In a BYO VNet, use the none outbound
 * type and configure network security group (NSG) rules to block egress traffic").
 */
export function outboundSubnetProblems(spec: PlanSpec, subnetDefaulted: boolean): Problem[] {
  const type = spec.outbound?.type;
  const ownSubnet = !subnetDefaulted || spec.nodePools.some((pool) => pool.nodeSubnet !== undefined);
  if (type === 'managedNATGateway' || type === 'block') {
    const own = ownVnetField(spec, subnetDefaulted);
    if (own === undefined) return [];
    return [
      type === 'block'
        ? {
            code: 'BLOCK_OUTBOUND_WITH_CUSTOM_VNET',
            path: 'outbound.type',
            message: `outbound type block needs the VNet AKS creates; ${own} places the cluster in a VNet of your own: use none, and block egress with NSG rules`,
          }
        : {
            code: 'MANAGED_NAT_GATEWAY_WITH_CUSTOM_VNET',
            path: 'outbound.type',
            message: `a managed NAT gateway needs the VNet AKS creates; ${own} places the cluster in a VNet of your own: use userAssignedNATGateway`,
          },
    ];
  }
  if (ownSubnet || (type !== 'userDefinedRouting' && type !== 'userAssignedNATGateway')) return [];
  return [
    {
      code: 'OUTBOUND_TYPE_NEEDS_OWN_SUBNET',
      path: 'outbound.type',
      message: `${type} needs a subnet of your own VNet (network.nodeSubnet); the VNet AKS creates has no route table or NAT gateway of yours`,
    },
  ];
}

/** What AKS refuses in an outbound section, for its type. */
export function checkOutbound(spec: PlanSpec, problems: ProblemCollector): void {
  const outbound = spec.outbound;
  if (outbound === undefined) return;
  const allowed = FIELDS[outbound.type] ?? [];
  for (const field of TYPE_FIELDS) {
    if (outbound[field] !== undefined && !allowed.includes(field)) {
      problems.add(
        'FIELD_NOT_FOR_OUTBOUND_TYPE',
        `outbound.${field}`,
        `outbound.${field} does not apply to outbound type ${outbound.type}`,
      );
    }
  }
  const ips = outbound.type === 'loadBalancer' ? EGRESS.loadBalancerIps : EGRESS.natGatewayIps;
  const count = outbound.managedOutboundIps;
  if (count !== undefined && allowed.includes('managedOutboundIps') && (count < ips.min || count > ips.max)) {
    problems.add(
      'OUTBOUND_IPS_OUT_OF_RANGE',
      'outbound.managedOutboundIps',
      `${count} outbound IPs is outside ${ips.min}-${ips.max} for ${outbound.type}`,
    );
  }
  const ports = outbound.allocatedOutboundPorts;
  if (ports !== undefined && (ports % EGRESS.portGranularity !== 0 || ports > EGRESS.maxAllocatedPorts)) {
    problems.add(
      'OUTBOUND_PORTS_INVALID',
      'outbound.allocatedOutboundPorts',
      `allocatedOutboundPorts ${ports} must be 0 or a multiple of ${EGRESS.portGranularity} up to ${EGRESS.maxAllocatedPorts}`,
    );
  }
  const idle = outbound.idleTimeoutMinutes;
  const { min, max } = EGRESS.idleTimeout;
  if (idle !== undefined && (idle < min || idle > max)) {
    problems.add(
      'IDLE_TIMEOUT_OUT_OF_RANGE',
      'outbound.idleTimeoutMinutes',
      `idle timeout ${idle} minutes is outside ${min}-${max}`,
    );
  }
  checkRecordedAddresses(outbound, problems);
}

/** Recorded public and firewall addresses: IPv4 addresses, no more outbound IPs than the type has. */
function checkRecordedAddresses(outbound: OutboundSpec, problems: ProblemCollector): void {
  const ipv4 = (text: string, path: string): IpAddress | undefined => {
    const address = problems.address(text, path);
    if (address === undefined || address.family === 4) return address;
    problems.add('ADDRESS_FAMILY_NOT_SUPPORTED', path, `${address} is IPv6; this address must be IPv4`);
    return undefined;
  };
  const seen = new Set<string>();
  const publicIp = (text: string, path: string) => {
    const address = ipv4(text, path);
    if (address === undefined) return;
    const why = seen.has(address.toString())
      ? 'is listed twice'
      : NOT_PUBLIC.some((range) => range.contains(address))
        ? 'is not a public address (private, shared, loopback, link-local or multicast)'
        : undefined;
    seen.add(address.toString());
    if (why !== undefined) problems.add('PUBLIC_IP_INVALID', path, `${address} ${why}`);
  };
  for (const [i, text] of (outbound.publicIps ?? []).entries()) publicIp(text, `outbound.publicIps[${i}]`);
  if (outbound.firewallPublicIp !== undefined)
    publicIp(outbound.firewallPublicIp, 'outbound.firewallPublicIp');
  if (outbound.firewallPrivateIp !== undefined) {
    const address = ipv4(outbound.firewallPrivateIp, 'outbound.firewallPrivateIp');
    if (address !== undefined && NO_HOST.some((range) => range.contains(address))) {
      problems.add(
        'FIREWALL_IP_INVALID',
        'outbound.firewallPrivateIp',
        `${address} cannot be a firewall's address`,
      );
    }
  }
  const recorded = outbound.publicIps?.length ?? 0;
  const owned = outbound.managedOutboundIps ?? 0;
  // A type that takes no public IPs has its own problem for them (FIELD_NOT_FOR_OUTBOUND_TYPE).
  if (recorded > owned && (FIELDS[outbound.type] ?? []).includes('publicIps')) {
    problems.add(
      'OUTBOUND_PUBLIC_IPS_TOO_MANY',
      'outbound.publicIps',
      `${recorded} public IPs recorded, but the ${outbound.type} has ${owned} (managedOutboundIps)`,
    );
  }
}
