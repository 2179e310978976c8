import type { PluginName } from '../plan/spec.js';
import { azureCniNodeSubnet } from './azure-cni-node-subnet/model.js';
import type { PluginModel } from './plugin-model.js';

/** The plugin models the planner can lay out, by API name. */
const MODELS: Partial<Record<PluginName, PluginModel>> = {
  'azure-cni-node-subnet': azureCniNodeSubnet,
};

export function pluginModel(plugin: PluginName): PluginModel | undefined {
  return MODELS[plugin];
}

export function supportedPlugins(): PluginName[] {
  return Object.keys(MODELS) as PluginName[];
}
