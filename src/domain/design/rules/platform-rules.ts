import { AKS, AZURE_SUBNET } from '../../aks-limits.js';
import { type Cidr, IpAddress } from '../../ip/index.js';
import type { NamedRange, ParsedPlatformSubnet } from '../parsed-network.js';
import { FIXED_SUBNET_NAMES, PLATFORM_ROLE_RULES } from '../platform-roles.js';
import type { ProblemCollector } from '../problems.js';
import type { PlatformSubnetSpec } from '../spec.js';
import { checkAzureSubnet } from './vnet-rules.js';

/** A pod or service CIDR of the cluster: addresses its own network routes, not Azure's. */
export interface ClusterRange {
  readonly cidr: Cidr;
  readonly what: 'pod CIDR' | 'service CIDR';
}

/** Azure subnet names: 1-80 letters, digits, '.', '-', '_'; a letter or digit first; no '.' or '-' last. */
const SUBNET_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,78}[A-Za-z0-9_])?$/;

/**
 * Every platform subnet checked as Azure checks a subnet (inside the VNet, clear of reserved
 * ranges, no overlap with another subnet of the design), plus its role's name and size rules.
 * `aksSubnets`: the cluster's node and pod subnets, which platform subnets may not overlap.
 */
export function checkPlatformSubnets(
  subnets: readonly PlatformSubnetSpec[],
  vnet: readonly NamedRange[],
  aksSubnets: readonly NamedRange[],
  /** The cluster's pod and service CIDRs: a subnet inside them would be unreachable from its pods. */
  clusterRanges: readonly ClusterRange[],
  problems: ProblemCollector,
): ParsedPlatformSubnet[] {
  const names = new Map<string, string>();
  const parsed = subnets.map((subnet, i) => {
    const path = `platformSubnets[${i}]`;
    checkName(subnet, path, names, problems);
    const cidr = subnet.cidr === undefined ? undefined : problems.cidr(subnet.cidr, `${path}.cidr`);
    if (cidr !== undefined) checkAzureSubnet({ cidr, path: `${path}.cidr` }, vnet, problems);
    const prefixLength = checkSize(subnet, cidr, path, problems);
    return { role: subnet.role, name: subnet.name, path, cidr, prefixLength };
  });
  const explicit = parsed.flatMap((s) =>
    s.cidr === undefined ? [] : [{ cidr: s.cidr, path: `${s.path}.cidr` }],
  );
  reportOverlapsWith(explicit, aksSubnets, problems);
  for (const subnet of explicit) {
    for (const range of clusterRanges) {
      if (!subnet.cidr.overlaps(range.cidr)) continue;
      problems.add(
        'PLATFORM_SUBNET_OVERLAPS_CLUSTER_RANGE',
        subnet.path,
        `${subnet.cidr} (${subnet.path}) overlaps the ${range.what} ${range.cidr}: the cluster routes those addresses to its ${range.what === 'service CIDR' ? 'services' : 'pods'}`,
      );
    }
  }
  return parsed;
}

/**
 * Each platform subnet that overlaps a cluster subnet or an earlier platform subnet, once per
 * pair (the cluster's own subnets are checked against each other elsewhere). Two subnets with
 * the same CIDR are two subnets too: a VNet holds each range once.
 */
function reportOverlapsWith(
  platform: readonly NamedRange[],
  aksSubnets: readonly NamedRange[],
  problems: ProblemCollector,
): void {
  platform.forEach((subnet, i) => {
    for (const other of [...aksSubnets, ...platform.slice(0, i)]) {
      if (!subnet.cidr.overlaps(other.cidr)) continue;
      problems.add(
        'SUBNETS_OVERLAP',
        subnet.path,
        `${subnet.cidr} (${subnet.path}) overlaps ${other.cidr} (${other.path})`,
      );
    }
  });
}

function checkName(
  subnet: PlatformSubnetSpec,
  path: string,
  seen: Map<string, string>,
  problems: ProblemCollector,
): void {
  const fixed = PLATFORM_ROLE_RULES[subnet.role].fixedName;
  const lower = subnet.name.toLowerCase();
  if (fixed !== undefined && subnet.name !== fixed) {
    problems.add(
      'PLATFORM_SUBNET_NAME_FIXED',
      `${path}.name`,
      `a ${subnet.role} subnet must be named ${fixed}, as Azure requires, not "${subnet.name}"`,
    );
  } else if (fixed === undefined && [...FIXED_SUBNET_NAMES].some((name) => name.toLowerCase() === lower)) {
    problems.add(
      'PLATFORM_SUBNET_NAME_FIXED',
      `${path}.name`,
      `${subnet.name} is the name Azure keeps for another role's subnet; name this ${subnet.role} subnet otherwise`,
    );
  } else if (!SUBNET_NAME.test(subnet.name)) {
    problems.add(
      'PLATFORM_SUBNET_NAME_INVALID',
      `${path}.name`,
      `"${subnet.name.slice(0, 90)}" is not an Azure subnet name: 1-80 letters, digits, '.', '-' or '_', starting with a letter or digit and not ending with '.' or '-'`,
    );
  }
  const other = seen.get(subnet.name.toLowerCase());
  if (other !== undefined) {
    problems.add(
      'PLATFORM_SUBNET_NAME_TAKEN',
      `${path}.name`,
      `${other} is already named ${subnet.name}: subnet names are unique in a VNet`,
    );
  } else seen.set(subnet.name.toLowerCase(), path);
}

/** The subnet's prefix length (its CIDR's, else the size given), checked against its role's smallest. */
function checkSize(
  subnet: PlatformSubnetSpec,
  cidr: Cidr | undefined,
  path: string,
  problems: ProblemCollector,
): number | undefined {
  const rule = PLATFORM_ROLE_RULES[subnet.role];
  if (subnet.cidr !== undefined && subnet.prefixLength !== undefined) {
    if (cidr !== undefined && cidr.prefixLength !== subnet.prefixLength) {
      problems.add(
        'PLATFORM_SUBNET_SIZE_MISMATCH',
        `${path}.prefixLength`,
        `prefixLength ${subnet.prefixLength} disagrees with the CIDR ${cidr}: give one of them`,
      );
    }
  }
  if (cidr?.family === 6) return undefined; // refused as IPv6 already: no size to judge
  const length = cidr?.prefixLength ?? subnet.prefixLength;
  if (length === undefined) {
    if (subnet.cidr === undefined) {
      problems.add(
        'PLATFORM_SUBNET_SIZE_REQUIRED',
        `${path}.prefixLength`,
        `a subnet of role ${subnet.role} needs a cidr or a prefixLength`,
      );
    }
    return undefined;
  }
  const where = cidr === undefined ? `${path}.prefixLength` : `${path}.cidr`;
  if (cidr === undefined && (length < AKS.subnetPrefixRange.min || !Number.isInteger(length))) {
    problems.add(
      'SUBNET_TOO_LARGE',
      where,
      `/${length} is larger than /${AKS.subnetPrefixRange.min}, the largest Azure subnet`,
    );
  } else if (length > rule.smallest) {
    problems.add(
      'PLATFORM_SUBNET_TOO_SMALL',
      where,
      `a ${subnet.role} subnet must be at least a /${rule.smallest}; /${length} was given`,
    );
  }
  return length;
}

/**
 * A firewall IP must lie outside the cluster's own ranges: the route table on the cluster's
 * subnets sends 0.0.0.0/0 to it, so an appliance inside them would route its own traffic to
 * itself, and pod and service CIDRs hold no Azure address at all. Given inside the design's
 * AzureFirewallSubnet, it must be one of that subnet's usable addresses.
 */
export function checkFirewallIp(
  text: string | undefined,
  platform: readonly ParsedPlatformSubnet[],
  cluster: { subnets: readonly NamedRange[]; ranges: readonly ClusterRange[] },
  problems: ProblemCollector,
): void {
  const address = text === undefined ? undefined : IpAddress.tryParse(text);
  if (address === undefined) return;
  const inCluster = clusterRangeHolding(address, cluster);
  if (inCluster !== undefined) {
    problems.add('FIREWALL_IP_INVALID', 'outbound.firewallPrivateIp', `${address} is inside ${inCluster}`);
    return;
  }
  // In any subnet of the design (an appliance may sit beside other resources), never on an
  // address Azure keeps for itself: no VM can hold it, and the route would lead nowhere.
  const holding = platform.find((s) => s.cidr?.contains(address));
  const subnet = holding?.cidr;
  if (holding === undefined || subnet === undefined) return;
  const offset = Number(subnet.offsetOf(address) ?? 0n);
  if (offset >= AZURE_SUBNET.leadingReserved && offset < Number(subnet.size) - AZURE_SUBNET.trailingReserved)
    return;
  const first = subnet.at(AZURE_SUBNET.leadingReserved);
  problems.add(
    'FIREWALL_IP_INVALID',
    'outbound.firewallPrivateIp',
    `${address} is one of the addresses Azure reserves in ${subnet}: ${holding.role === 'azure-firewall' ? `the firewall takes ${first}` : `its first usable address is ${first}`}`,
  );
}

/** Which of the cluster's ranges holds `address`, in words, or undefined. */
function clusterRangeHolding(
  address: IpAddress,
  { subnets, ranges }: { subnets: readonly NamedRange[]; ranges: readonly ClusterRange[] },
): string | undefined {
  const subnet = subnets.find((s) => s.cidr.contains(address));
  if (subnet !== undefined) {
    return `the cluster's subnet ${subnet.cidr} (${subnet.path}), whose route table sends 0.0.0.0/0 to the firewall: an appliance there would route its own traffic to itself`;
  }
  const range = ranges.find((r) => r.cidr.contains(address));
  return range === undefined ? undefined : `the ${range.what} ${range.cidr}, which holds no Azure address`;
}
