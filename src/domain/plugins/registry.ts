import type { PluginName } from '../plan/spec.js';
import { azureCniNodeSubnet } from './azure-cni-node-subnet/model.js';
import { azureCniOverlay } from './azure-cni-overlay/model.js';
import { kubenet } from './kubenet/model.js';
import type { PluginModel } from './plugin-model.js';

/** The plugin models the planner can lay out, by API name. */
const MODELS: Partial<Record<PluginName, PluginModel>> = {
  'azure-cni-node-subnet': azureCniNodeSubnet,
  'azure-cni-overlay': azureCniOverlay,
  kubenet,
};

export function pluginModel(plugin: PluginName): PluginModel | undefined {
  return MODELS[plugin];
}

export function supportedPlugins(): PluginName[] {
  return Object.keys(MODELS) as PluginName[];
}
