import type { ParsedPlatformSubnet } from '../design/parsed-network.js';
import type { PlacedPlatformSubnet } from '../design/resolved-plan.js';
import type { Cidr } from '../ip/index.js';
import { placeSubnets } from './placement.js';

/**
 * The platform subnets with their CIDRs: given ones as given, the others placed in the VNet
 * clear of the cluster's subnets and the given ones (null where there is no room, or no VNet).
 */
export function placePlatformSubnets(
  subnets: readonly ParsedPlatformSubnet[],
  vnet: readonly Cidr[],
  clusterSubnets: readonly Cidr[],
): PlacedPlatformSubnet[] {
  const given = subnets.flatMap((s) => (s.cidr === undefined ? [] : [s.cidr]));
  const toPlace = subnets.filter((s) => s.cidr === undefined && s.prefixLength !== undefined);
  const placed = placeSubnets(
    vnet,
    [...clusterSubnets, ...given],
    toPlace.map((s) => s.prefixLength as number),
  );
  return subnets.map((subnet) => {
    const { role, name } = subnet;
    if (subnet.cidr !== undefined) {
      return { role, name, prefixLength: subnet.cidr.prefixLength, cidr: subnet.cidr, placed: false };
    }
    const at = toPlace.indexOf(subnet);
    return { role, name, prefixLength: subnet.prefixLength ?? null, cidr: placed[at] ?? null, placed: true };
  });
}
