import { DefaultsRecorder } from '../design/defaults-recorder.js';
import { poolSize } from '../design/pool-size.js';
import type { ResolvedPlan } from '../design/resolved-plan.js';
import type { PlanInput, PlanSpec } from '../design/spec.js';
import type { Warning } from '../design/warning.js';
import { invalidInput } from '../errors.js';
import { Cidr, IpAddress } from '../ip/index.js';
import type { PluginModel } from '../plugins/plugin-model.js';
import { pluginModel } from '../plugins/registry.js';
import { applyCommonDefaults, resolvePluginName } from './defaults.js';
import { PlanModel } from './plan-model.js';
import { validateSpec } from './validate.js';
import { commonWarnings } from './warnings.js';

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
export function planDesign(input: PlanInput): PlannedDesign {
  const { spec, model, defaultsApplied } = complete(input);
  const { problems } = validateSpec(spec, model);
  if (problems.length > 0) throw invalidInput(problems);
  return {
    spec,
    defaultsApplied,
    warnings: [...commonWarnings(spec), ...model.warnings(spec)],
    model: layOut(spec, model),
  };
}

/**
 * Checks and lays out a design some of whose ranges are still to be allocated: `pending`
 * holds the texts standing in for them. Every rule that does not involve a pending range is
 * checked (all problems at once); the layout is for sizing the pending ranges, which cost the
 * same wherever they lie, never for answering clients.
 */
export function planPending(input: PlanInput, pending: ReadonlySet<string>): PlanModel {
  const { spec, model } = complete(input);
  const { problems } = validateSpec(spec, model, pending);
  if (problems.length > 0) throw invalidInput(problems);
  return layOut(spec, model);
}

/** The design with the AKS defaults of its plugin applied, and the paths they filled. */
function complete(input: PlanInput): { spec: PlanSpec; model: PluginModel; defaultsApplied: string[] } {
  const recorder = new DefaultsRecorder();
  const pluginName = resolvePluginName(input, recorder);
  const model = pluginModel(pluginName);
  const spec = applyCommonDefaults(input, pluginName, model, recorder);
  spec.network = { ...spec.network, ...model.applyDefaults(spec, recorder) };
  return { spec, model, defaultsApplied: recorder.paths };
}

/**
 * Lays out a stored spec without validating it again: it was valid when stored, and a
 * later, stricter rule must not make stored plans unreadable.
 */
export function loadDesign(spec: PlanSpec, defaultsApplied: readonly string[]): PlannedDesign {
  const model = pluginModel(spec.network.plugin);
  const warnings = [...commonWarnings(spec), ...model.warnings(spec)];
  return { spec, defaultsApplied, warnings, model: layOut(spec, model) };
}

function layOut(spec: PlanSpec, model: PluginModel): PlanModel {
  const plan = resolve(spec);
  const rangesAt = (variant: PlanSpec) => layOut(variant, model).rangeCapacity();
  return new PlanModel(plan, model.layout(plan), model.exclusiveNodeSubnets ?? false, rangesAt);
}

/** A value a valid spec always has; its absence is a defect, not an input error. */
function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`a valid spec has ${what}`);
  return value;
}

function resolve(spec: PlanSpec): ResolvedPlan {
  const clusterSubnet = spec.network.nodeSubnet;
  const pools = spec.nodePools.map((pool, index) => {
    const subnet = pool.nodeSubnet ?? clusterSubnet;
    if (subnet === undefined) throw new Error(`pool ${pool.name} has no node subnet`);
    const size = poolSize(pool);
    const nodeSubnetPath =
      pool.nodeSubnet === undefined ? 'network.nodeSubnet' : `nodePools[${index}].nodeSubnet`;
    return { spec: pool, index, size, nodeSubnet: Cidr.parse(subnet), nodeSubnetPath };
  });
  const [first] = pools;
  if (first === undefined) throw new Error('a plan has at least one pool');
  return {
    spec,
    serviceCidr: Cidr.parse(spec.network.serviceCidr),
    serviceCidrs: (spec.network.serviceCidrs ?? [spec.network.serviceCidr]).map((text) => Cidr.parse(text)),
    dnsServiceIp: IpAddress.parse(required(spec.network.dnsServiceIp, 'a DNS service IP')),
    pools,
    reservationSubnet: first.nodeSubnet,
  };
}
