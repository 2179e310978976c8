import type { PluginModel } from '../plugin-model.js';
import { PodCidrClusterLayout } from '../pod-cidr/pod-cidr-cluster-layout.js';
import { applyOverlayNetworkDefaults, validateOverlayNetwork } from './dual-stack.js';

/**
 * Azure CNI Overlay: node IPs from the node subnet, pods from a private pod CIDR that any
 * number of clusters may reuse, one /24 per node.
 */
export const azureCniOverlay: PluginModel = {
  plugin: 'azure-cni-overlay',
  defaultMaxPods: 250,
  dataplanes: ['azure', 'cilium'],
  podCidrChange: 'superset',
  networkFields: ['podCidr', 'ipFamilies', 'podCidrs', 'serviceCidrs'],
  poolFields: [],
  applyDefaults: applyOverlayNetworkDefaults,
  validate: validateOverlayNetwork,
  warnings: () => [
    {
      code: 'OVERLAY_NODE_BLOCK_FIXED',
      message:
        'every node takes a /24 of the pod CIDR, and that size cannot be changed after the cluster is created',
    },
    {
      code: 'OVERLAY_POD_CIDR_EXPAND_ONLY',
      message:
        'the pod CIDR can later only be expanded to a superset that contains it (10.244.0.0/18 -> 10.244.0.0/16), never shrunk or moved',
    },
  ],
  layout: (plan) => new PodCidrClusterLayout(plan, plan.podCidrs),
};
