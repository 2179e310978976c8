import { AKS } from '../../aks-limits.js';
import {
  distinctSubnets,
  type NamedRange,
  type ParsedNetwork,
  type PluginRanges,
} from '../../design/parsed-network.js';
import type { ProblemCollector } from '../../design/problems.js';
import { checkAzureSubnet, reportOverlaps } from '../../design/rules/vnet-rules.js';
import type { PlanSpec } from '../../design/spec.js';
import type { Cidr } from '../../ip/index.js';

/**
 * Each pool's pod subnet, parsed (undefined where it is missing or does not parse), and the
 * distinct ones with the path that first names them.
 */
function parsePodSubnets(
  spec: PlanSpec,
  problems: ProblemCollector,
): { perPool: (Cidr | undefined)[]; distinct: NamedRange[] } {
  const cluster = spec.network.podSubnet;
  const clusterCidr = cluster === undefined ? undefined : problems.cidr(cluster, 'network.podSubnet');
  const distinct: NamedRange[] = [];
  const perPool = spec.nodePools.map((pool, i) => {
    if (pool.podSubnet === undefined && cluster === undefined) {
      problems.add(
        'POD_SUBNET_REQUIRED',
        `nodePools[${i}].podSubnet`,
        `pool "${pool.name}" needs a pod subnet: set network.podSubnet or the pool's podSubnet`,
      );
      return undefined;
    }
    const path = pool.podSubnet === undefined ? 'network.podSubnet' : `nodePools[${i}].podSubnet`;
    const cidr = pool.podSubnet === undefined ? clusterCidr : problems.cidr(pool.podSubnet, path);
    if (cidr !== undefined && !distinct.some((r) => r.cidr.equals(cidr))) distinct.push({ cidr, path });
    return cidr;
  });
  return { perPool, distinct };
}

/** Pod subnets are Azure subnets of the VNet, apart from every node subnet and the service CIDR. */
export function validatePodSubnets(
  spec: PlanSpec,
  parsed: ParsedNetwork,
  problems: ProblemCollector,
): PluginRanges {
  const { perPool, distinct: podSubnets } = parsePodSubnets(spec, problems);
  const nodeSubnets = distinctSubnets(parsed);
  for (const pod of podSubnets) {
    checkAzureSubnet(pod, parsed.vnet, problems);
    for (const node of nodeSubnets) {
      if (pod.cidr.overlaps(node.cidr)) {
        problems.add(
          'POD_SUBNET_OVERLAPS_NODE_SUBNET',
          pod.path,
          `${pod.cidr} overlaps the node subnet ${node.cidr} (${node.path}); pods need a subnet of their own`,
        );
      }
    }
    if (parsed.serviceCidr !== undefined && pod.cidr.overlaps(parsed.serviceCidr)) {
      problems.add(
        'SERVICE_CIDR_OVERLAPS_POD_SUBNET',
        'network.serviceCidr',
        `${parsed.serviceCidr} overlaps the pod subnet ${pod.cidr} (${pod.path})`,
      );
    }
    const tooLarge = pod.cidr.prefixLength < AKS.minStaticPodSubnetPrefixLength;
    if (spec.network.podIpAllocation === 'static-block' && tooLarge) {
      problems.add(
        'POD_SUBNET_TOO_LARGE',
        pod.path,
        `${pod.cidr} is larger than /${AKS.minStaticPodSubnetPrefixLength}, the largest pod subnet static block allocation supports`,
      );
    }
  }
  reportOverlaps(podSubnets, 'SUBNETS_OVERLAP', problems);
  return { podSubnets: perPool };
}
