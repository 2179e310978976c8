import type { ClusterLayout } from '../layout/cluster-layout.js';
import type { DefaultsRecorder } from '../plan/defaults-recorder.js';
import type { ParsedNetwork } from '../plan/parsed-network.js';
import type { ProblemCollector } from '../plan/problems.js';
import type { ResolvedPlan } from '../plan/resolved-plan.js';
import type { Dataplane, NetworkInput, NodePoolInput, PlanSpec, PluginName } from '../plan/spec.js';

export interface Warning {
  readonly code: string;
  readonly message: string;
}

/**
 * One AKS network plugin. Plugins are siblings behind this interface: the planner, the
 * store and the routes know only this shape, so adding one touches none of the others.
 */
export interface PluginModel {
  readonly plugin: PluginName;
  readonly defaultMaxPods: number;
  readonly dataplanes: readonly Dataplane[];
  /** True when no other cluster may share this plugin's node subnets (kubenet). */
  readonly exclusiveNodeSubnets?: boolean;
  /** Plugin-specific fields this plugin accepts; the others' fields are input errors. */
  readonly networkFields: readonly (keyof NetworkInput)[];
  readonly poolFields: readonly (keyof NodePoolInput)[];
  /** Fills this plugin's own defaults into a spec whose common defaults are applied. */
  applyDefaults(spec: PlanSpec, recorder: DefaultsRecorder): void;
  /** Adds the problems AKS would refuse for this plugin beyond the common rules. */
  validate(spec: PlanSpec, parsed: ParsedNetwork, problems: ProblemCollector): void;
  warnings(spec: PlanSpec): Warning[];
  layout(plan: ResolvedPlan): ClusterLayout;
}

/** Fields that belong to some plugins only; every other field is common to all. */
export const PLUGIN_SPECIFIC_NETWORK_FIELDS = [
  'podSubnet',
  'podIpAllocation',
  'podCidr',
  'ipFamilies',
  'podCidrs',
  'serviceCidrs',
] as const;
export const PLUGIN_SPECIFIC_POOL_FIELDS = ['podSubnet'] as const;
