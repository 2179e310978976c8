import { PLATFORM_ROLE_RULES } from '../design/platform-roles.js';
import type { ResolvedPlan } from '../design/resolved-plan.js';
import type { PlanSpec } from '../design/spec.js';
import type { Warning } from '../design/warning.js';
import { Cidr } from '../ip/index.js';
import { heldReservations } from './reservation-holders.js';

/**
 * What only the laid-out VNet shows: a firewall subnet that found no room (the default route
 * then has no next hop), and a private-endpoints or internal-load-balancers subnet too small for
 * the reservations it holds.
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
  for (const { subnet, count, usable, many, full } of heldReservations(plan)) {
    if (count > usable)
      warnings.push({
        code: full,
        message: `${count} ${many} do not fit ${subnet.name} (${subnet.cidr}): ${usable} usable addresses`,
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
