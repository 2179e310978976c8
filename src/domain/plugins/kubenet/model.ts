import type { ParsedNetwork, PluginRanges } from '../../design/parsed-network.js';
import { poolSize } from '../../design/pool-size.js';
import type { ProblemCollector } from '../../design/problems.js';
import type { PlanSpec } from '../../design/spec.js';
import { customRouteCount } from '../../design/udr.js';
import type { PluginModel } from '../plugin-model.js';
import { PodCidrClusterLayout } from '../pod-cidr/pod-cidr-cluster-layout.js';
import { DEFAULT_POD_CIDR, validateSingleStackPodCidr } from '../pod-cidr/pod-cidr-plugin.js';

/** A kubenet cluster's route table holds one route per node, surge nodes included. */
export const KUBENET_MAX_NODES = 400;

/** The nodes (surge included) whose routes fit beside the design's own in the route table. */
function routableNodes(spec: PlanSpec): number {
  return KUBENET_MAX_NODES - customRouteCount(spec);
}

function validateKubenet(spec: PlanSpec, parsed: ParsedNetwork, problems: ProblemCollector): PluginRanges {
  const ranges = validateSingleStackPodCidr(spec, parsed, problems);
  spec.nodePools.forEach((pool, i) => {
    if (pool.osType === 'Windows') {
      problems.add(
        'WINDOWS_NOT_SUPPORTED',
        `nodePools[${i}].osType`,
        'kubenet does not support Windows node pools',
      );
    }
  });
  const nodes = spec.nodePools.reduce((sum, pool) => sum + poolSize(pool).duringUpgrade, 0);
  const custom = customRouteCount(spec);
  if (nodes > routableNodes(spec)) {
    const routes = custom === 0 ? '' : ` and ${custom} user-defined route${custom === 1 ? '' : 's'}`;
    problems.add(
      'KUBENET_TOO_MANY_NODES',
      'nodePools',
      `the pools reach ${nodes} nodes with surge${routes}; a kubenet route table holds ${KUBENET_MAX_NODES} routes`,
    );
  }
  return ranges;
}

/** kubenet: pods NATed from a pod CIDR, one /24 per node, routes in the cluster's route table. */
export const kubenet: PluginModel = {
  plugin: 'kubenet',
  defaultMaxPods: 110,
  dataplanes: ['azure'],
  exclusiveNodeSubnets: true,
  nodeLimit: { nodes: routableNodes, kind: 'kubenet-node-limit' },
  podCidrChange: 'never',
  networkFields: ['podCidr'],
  poolFields: [],
  applyDefaults: (spec, recorder) => ({
    podCidr: recorder.take('network.podCidr', spec.network.podCidr, DEFAULT_POD_CIDR),
  }),
  validate: validateKubenet,
  warnings: () => [
    {
      code: 'KUBENET_RETIREMENT',
      message:
        'kubenet retires on 31 March 2028; plan the move to Azure CNI Overlay (azure-cni-overlay), which keeps a private pod CIDR',
    },
  ],
  layout: (plan) => new PodCidrClusterLayout(plan, plan.podCidrs),
};
