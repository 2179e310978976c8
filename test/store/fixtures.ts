import type { PlanInput } from '../../src/domain/design/spec.js';
import { planDesign } from '../../src/domain/plan/planner.js';
import type { PlanWrite } from '../../src/store/plan-store.js';

/** A valid node-subnet design whose write the store can take. */
export function planWrite(
  name: string,
  nodeSubnet = '10.240.0.0/24',
  overrides: Partial<PlanInput> = {},
): PlanWrite {
  const design = planDesign({
    name,
    nodePools: [{ name: 'system', nodeCount: 3, maxPods: 30 }],
    ...overrides,
    network: { plugin: 'azure-cni-node-subnet', ...overrides.network, nodeSubnet },
  });
  return {
    spec: design.spec,
    defaultsApplied: design.defaultsApplied,
    ranges: design.model.ranges(),
    labels: {},
  };
}
