import { invalidInput } from '../errors.js';
import { Cidr, IpAddress } from '../ip/index.js';
import type { PluginModel, Warning } from '../plugins/plugin-model.js';
import { pluginModel } from '../plugins/registry.js';
import { applyCommonDefaults, resolvePluginName } from './defaults.js';
import { DefaultsRecorder } from './defaults-recorder.js';
import { PlanModel } from './plan-model.js';
import { poolSize } from './pool-size.js';
import type { ResolvedPlan } from './resolved-plan.js';
import type { PlanInput, PlanSpec } from './spec.js';
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
  const recorder = new DefaultsRecorder();
  const pluginName = resolvePluginName(input, recorder);
  const model = pluginModel(pluginName);
  const spec = applyCommonDefaults(input, pluginName, model, recorder);
  model.applyDefaults(spec, recorder);
  const warnings = commonWarnings(spec);
  const { problems } = validateSpec(spec, model);
  if (problems.length > 0) throw invalidInput(problems);
  return {
    spec,
    defaultsApplied: recorder.paths,
    warnings: [...warnings, ...model.warnings(spec)],
    model: layOut(spec, model),
  };
}

/**
 * Completes a design with defaults and lays it out without validating it: for sizing a
 * design whose ranges do not exist yet (placeholders), never for answering clients.
 */
export function planUnchecked(input: PlanInput): PlanModel {
  const recorder = new DefaultsRecorder();
  const pluginName = resolvePluginName(input, recorder);
  const model = pluginModel(pluginName);
  const spec = applyCommonDefaults(input, pluginName, model, recorder);
  model.applyDefaults(spec, recorder);
  return layOut(spec, model);
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

function resolve(spec: PlanSpec): ResolvedPlan {
  const clusterSubnet = spec.network.nodeSubnet;
  const pools = spec.nodePools.map((pool, index) => {
    const subnet = pool.nodeSubnet ?? clusterSubnet;
    if (subnet === undefined) throw new Error(`pool ${pool.name} has no node subnet`);
    const size = poolSize(pool);
    return { spec: pool, index, size, nodeSubnet: Cidr.parse(subnet) };
  });
  const [first] = pools;
  if (first === undefined) throw new Error('a plan has at least one pool');
  return {
    spec,
    serviceCidr: Cidr.parse(spec.network.serviceCidr),
    serviceCidrs: (spec.network.serviceCidrs ?? [spec.network.serviceCidr]).map((text) => Cidr.parse(text)),
    dnsServiceIp: IpAddress.parse(spec.network.dnsServiceIp),
    pools,
    reservationSubnet: first.nodeSubnet,
  };
}
