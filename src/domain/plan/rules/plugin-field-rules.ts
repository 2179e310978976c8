import type { ProblemCollector } from '../../design/problems.js';
import type { PlanSpec } from '../../design/spec.js';
import type { PluginModel } from '../../plugins/plugin-model.js';
import { PLUGIN_SPECIFIC_NETWORK_FIELDS, PLUGIN_SPECIFIC_POOL_FIELDS } from '../../plugins/registry.js';

/** A field the chosen plugin does not use is an input error, never silently ignored. */
export function checkPluginFields(spec: PlanSpec, model: PluginModel, problems: ProblemCollector): void {
  const plugin = spec.network.plugin;
  for (const field of PLUGIN_SPECIFIC_NETWORK_FIELDS) {
    if (spec.network[field] !== undefined && !model.networkFields.includes(field)) {
      problems.add(
        'FIELD_NOT_FOR_PLUGIN',
        `network.${field}`,
        `network.${field} does not apply to the ${plugin} plugin`,
      );
    }
  }
  if (!model.dataplanes.includes(spec.network.dataplane)) {
    problems.add(
      'DATAPLANE_NOT_SUPPORTED',
      'network.dataplane',
      `the ${spec.network.dataplane} dataplane is not available with the ${plugin} plugin; use ${model.dataplanes.join(' or ')}`,
    );
  }
  spec.nodePools.forEach((pool, i) => {
    for (const field of PLUGIN_SPECIFIC_POOL_FIELDS) {
      if (pool[field] !== undefined && !model.poolFields.includes(field)) {
        problems.add(
          'FIELD_NOT_FOR_PLUGIN',
          `nodePools[${i}].${field}`,
          `${field} does not apply to the ${plugin} plugin`,
        );
      }
    }
  });
}
