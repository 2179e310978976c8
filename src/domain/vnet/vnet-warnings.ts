import { AZURE_SUBNET } from '../aks-limits.js';
import { PLATFORM_ROLE_RULES } from '../design/platform-roles.js';
import type { ResolvedPlan } from '../design/resolved-plan.js';
import type { PlanSpec } from '../design/spec.js';
import type { Warning } from '../design/warning.js';
import { Cidr } from '../ip/index.js';

/**
 * What only the laid-out VNet shows: a firewall subnet that found no room (the default route
 * then has no next hop), and a private-endpoints subnet too small for the endpoints it holds.
 */
export function placementWarnings(plan: ResolvedPlan): Warning[] {
  const warnings: Warning[] = [];
  const firewall = plan.platformSubnets.find((s) => s.role === 'azure-firewall');
  const outbound = plan.spec.outbound;
  if (
    outbound?.type === 'userDefinedRouting' &&
    outbound.firewallPrivateIp === undefined &&
    firewall !== undefined &&
    firewall.cidr === null
  ) {
    warnings.push({
      code: 'UDR_NO_NEXT_HOP',
      message: `userDefinedRouting sends egress to the firewall, but ${firewall.name} has no CIDR (no room in the VNet, or no VNet to place it in): the default route has no next hop`,
    });
  }
  const endpoints = plan.platformSubnets.find((s) => s.role === 'private-endpoints' && s.cidr !== null);
  const wanted = plan.spec.reservations.privateEndpoints;
  const usable =
    endpoints?.cidr === null || endpoints === undefined
      ? undefined
      : Number(endpoints.cidr.size) - AZURE_SUBNET.reserved;
  if (usable !== undefined && wanted > usable) {
    warnings.push({
      code: 'PRIVATE_ENDPOINTS_SUBNET_FULL',
      message: `${wanted} private endpoints do not fit ${endpoints?.name} (${endpoints?.cidr}): ${usable} usable addresses`,
    });
  }
  return warnings;
}

/** Platform subnets Azure accepts but smaller than its documentation recommends. */
export function platformSubnetWarnings(spec: PlanSpec): Warning[] {
  return (spec.platformSubnets ?? []).flatMap((subnet, i): Warning[] => {
    const recommended = PLATFORM_ROLE_RULES[subnet.role]?.recommended;
    const length = subnet.cidr === undefined ? subnet.prefixLength : Cidr.tryParse(subnet.cidr)?.prefixLength;
    if (recommended === undefined || length === undefined || length <= recommended) return [];
    return [
      {
        code: 'PLATFORM_SUBNET_BELOW_RECOMMENDED',
        message: `platformSubnets[${i}] (${subnet.name}) is a /${length}; Azure recommends at least a /${recommended} for a ${subnet.role} subnet`,
      },
    ];
  });
}
