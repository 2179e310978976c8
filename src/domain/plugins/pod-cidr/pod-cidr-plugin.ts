import { aksVnetOf } from '../../design/aks-vnet.js';
import type { ParsedNetwork, PluginRanges } from '../../design/parsed-network.js';
import type { ProblemCollector } from '../../design/problems.js';
import type { PlanSpec } from '../../design/spec.js';
import { checkPodCidr } from './pod-cidr-rules.js';

/** AKS's default pod CIDR for kubenet and overlay. */
export const DEFAULT_POD_CIDR = '10.244.0.0/16';

/** Parses and checks the single-stack pod CIDR of a spec whose defaults are applied. */
export function validateSingleStackPodCidr(
  spec: PlanSpec,
  parsed: ParsedNetwork,
  problems: ProblemCollector,
): PluginRanges {
  const text = spec.network.podCidr;
  if (text === undefined) return {};
  const cidr = problems.cidr(text, 'network.podCidr');
  if (cidr === undefined) return {};
  if (cidr.family !== 4) {
    problems.add(
      'ADDRESS_FAMILY_NOT_SUPPORTED',
      'network.podCidr',
      `${cidr} is IPv6; a single-stack pod CIDR is IPv4`,
    );
    return { podCidrs: [cidr] };
  }
  const services = parsed.serviceCidr === undefined ? [] : [parsed.serviceCidr];
  checkPodCidr(cidr, 'network.podCidr', parsed, services, problems, aksVnetOf(spec));
  return { podCidrs: [cidr] };
}
