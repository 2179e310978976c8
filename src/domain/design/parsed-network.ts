import type { Cidr, IpAddress } from '../ip/index.js';
import type { PlatformRole } from './platform-roles.js';
import type { ProblemCollector } from './problems.js';
import type { PlanSpec } from './spec.js';

/** A node subnet and where the design names it. */
export interface NamedRange {
  readonly cidr: Cidr;
  readonly path: string;
}

/** The design's addresses as values; undefined where the text did not parse (already reported). */
export interface ParsedNetwork {
  readonly vnet: NamedRange[];
  readonly serviceCidr: Cidr | undefined;
  readonly dnsServiceIp: IpAddress | undefined;
  /** Each pool's node subnet, in pool order: its own, else the cluster's. */
  readonly poolSubnets: (NamedRange | undefined)[];
}

export function parseNetwork(spec: PlanSpec, problems: ProblemCollector): ParsedNetwork {
  const { network } = spec;
  const vnet = (network.vnetAddressSpace ?? []).flatMap((text, i) => {
    const path = `network.vnetAddressSpace[${i}]`;
    const cidr = problems.cidr(text, path);
    return cidr === undefined ? [] : [{ cidr, path }];
  });
  const clusterSubnet =
    network.nodeSubnet === undefined ? undefined : problems.cidr(network.nodeSubnet, 'network.nodeSubnet');
  const poolSubnets = spec.nodePools.map((pool, i): NamedRange | undefined => {
    if (pool.nodeSubnet === undefined) {
      return clusterSubnet && { cidr: clusterSubnet, path: 'network.nodeSubnet' };
    }
    const path = `nodePools[${i}].nodeSubnet`;
    const cidr = problems.cidr(pool.nodeSubnet, path);
    return cidr && { cidr, path };
  });
  const serviceCidr = problems.cidr(network.serviceCidr, 'network.serviceCidr');
  const dnsServiceIp =
    network.dnsServiceIp === undefined
      ? undefined
      : problems.address(network.dnsServiceIp, 'network.dnsServiceIp');
  return { vnet, serviceCidr, dnsServiceIp, poolSubnets };
}

/**
 * Ranges a plugin parses from its own fields while it checks them, so that layouts use the
 * values validation produced instead of parsing the text again.
 */
export interface PluginRanges {
  /** kubenet and overlay: the pod CIDRs, IPv4 first. */
  readonly podCidrs?: readonly Cidr[];
  /** The pod subnet plugin: each pool's pod subnet (its own, else the cluster's), in pool order. */
  readonly podSubnets?: readonly (Cidr | undefined)[];
  /** Dual-stack: both service CIDRs, IPv4 first. */
  readonly serviceCidrs?: readonly Cidr[];
}

/** A platform subnet as validation read it: its CIDR when one was given, else the size to place. */
export interface ParsedPlatformSubnet {
  readonly role: PlatformRole;
  readonly name: string;
  readonly path: string;
  readonly cidr: Cidr | undefined;
  readonly prefixLength: number | undefined;
}

/** Everything validation parsed: the common network, the plugin's own ranges and the platform subnets. */
export type ParsedDesign = ParsedNetwork &
  PluginRanges & { readonly platform?: readonly ParsedPlatformSubnet[] };

/** The distinct node subnets of a design, each once, in first-use order. */
export function distinctSubnets(parsed: ParsedNetwork): NamedRange[] {
  const seen: NamedRange[] = [];
  for (const subnet of parsed.poolSubnets) {
    if (subnet !== undefined && !seen.some((s) => s.cidr.equals(subnet.cidr))) seen.push(subnet);
  }
  return seen;
}
