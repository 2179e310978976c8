import { AKS } from '../../aks-limits.js';
import { distinctSubnets, type NamedRange, type ParsedNetwork } from '../parsed-network.js';
import type { ProblemCollector } from '../problems.js';
import { checkAksForbidden, checkVnetAllowed } from './forbidden-ranges.js';

/** The VNet address space and the node subnets carved from it. */
export function checkVnetAndSubnets(parsed: ParsedNetwork, problems: ProblemCollector): void {
  checkVnet(parsed.vnet, problems);
  const subnets = distinctSubnets(parsed);
  for (const subnet of subnets) checkAzureSubnet(subnet, parsed.vnet, problems);
  reportOverlaps(subnets, 'SUBNETS_OVERLAP', problems);
}

function checkVnet(vnet: NamedRange[], problems: ProblemCollector): void {
  for (const range of vnet) {
    requireIpv4(range, problems);
    if (range.cidr.family === 4 && range.cidr.prefixLength < AKS.minVnetPrefixLength) {
      problems.add(
        'VNET_TOO_LARGE',
        range.path,
        `${range.cidr} is larger than the /${AKS.minVnetPrefixLength} an AKS virtual network may span`,
      );
    }
    checkAksForbidden(range.cidr, range.path, problems);
    checkVnetAllowed(range.cidr, range.path, problems);
  }
  reportOverlaps(vnet, 'VNET_RANGES_OVERLAP', problems);
}

/**
 * An Azure subnet: IPv4, /29 to /2 (and /8 at most without a VNet: it needs one that holds it),
 * inside the VNet when one is given, clear of reserved ranges.
 */
export function checkAzureSubnet(
  subnet: NamedRange,
  vnet: readonly NamedRange[],
  problems: ProblemCollector,
): void {
  if (!requireIpv4(subnet, problems)) return;
  const { min, max } = AKS.subnetPrefixRange;
  const length = subnet.cidr.prefixLength;
  if (length > max) {
    problems.add(
      'SUBNET_TOO_SMALL',
      subnet.path,
      `${subnet.cidr} is smaller than /${max}, the smallest Azure subnet`,
    );
  } else if (length < min) {
    problems.add(
      'SUBNET_TOO_LARGE',
      subnet.path,
      `${subnet.cidr} is larger than /${min}, the largest Azure subnet`,
    );
  } else if (vnet.length === 0 && length < AKS.minVnetPrefixLength) {
    // No VNet given: the subnet's own VNet must still hold it, and an AKS VNet spans a /8 at most.
    problems.add(
      'SUBNET_TOO_LARGE',
      subnet.path,
      `${subnet.cidr} is larger than the /${AKS.minVnetPrefixLength} an AKS virtual network may span, so no VNet of the cluster can hold it`,
    );
  }
  if (vnet.length > 0 && !vnet.some((range) => range.cidr.covers(subnet.cidr))) {
    problems.add(
      'SUBNET_OUTSIDE_VNET',
      subnet.path,
      `${subnet.cidr} is not inside the VNet address space ${vnet.map((r) => r.cidr).join(', ')}`,
    );
  }
  if (vnet.length === 0) {
    checkAksForbidden(subnet.cidr, subnet.path, problems);
    checkVnetAllowed(subnet.cidr, subnet.path, problems);
  }
}

/** Node subnets and VNet ranges are IPv4 in every single-stack design. */
function requireIpv4(range: NamedRange, problems: ProblemCollector): boolean {
  if (range.cidr.family === 4) return true;
  problems.add('ADDRESS_FAMILY_NOT_SUPPORTED', range.path, `${range.cidr} is IPv6; this range must be IPv4`);
  return false;
}

/**
 * Reports each pair of ranges that overlap, naming both sides. Equal subnets are one subnet that
 * pools share; an address space listed twice is refused, as Azure refuses a VNet that repeats a
 * prefix.
 */
export function reportOverlaps(
  ranges: NamedRange[],
  code: 'SUBNETS_OVERLAP' | 'VNET_RANGES_OVERLAP',
  problems: ProblemCollector,
): void {
  ranges.forEach((a, i) => {
    for (const b of ranges.slice(i + 1)) {
      if (!a.cidr.overlaps(b.cidr)) continue;
      if (!a.cidr.equals(b.cidr)) {
        problems.add(code, b.path, `${b.cidr} (${b.path}) overlaps ${a.cidr} (${a.path})`);
      } else if (code === 'VNET_RANGES_OVERLAP') {
        problems.add(code, b.path, `${b.cidr} (${b.path}) repeats ${a.path}`);
      }
    }
  });
}
