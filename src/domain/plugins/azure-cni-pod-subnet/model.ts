import { AKS } from '../../aks-limits.js';
import { poolSize } from '../../design/pool-size.js';
import type { PlanSpec } from '../../design/spec.js';
import type { Warning } from '../../design/warning.js';
import type { PluginModel } from '../plugin-model.js';
import { PodSubnetClusterLayout } from './pod-subnet-cluster-layout.js';
import { validatePodSubnets } from './pod-subnet-rules.js';
import { BLOCK_SIZE, blocksPerNode } from './static-block-layout.js';

function podSubnetWarnings(spec: PlanSpec): Warning[] {
  if (spec.network.podIpAllocation === 'static-block') {
    const wasteful = spec.nodePools.filter((p) => (p.maxPods + 1) % BLOCK_SIZE !== 0);
    return wasteful.map((p) => ({
      code: 'STATIC_BLOCK_WASTE',
      message: `pool "${p.name}": maxPods ${p.maxPods} takes ${blocksPerNode(p.maxPods)} /28 blocks per node; maxPods ${blocksPerNode(p.maxPods) * BLOCK_SIZE - 1} (16N-1) would use them fully`,
    }));
  }
  const pods = spec.nodePools.reduce((sum, p) => sum + poolSize(p).atMaxCount * p.maxPods, 0);
  if (pods <= AKS.maxDynamicPodIps) return [];
  return [
    {
      code: 'DYNAMIC_POD_IPS_ABOVE_LIMIT',
      message: `at their maxima the pools can run ${pods} pods; a cluster with dynamic pod IP allocation supports ${AKS.maxDynamicPodIps} pod IPs`,
    },
  ];
}

/** Azure CNI with a pod subnet: dynamic allocation in batches of 16, or static /28 blocks per node. */
export const azureCniPodSubnet: PluginModel = {
  plugin: 'azure-cni-pod-subnet',
  defaultMaxPods: 250,
  dataplanes: ['azure', 'cilium'],
  podCidrChange: 'never',
  networkFields: ['podSubnet', 'podIpAllocation'],
  poolFields: ['podSubnet'],
  applyDefaults: (spec, recorder) => ({
    podIpAllocation: recorder.take('network.podIpAllocation', spec.network.podIpAllocation, 'dynamic'),
  }),
  validate: validatePodSubnets,
  warnings: podSubnetWarnings,
  layout: (plan) => new PodSubnetClusterLayout(plan),
};
