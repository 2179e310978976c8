import { AZURE_SUBNET } from '../aks-limits.js';
import { PLATFORM_ROLE_RULES } from '../design/platform-roles.js';
import { type HolderRole, type ResolvedPlan, reservationHolder } from '../design/resolved-plan.js';
import type { PlanSpec } from '../design/spec.js';
import type { Warning } from '../design/warning.js';
import { Cidr } from '../ip/index.js';

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
  const { privateEndpoints, internalLoadBalancers } = plan.spec.reservations;
  warnings.push(
    ...holderFull(
      plan,
      'private-endpoints',
      privateEndpoints,
      'private endpoints',
      'PRIVATE_ENDPOINTS_SUBNET_FULL',
    ),
    ...holderFull(
      plan,
      'internal-load-balancers',
      internalLoadBalancers,
      'internal load balancer frontends',
      'INTERNAL_LOAD_BALANCERS_SUBNET_FULL',
    ),
  );
  return warnings;
}

/** The first subnet of a role with a CIDR, when it holds fewer usable addresses than it must. */
function holderFull(
  plan: ResolvedPlan,
  role: HolderRole,
  wanted: number,
  what: string,
  code: Warning['code'],
): Warning[] {
  const holder = reservationHolder(plan, role);
  if (holder === undefined) return [];
  const usable = Number(holder.cidr.size) - AZURE_SUBNET.reserved;
  if (wanted <= usable) return [];
  return [
    {
      code,
      message: `${wanted} ${what} do not fit ${holder.name} (${holder.cidr}): ${usable} usable addresses`,
    },
  ];
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
