import { withCanonicalAddresses } from '../design/canonical-addresses.js';
import { DefaultsRecorder } from '../design/defaults-recorder.js';
import type { ParsedDesign } from '../design/parsed-network.js';
import { poolSize } from '../design/pool-size.js';
import type { ResolvedPlan } from '../design/resolved-plan.js';
import type { PlanInput, PlanSpec } from '../design/spec.js';
import type { Warning } from '../design/warning.js';
import { outboundSubnetProblems } from '../egress/outbound-rules.js';
import { invalidInput, type Problem } from '../errors.js';
import type { PluginModel } from '../plugins/plugin-model.js';
import { pluginModel } from '../plugins/registry.js';
import { placePlatformSubnets } from '../vnet/platform-placement.js';
import { applyCommonDefaults, resolvePluginName } from './defaults.js';
import { PlanModel } from './plan-model.js';
import { validateSpec } from './validate.js';
import { commonWarnings, configuredAddressWarnings } from './warnings.js';

/** A design checked and completed: what a plan or a calculation returns. */
export interface PlannedDesign {
  readonly spec: PlanSpec;
  readonly defaultsApplied: readonly string[];
  readonly warnings: readonly Warning[];
  readonly model: PlanModel;
}

/**
 * Completes a design with AKS defaults, checks everything AKS would refuse and lays it out.
 * Throws one DomainError listing every problem when the design is invalid.
 */
export function planDesign(input: PlanInput, replacing?: PlanSpec): PlannedDesign {
  const { spec, model, defaultsApplied } = complete(withCanonicalAddresses(input), replacing);
  const { problems: specProblems, parsed } = validateSpec(spec, model);
  // Whether the subnet was given is known here only: validation sees the completed spec.
  const subnetDefaulted = defaultsApplied.includes('network.nodeSubnet');
  const problems = [...specProblems, ...outboundSubnetProblems(spec, subnetDefaulted)];
  if (problems.length > 0) throw invalidInput(problems);
  const laidOut = layOut(spec, model, parsed);
  return { spec, defaultsApplied, warnings: warningsOf(spec, model, laidOut), model: laidOut };
}

/** Every warning of a laid-out design: the spec's own, its plugin's, and what its layout shows. */
function warningsOf(spec: PlanSpec, model: PluginModel, laidOut: PlanModel): Warning[] {
  return [
    ...commonWarnings(spec),
    ...model.warnings(spec),
    ...laidOut.placementWarnings(),
    ...configuredAddressWarnings(spec, laidOut.rangeCapacity()),
  ];
}

/**
 * Checks and lays out a design some of whose ranges are still to be allocated: `pending`
 * holds the texts standing in for them. Every rule that does not involve a pending range is
 * checked (all problems at once); the layout is for sizing the pending ranges, which cost the
 * same wherever they lie, never for answering clients.
 */
export function planPending(input: PlanInput, pending: ReadonlySet<string>): PlanModel {
  const { spec, model, defaultsApplied } = complete(input);
  const problems = [
    ...validateSpec(spec, model, pending).problems,
    ...outboundSubnetProblems(spec, defaultsApplied.includes('network.nodeSubnet')),
  ];
  if (problems.length > 0) throw invalidInput(problems);
  // The stand-ins parse like any range: parsed again without them pending, they lay out.
  return layOut(spec, model, validateSpec(spec, model).parsed);
}

/** The design with the AKS defaults of its plugin applied, and the paths they filled. */
function complete(
  input: PlanInput,
  replacing?: PlanSpec,
): { spec: PlanSpec; model: PluginModel; defaultsApplied: string[] } {
  const recorder = new DefaultsRecorder();
  const pluginName = resolvePluginName(input, recorder);
  const model = pluginModel(pluginName);
  const spec = applyCommonDefaults(input, pluginName, model, recorder);
  spec.network = { ...spec.network, ...model.applyDefaults(spec, recorder) };
  if (replacing !== undefined) keepWhatAksKeeps(spec, replacing, recorder.paths, input);
  return { spec, model, defaultsApplied: recorder.paths };
}

/**
 * What a replacement leaves out and AKS keeps, kept from the plan it replaces, each still listed
 * as filled in: an existing pool's maxPods (it cannot change, and the plugin's default may differ,
 * as in the overlay migration) and a gateway pool's prefix size (it cannot change), an existing
 * pool's node public IPs (set at its creation: a client that does not send the field keeps them),
 * and the pod CIDR of each family (the kubenet to overlay migration keeps the cluster's when none
 * is given).
 */
function keepWhatAksKeeps(spec: PlanSpec, replaced: PlanSpec, defaulted: string[], input: PlanInput): void {
  const before = new Map(replaced.nodePools.map((p) => [p.name, p]));
  spec.nodePools.forEach((pool, i) => {
    const old = before.get(pool.name);
    if (old === undefined) return;
    if (defaulted.includes(`nodePools[${i}].maxPods`)) pool.maxPods = old.maxPods;
    // A gateway pool stays one (it cannot change), its mode left out as its prefix may be.
    if (defaulted.includes(`nodePools[${i}].mode`) && old.mode === 'Gateway') {
      pool.mode = 'Gateway';
      if (pool.gatewayPrefixSize === undefined) defaulted.push(`nodePools[${i}].gatewayPrefixSize`);
    }
    if (defaulted.includes(`nodePools[${i}].gatewayPrefixSize`) && old.gatewayPrefixSize !== undefined)
      pool.gatewayPrefixSize = old.gatewayPrefixSize;
    // false, the default, is written nowhere: only the input tells it from a field left out.
    if (old.nodePublicIp === true && input.nodePools[i]?.nodePublicIp === undefined) pool.nodePublicIp = true;
  });
  const { network } = spec;
  // A dual-stack pair given names the IPv4 pod CIDR itself: the single field follows it.
  const pairGiven = network.podCidrs !== undefined && !defaulted.includes('network.podCidrs');
  if (
    defaulted.includes('network.podCidr') &&
    !pairGiven &&
    network.podCidr !== undefined &&
    replaced.network.podCidr !== undefined
  )
    network.podCidr = replaced.network.podCidr;
  const [ipv4, ipv6] = network.podCidrs ?? [];
  if (defaulted.includes('network.podCidrs') && ipv4 !== undefined && ipv6 !== undefined)
    network.podCidrs = [network.podCidr ?? ipv4, replaced.network.podCidrs?.[1] ?? ipv6];
}

/**
 * Lays out a stored spec without refusing it again: it was valid when stored, and a later,
 * stricter rule must not make stored plans unreadable. Its values are parsed as validation
 * parses them; the problems today's rules find are not its reader's concern. Its addresses are
 * answered canonically, as a new plan's are, whatever form an earlier release stored.
 */
export function loadDesign(stored: PlanSpec, defaultsApplied: readonly string[]): PlannedDesign {
  const spec = withCanonicalAddresses(stored);
  const model = pluginModel(spec.network.plugin);
  const { parsed, problems } = validateSpec(spec, model);
  const laidOut = layOut(spec, model, parsed);
  let warnings: Warning[] | undefined;
  return {
    spec,
    defaultsApplied,
    model: laidOut,
    // Lookups load stored designs by the thousand and never read their warnings (the VNet limit's
    // works out every range's capacity): they are worked out when first read.
    get warnings() {
      // The VNet's egress rules too (outbound type block in a VNet of one's own came later).
      const egress = outboundSubnetProblems(spec, defaultsApplied.includes('network.nodeSubnet'));
      warnings ??= [
        ...[...problems, ...egress].map(ruleBrokenSinceStored),
        ...warningsOf(spec, model, laidOut),
      ];
      return warnings;
    },
  };
}

/**
 * A rule a stored plan breaks that was not a rule when it was stored: it is read as stored, and
 * said, since a replacement of the plan must change what breaks it.
 */
function ruleBrokenSinceStored(problem: Problem): Warning {
  return {
    code: 'STORED_PLAN_BREAKS_RULE',
    message: `stored before a rule it now breaks, ${problem.code} at ${problem.path}: ${problem.message}; a replacement must change it`,
  };
}

/** Lays the design out on its parsed values. */
function layOut(spec: PlanSpec, model: PluginModel, parsed: ParsedDesign): PlanModel {
  const plan = resolve(spec, parsed);
  return new PlanModel(plan, model.layout(plan), model.exclusiveNodeSubnets ?? false);
}

/** A value a valid spec always has; its absence is a defect, not an input error. */
function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`a valid spec has ${what}`);
  return value;
}

function resolve(spec: PlanSpec, parsed: ParsedDesign): ResolvedPlan {
  const pools = spec.nodePools.map((pool, index) => {
    const subnet = required(parsed.poolSubnets[index], `a node subnet for pool ${pool.name}`);
    const podSubnet = parsed.podSubnets?.[index];
    return {
      spec: pool,
      index,
      size: poolSize(pool),
      nodeSubnet: subnet.cidr,
      nodeSubnetPath: subnet.path,
      ...(podSubnet === undefined ? {} : { podSubnet }),
    };
  });
  const [first] = pools;
  if (first === undefined) throw new Error('a plan has at least one pool');
  const serviceCidr = required(parsed.serviceCidr, 'a service CIDR');
  const vnet = parsed.vnet.map((range) => range.cidr);
  // Placed subnets keep clear of the cluster's subnets, and of its pod and service CIDRs too:
  // a subnet under them would be unreachable from the cluster's pods.
  const clusterSubnets = [
    ...pools.map((p) => p.nodeSubnet),
    ...pools.flatMap((p) => p.podSubnet ?? []),
    ...(parsed.podCidrs ?? []),
    ...(parsed.serviceCidrs ?? [serviceCidr]),
  ];
  return {
    spec,
    serviceCidr,
    serviceCidrs: parsed.serviceCidrs ?? [serviceCidr],
    dnsServiceIp: required(parsed.dnsServiceIp, 'a DNS service IP'),
    vnet,
    podCidrs: parsed.podCidrs ?? [],
    pools,
    reservationSubnet: first.nodeSubnet,
    platformSubnets: placePlatformSubnets(parsed.platform ?? [], vnet, clusterSubnets),
  };
}
