import { windowsPoolNames } from '../../design/pool-size.js';
import type { PlanSpec } from '../../design/spec.js';
import type { Warning } from '../../design/warning.js';
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
  warnings: (spec) => [
    {
      code: 'OVERLAY_NODE_BLOCK_FIXED',
      message:
        'every node takes a /24 of the pod CIDR, and that size cannot be changed after the cluster is created',
    },
    podCidrChangeWarning(spec),
  ],
  layout: (plan) => new PodCidrClusterLayout(plan, plan.podCidrs),
};

/**
 * What may later become of the pod CIDR: it grows into a superset, except where AKS does not
 * expand it at all (azure-cni-overlay-pod-expand: "Windows nodes ... aren't supported", "IPv6 pod
 * CIDR expansion isn't supported"), as a replacement's change rules refuse it.
 */
function podCidrChangeWarning(spec: PlanSpec): Warning {
  const windows = windowsPoolNames(spec);
  if (spec.network.podCidrs !== undefined)
    return {
      code: 'OVERLAY_POD_CIDR_FIXED',
      message:
        'the pod CIDRs can never be changed: AKS does not expand the pod CIDRs of a dual-stack cluster',
    };
  if (windows.length > 0)
    return {
      code: 'OVERLAY_POD_CIDR_FIXED',
      message: `the pod CIDR cannot be changed while the cluster has Windows pools (${windows.join(', ')}): AKS does not expand it for Windows nodes`,
    };
  return {
    code: 'OVERLAY_POD_CIDR_EXPAND_ONLY',
    message:
      'the pod CIDR can later only be expanded to a superset that contains it (10.244.0.0/18 -> 10.244.0.0/16), never shrunk or moved',
  };
}
