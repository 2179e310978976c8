import { PLATFORM_ROLE_RULES } from '../design/platform-roles.js';
import type { PlanSpec } from '../design/spec.js';
import type { Warning } from '../design/warning.js';
import { Cidr } from '../ip/index.js';

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
