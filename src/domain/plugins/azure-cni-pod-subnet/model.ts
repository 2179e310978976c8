import { AKS } from '../../aks-limits.js';
import { podsAtMaxima } from '../../design/pool-size.js';
import type { PlanSpec } from '../../design/spec.js';
import type { Warning } from '../../design/warning.js';
import type { PluginModel } from '../plugin-model.js';
import { PodSubnetClusterLayout } from './pod-subnet-cluster-layout.js';
import { validatePodSubnets } from './pod-subnet-rules.js';
import { BLOCK_SIZE, blocksPerNode } from './static-block-layout.js';

function podSubnetWarnings(spec: PlanSpec): Warning[] {
  if (spec.network.podIpAllocation === 'static-block') {
    const wasteful = spec.nodePools.filter((p) => (p.maxPods + 1) % BLOCK_SIZE !== 0);
    return wasteful.map((p) => ({ code: 'STATIC_BLOCK_WASTE', message: blockWaste(p.name, p.maxPods) }));
  }
  const pods = podsAtMaxima(spec.nodePools);
  if (pods <= AKS.maxDynamicPodIps) return [];
  return [
    {
      code: 'DYNAMIC_POD_IPS_ABOVE_LIMIT',
      message: `at their maxima the pools can run ${pods} pods; a cluster with dynamic pod IP allocation supports ${AKS.maxDynamicPodIps} pod IPs`,
    },
  ];
}

/**
 * A pool's blocks are used fully at maxPods 16N-1: the one that fills its blocks, or, where that
 * passes the largest maxPods AKS allows (255 for 16 blocks), the one that fills a block fewer.
 */
function blockWaste(pool: string, maxPods: number): string {
  const blocks = blocksPerNode(maxPods);
  const unused = blocks * BLOCK_SIZE - 1 - maxPods;
  const taken = `pool "${pool}": maxPods ${maxPods} takes ${blocks} /28 blocks per node`;
  const fills = blocks * BLOCK_SIZE - 1;
  if (fills <= AKS.maxPodsRange.max) return `${taken}; maxPods ${fills} (16N-1) would use them fully`;
  const fewer = (blocks - 1) * BLOCK_SIZE - 1;
  return `${taken}, ${unused} addresses of them unused (maxPods ${fills} is above the ${AKS.maxPodsRange.max} AKS allows); maxPods ${fewer} (16N-1) would fill ${blocks - 1} blocks`;
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
