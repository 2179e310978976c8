import { aksVnetOf } from '../../design/aks-vnet.js';
import type { DefaultsRecorder } from '../../design/defaults-recorder.js';
import { ipv4Entry } from '../../design/network-lists.js';
import type { ParsedNetwork, PluginRanges } from '../../design/parsed-network.js';
import type { ProblemCollector } from '../../design/problems.js';
import { checkUnicastRange } from '../../design/rules/forbidden-ranges.js';
import type { IpFamilyName, NetworkInput, NetworkSpec, PlanSpec } from '../../design/spec.js';
import type { Cidr } from '../../ip/index.js';
import { DEFAULT_POD_CIDR, validateSingleStackPodCidr } from '../pod-cidr/pod-cidr-plugin.js';
import { checkPodCidr } from '../pod-cidr/pod-cidr-rules.js';

export const DEFAULT_IPV6_POD_CIDR = 'fd12:3456:789a::/64';
export const DEFAULT_IPV6_SERVICE_CIDR = 'fd12:3456:789a:1::/108';
/** An IPv6 service CIDR may be no larger than a /108. */
export const MIN_IPV6_SERVICE_PREFIX = 108;

export function isDualStack(network: NetworkInput): boolean {
  return network.ipFamilies?.includes('ipv6') ?? false;
}

/** ipFamilies, and with IPv6 the pod and service CIDR pairs, IPv4 entries matching the singular fields. */
export function applyOverlayNetworkDefaults(
  spec: PlanSpec,
  recorder: DefaultsRecorder,
): Partial<NetworkSpec> {
  const network = spec.network;
  const ipFamilies = recorder.take<IpFamilyName[]>('network.ipFamilies', network.ipFamilies, ['ipv4']);
  const podCidr = recorder.take(
    'network.podCidr',
    network.podCidr,
    ipv4Entry(network.podCidrs) ?? DEFAULT_POD_CIDR,
  );
  if (!isDualStack({ ipFamilies })) return { ipFamilies, podCidr };
  return {
    ipFamilies,
    podCidr,
    podCidrs: recorder.take('network.podCidrs', network.podCidrs, [podCidr, DEFAULT_IPV6_POD_CIDR]),
    serviceCidrs: recorder.take('network.serviceCidrs', network.serviceCidrs, [
      network.serviceCidr,
      DEFAULT_IPV6_SERVICE_CIDR,
    ]),
  };
}

/** Single-stack IPv4, or dual-stack IPv4 + IPv6; IPv6-only is not supported. */
export function validateOverlayNetwork(
  spec: PlanSpec,
  parsed: ParsedNetwork,
  problems: ProblemCollector,
): PluginRanges {
  const network = spec.network;
  const families = network.ipFamilies ?? ['ipv4'];
  if (!families.includes('ipv4')) {
    problems.add(
      'IPV6_ONLY_NOT_SUPPORTED',
      'network.ipFamilies',
      'AKS does not support IPv6-only clusters; use ["ipv4", "ipv6"] for dual-stack',
    );
    return {};
  }
  if (new Set(families).size !== families.length) {
    problems.add('IP_FAMILIES_INVALID', 'network.ipFamilies', 'each IP family may be named once');
  } else if (families[0] !== 'ipv4') {
    // AKS takes ["ipv4"] or ["ipv4", "ipv6"]; podCidrs and serviceCidrs pair up in that order.
    problems.add(
      'IP_FAMILIES_INVALID',
      'network.ipFamilies',
      'ipFamilies must be ["ipv4"] or ["ipv4", "ipv6"], IPv4 first, the order of podCidrs and serviceCidrs',
    );
  }
  if (!isDualStack(network)) {
    for (const field of ['podCidrs', 'serviceCidrs'] as const) {
      if (network[field] !== undefined) {
        problems.add(
          'FIELD_NEEDS_DUAL_STACK',
          `network.${field}`,
          `network.${field} needs ipFamilies ["ipv4", "ipv6"]`,
        );
      }
    }
    return validateSingleStackPodCidr(spec, parsed, problems);
  }
  const services = parsePair(
    network.serviceCidrs,
    network.serviceCidr,
    'serviceCidrs',
    'serviceCidr',
    problems,
  );
  const ipv6Service = services?.[1];
  if (ipv6Service !== undefined) checkUnicastRange(ipv6Service, 'network.serviceCidrs[1]', problems);
  if (ipv6Service !== undefined && ipv6Service.prefixLength < MIN_IPV6_SERVICE_PREFIX) {
    problems.add(
      'SERVICE_CIDR_TOO_LARGE',
      'network.serviceCidrs[1]',
      `${ipv6Service} is larger than /${MIN_IPV6_SERVICE_PREFIX}, the largest IPv6 service CIDR AKS accepts`,
    );
  }
  if (ipv6Service?.prefixLength === 128) {
    problems.add(
      'SERVICE_CIDR_TOO_SMALL',
      'network.serviceCidrs[1]',
      `${ipv6Service} is a single address, its network address, which Kubernetes never assigns: no service could get an IPv6 address`,
    );
  }
  const pods = parsePair(network.podCidrs, network.podCidr, 'podCidrs', 'podCidr', problems);
  const aksVnet = aksVnetOf(spec);
  pods?.forEach((cidr, i) => {
    checkPodCidr(cidr, `network.podCidrs[${i}]`, parsed, services ?? [], problems, aksVnet);
  });
  return {
    ...(pods === undefined ? {} : { podCidrs: pods }),
    ...(services === undefined ? {} : { serviceCidrs: services }),
  };
}

/**
 * A dual-stack pair: one IPv4 and one IPv6 CIDR, IPv4 first, the IPv4 one equal to the
 * single-stack field. Returns the parsed pair, or undefined after reporting what is wrong.
 */
function parsePair(
  list: readonly string[] | undefined,
  single: string | undefined,
  field: string,
  singleField: string,
  problems: ProblemCollector,
): [Cidr, Cidr] | undefined {
  const parsed = (list ?? []).map((text, i) => problems.cidr(text, `network.${field}[${i}]`));
  if (parsed.includes(undefined)) return undefined;
  const [v4, v6] = parsed as Cidr[];
  if (parsed.length !== 2 || v4?.family !== 4 || v6?.family !== 6) {
    problems.add(
      'DUAL_STACK_PAIR_INVALID',
      `network.${field}`,
      `network.${field} must hold one IPv4 and then one IPv6 CIDR`,
    );
    return undefined;
  }
  if (single !== undefined && single !== v4.toString()) {
    problems.add(
      'DUAL_STACK_PAIR_MISMATCH',
      `network.${field}[0]`,
      `network.${field}[0] ${v4} differs from network.${singleField} ${single}`,
    );
  }
  return [v4, v6];
}
