import type { PluginName } from '../plan/spec.js';
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
