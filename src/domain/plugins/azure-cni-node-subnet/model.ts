import type { PluginModel } from '../plugin-model.js';
import { NodeSubnetLayout } from './node-subnet-layout.js';

/** Azure CNI (node subnet): pods take pre-allocated addresses from the node subnet. */
export const azureCniNodeSubnet: PluginModel = {
  plugin: 'azure-cni-node-subnet',
  defaultMaxPods: 30,
  dataplanes: ['azure', 'cilium'],
  podCidrChange: 'never',
  networkFields: [],
  poolFields: [],
  applyDefaults: () => ({}),
  // The shared node-subnet and pool rules are all this plugin needs.
  validate: () => ({}),
  warnings: () => [],
  layout: (plan) => new NodeSubnetLayout(plan),
};
