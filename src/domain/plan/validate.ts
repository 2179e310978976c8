import { AKS } from '../aks-limits.js';
import {
  distinctSubnets,
  type NamedRange,
  type ParsedDesign,
  type PluginRanges,
  parseNetwork,
} from '../design/parsed-network.js';
import { ProblemCollector } from '../design/problems.js';
import { checkFirewallIp, checkPlatformSubnets } from '../design/rules/platform-rules.js';
import { checkVnetAndSubnets } from '../design/rules/vnet-rules.js';
import type { PlanSpec } from '../design/spec.js';
import { checkOutbound } from '../egress/outbound-rules.js';
import type { Problem } from '../errors.js';
import type { PluginModel } from '../plugins/plugin-model.js';
import { checkDockerBridge } from './rules/docker-bridge-rule.js';
import { checkGatewayPools } from './rules/gateway-pool-rules.js';
import { checkNames } from './rules/name-rules.js';
import { checkPluginFields } from './rules/plugin-field-rules.js';
import { checkPools } from './rules/pool-rules.js';
import { checkServiceNetwork } from './rules/service-rules.js';

/**
 * Every problem AKS would refuse in a design, all at once, and every range and address of the
 * design as values: layouts use them, so that nothing is parsed twice.
 */
export function validateSpec(
  spec: PlanSpec,
  model: PluginModel,
  pending: ReadonlySet<string> = new Set(),
): { problems: Problem[]; parsed: ParsedDesign } {
  const problems = new ProblemCollector(pending);
  checkNames(spec, problems);
  checkPools(spec, problems);
  checkGatewayPools(spec, problems);
  checkPluginFields(spec, model, problems);
  const parsed = parseNetwork(spec, problems);
  checkDockerBridge(spec.network.dockerBridgeCidr, problems);
  if (spec.network.dnsServiceIp === undefined && parsed.serviceCidr !== undefined) {
    problems.add(
      'DNS_SERVICE_IP_REQUIRED',
      'network.dnsServiceIp',
      'a DNS service IP inside the service CIDR is required',
    );
  }
  // Past the pool limit the design is refused for that: the subnet rules below compare pools'
  // subnets pairwise, and the schema takes up to 1,000 pools.
  if (spec.nodePools.length > AKS.maxNodePools) return { problems: problems.problems, parsed };
  checkVnetAndSubnets(parsed, problems);
  checkServiceNetwork(parsed, problems);
  const own = model.validate(spec, parsed, problems);
  checkOutbound(spec, problems);
  const aksSubnets = [...distinctSubnets(parsed), ...podSubnetRanges(spec, own)];
  const clusterRanges = [
    ...(own.podCidrs ?? []).map((cidr) => ({ cidr, what: 'pod CIDR' as const })),
    ...(own.serviceCidrs ?? (parsed.serviceCidr === undefined ? [] : [parsed.serviceCidr])).map((cidr) => ({
      cidr,
      what: 'service CIDR' as const,
    })),
  ];
  const platform = checkPlatformSubnets(
    spec.platformSubnets ?? [],
    parsed.vnet,
    aksSubnets,
    clusterRanges,
    problems,
  );
  const cluster = { subnets: aksSubnets, ranges: clusterRanges };
  // Only userDefinedRouting takes a firewall IP: for another type the field itself is the problem.
  if (spec.outbound?.type === 'userDefinedRouting')
    checkFirewallIp(spec.outbound.firewallPrivateIp, platform, cluster, problems);
  return { problems: problems.problems, parsed: { ...parsed, ...own, platform } };
}

/** The pod subnets of the pod-subnet plugin, each once, named where the design gives them. */
function podSubnetRanges(spec: PlanSpec, own: PluginRanges): NamedRange[] {
  const ranges: NamedRange[] = [];
  (own.podSubnets ?? []).forEach((cidr, i) => {
    if (cidr === undefined || ranges.some((r) => r.cidr.equals(cidr))) return;
    const path =
      spec.nodePools[i]?.podSubnet === undefined ? 'network.podSubnet' : `nodePools[${i}].podSubnet`;
    ranges.push({ cidr, path });
  });
  return ranges;
}
