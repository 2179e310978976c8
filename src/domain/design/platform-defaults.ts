import type { DefaultsRecorder } from './defaults-recorder.js';
import { defaultSubnetName, PLATFORM_ROLE_RULES } from './platform-roles.js';
import type { IngressInput, PlatformSubnetInput, PlatformSubnetSpec } from './spec.js';

/**
 * Names and sizes for the platform subnets that lack them. A role with a fixed Azure name
 * gets it; others get their role's name, then `role-2`, `role-3` for further unnamed ones. A
 * subnet with neither a CIDR nor a size gets its role's default size (`other` has none).
 */
export function platformSubnetDefaults(
  given: readonly PlatformSubnetInput[],
  recorder: DefaultsRecorder,
): PlatformSubnetSpec[] {
  const unnamed = new Map<string, number>();
  return given.map((subnet, i) => {
    const at = `platformSubnets[${i}]`;
    const rule = PLATFORM_ROLE_RULES[subnet.role];
    let name = subnet.name;
    if (name === undefined) {
      const seen = (unnamed.get(subnet.role) ?? 0) + 1;
      unnamed.set(subnet.role, seen);
      const base = defaultSubnetName(subnet.role);
      name = recorder.take(`${at}.name`, undefined, seen === 1 || rule.fixedName ? base : `${base}-${seen}`);
    }
    const sized =
      subnet.cidr !== undefined || subnet.prefixLength !== undefined || rule.default === undefined;
    return sized
      ? { ...subnet, name }
      : { ...subnet, name, prefixLength: recorder.take(`${at}.prefixLength`, undefined, rule.default) };
  });
}

export function ingressDefaults(given: IngressInput, recorder: DefaultsRecorder): Required<IngressInput> {
  return { ...given, publicIps: recorder.take('ingress.publicIps', given.publicIps, 0) };
}
