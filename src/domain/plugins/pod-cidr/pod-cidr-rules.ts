import { distinctSubnets, type ParsedNetwork } from '../../design/parsed-network.js';
import type { ProblemCollector } from '../../design/problems.js';
import { checkAksForbidden, checkUnicastRange } from '../../design/rules/forbidden-ranges.js';
import type { Cidr } from '../../ip/index.js';
import { PER_NODE_PREFIX } from './pod-cidr-cluster-layout.js';

/**
 * A private pod CIDR (kubenet, overlay): large enough for one node block, outside the VNet
 * (all of it, or the node subnets when no VNet is given; all of the VNet AKS creates, `aksVnet`,
 * for a design in it), the service CIDR and AKS's ranges.
 */
export function checkPodCidr(
  cidr: Cidr,
  path: string,
  parsed: ParsedNetwork,
  serviceCidrs: readonly Cidr[],
  problems: ProblemCollector,
  aksVnet?: Cidr,
): void {
  const perNode = PER_NODE_PREFIX[cidr.family];
  if (cidr.prefixLength > perNode) {
    problems.add(
      'POD_CIDR_TOO_SMALL',
      path,
      `${cidr} is smaller than the /${perNode} every node takes from it`,
    );
  }
  if (cidr.family === 4) checkAksForbidden(cidr, path, problems);
  checkUnicastRange(cidr, path, problems);
  for (const range of parsed.vnet) {
    if (cidr.overlaps(range.cidr)) {
      problems.add(
        'POD_CIDR_OVERLAPS_VNET',
        path,
        `${cidr} overlaps the VNet address space ${range.cidr} (${range.path})`,
      );
    }
  }
  if (parsed.vnet.length === 0) {
    const subnets = distinctSubnets(parsed).filter((subnet) => cidr.overlaps(subnet.cidr));
    for (const subnet of subnets) {
      problems.add(
        'POD_CIDR_OVERLAPS_NODE_SUBNET',
        path,
        `${cidr} overlaps the node subnet ${subnet.cidr} (${subnet.path})`,
      );
    }
    if (subnets.length === 0 && aksVnet !== undefined && cidr.overlaps(aksVnet)) {
      problems.add(
        'POD_CIDR_OVERLAPS_VNET',
        path,
        `${cidr} overlaps ${aksVnet}, the address space of the VNet AKS creates for a cluster that names no VNet of its own`,
      );
    }
  }
  for (const service of serviceCidrs) {
    if (cidr.overlaps(service)) {
      problems.add('POD_CIDR_OVERLAPS_SERVICE_CIDR', path, `${cidr} overlaps the service CIDR ${service}`);
    }
  }
}
