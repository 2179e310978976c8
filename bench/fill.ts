/**
 * Stores many plans quickly: one design is laid out once, then written again with its own name
 * and node subnet, so that filling 100,000 plans measures the store, not the planner.
 */
import { Cidr } from '../src/domain/ip/index.js';
import { planDesign } from '../src/domain/plan/planner.js';
import type { PlanWrite } from '../src/store/plan-store.js';
import type { Store } from '../src/store/store.js';

/** What the HTTP benchmarks' server stores. */
export const SERVER_PLANS = { nodeSubnet: 10_000, overlay: 1_200 };

/** The node subnet of plan i: /25s of 10.1.0.0 upwards (130,048 of them before 10.255). */
export function nodeSubnetOf(i: number): string {
  return `10.${1 + (i >> 9)}.${(i >> 1) & 255}.${i & 1 ? 128 : 0}/25`;
}

/** A pod IP of plan i: node `k % 3` holds it (3 nodes of 31 addresses from .4). */
export function podOf(i: number, k: number): string {
  const [a, b, c, d] = (nodeSubnetOf(i).split('/')[0] ?? '').split('.').map(Number);
  return `${a}.${b}.${c}.${(d ?? 0) + 5 + (k % 90)}`;
}

/** The address the single-lookup rounds ask about: a pod of the middle plan. */
export const BENCH_IP = podOf(SERVER_PLANS.nodeSubnet >> 1, 7);
/** The bench server's no-op read route, behind the same edge as a lookup. */
export const NOOP_PATH = '/v1/bench/noop';

/** Stores `count` Azure CNI node-subnet plans of 3 nodes at maxPods 30, named `${prefix}${i}`. */
export async function fillNodeSubnetPlans(store: Store, count: number, prefix = 'p'): Promise<void> {
  const write = nodeSubnetPlanWriter(prefix);
  for (let i = 0; i < count; i++) await store.createPlan(write(i));
}

/** What storing plan i writes: the template design with its own name and node subnet. */
export function nodeSubnetPlanWriter(prefix = 'p'): (i: number) => PlanWrite {
  const template = planDesign({
    name: 'template',
    network: { plugin: 'azure-cni-node-subnet', nodeSubnet: nodeSubnetOf(0) },
    nodePools: [{ name: 'system', nodeCount: 3, maxPods: 30 }],
  });
  const ranges = template.model.ranges();
  return (i) => {
    const nodeSubnet = nodeSubnetOf(i);
    const cidr = Cidr.parse(nodeSubnet);
    return {
      spec: { ...template.spec, name: `${prefix}${i}`, network: { ...template.spec.network, nodeSubnet } },
      defaultsApplied: template.defaultsApplied,
      ranges: ranges.map((r) => (r.kind === 'node-subnet' ? { ...r, cidr } : r)),
      labels: {},
    };
  };
}

/** Stores `count` overlay plans that all reuse the default pod CIDR 10.244.0.0/16, as the docs encourage. */
export async function fillOverlayPlans(store: Store, count: number): Promise<void> {
  const template = planDesign({
    name: 'template',
    network: { plugin: 'azure-cni-overlay', nodeSubnet: '172.16.0.0/24' },
    nodePools: [{ name: 'system', nodeCount: 20 }],
  });
  const ranges = template.model.ranges();
  for (let i = 0; i < count; i++) {
    const nodeSubnet = `172.${16 + (i >> 8)}.${i & 255}.0/24`;
    const cidr = Cidr.parse(nodeSubnet);
    await store.createPlan({
      spec: { ...template.spec, name: `overlay${i}`, network: { ...template.spec.network, nodeSubnet } },
      defaultsApplied: template.defaultsApplied,
      ranges: ranges.map((r) => (r.kind === 'node-subnet' ? { ...r, cidr } : r)),
      labels: {},
    });
  }
}
