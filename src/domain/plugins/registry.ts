import type { PluginName } from '../design/spec.js';
import { azureCniNodeSubnet } from './azure-cni-node-subnet/model.js';
import { azureCniOverlay } from './azure-cni-overlay/model.js';
import { azureCniPodSubnet } from './azure-cni-pod-subnet/model.js';
import { kubenet } from './kubenet/model.js';
import type { PluginModel } from './plugin-model.js';

/** Every AKS network plugin the API names has its model. */
const MODELS: Record<PluginName, PluginModel> = {
  'azure-cni-node-subnet': azureCniNodeSubnet,
  'azure-cni-overlay': azureCniOverlay,
  'azure-cni-pod-subnet': azureCniPodSubnet,
  kubenet,
};

export function pluginModel(plugin: PluginName): PluginModel {
  return MODELS[plugin];
}

/** Fields some plugin claims: they are input errors with every other plugin. */
export const PLUGIN_SPECIFIC_NETWORK_FIELDS = [
  ...new Set(Object.values(MODELS).flatMap((m) => m.networkFields)),
];
export const PLUGIN_SPECIFIC_POOL_FIELDS = [...new Set(Object.values(MODELS).flatMap((m) => m.poolFields))];
