import type { DefaultsRecorder } from '../design/defaults-recorder.js';
import type { ParsedNetwork, PluginRanges } from '../design/parsed-network.js';
import type { ProblemCollector } from '../design/problems.js';
import type { ResolvedPlan } from '../design/resolved-plan.js';
import type {
  Dataplane,
  NetworkInput,
  NetworkSpec,
  NodePoolInput,
  PlanSpec,
  PluginName,
} from '../design/spec.js';
import type { Warning } from '../design/warning.js';
import type { ClusterLayout } from '../layout/cluster-layout.js';

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
  /**
   * A cluster-wide node limit of the plugin, surge included (kubenet's route table, less the
   * design's own routes in it): what validation refuses past, and where maxReach stops.
   */
  readonly nodeLimit?: { nodes(spec: PlanSpec): number; readonly kind: 'kubenet-node-limit' };
  /** How a pod CIDR may change on a running cluster: into a superset (overlay), or never. */
  readonly podCidrChange: 'superset' | 'never';
  /** Plugin-specific fields this plugin accepts; the others' fields are input errors. */
  readonly networkFields: readonly (keyof NetworkInput)[];
  readonly poolFields: readonly (keyof NodePoolInput)[];
  /** This plugin's own network defaults, for a spec whose common defaults are applied. */
  applyDefaults(spec: PlanSpec, recorder: DefaultsRecorder): Partial<NetworkSpec>;
  /**
   * Adds the problems AKS would refuse for this plugin beyond the common rules, and answers the
   * plugin's own ranges as it parsed them (whatever parsed, problems or not).
   */
  validate(spec: PlanSpec, parsed: ParsedNetwork, problems: ProblemCollector): PluginRanges;
  warnings(spec: PlanSpec): Warning[];
  layout(plan: ResolvedPlan): ClusterLayout;
}
