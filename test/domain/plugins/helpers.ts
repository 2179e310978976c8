/**
 * Builders for the plugin tests (kubenet, overlay, pod subnet, dual-stack) and readers that
 * write the planner's answers as text, so that tables compare against hand-written values.
 */
import type { RangeCapacity, Requirement } from '../../../src/domain/capacity/range-capacity.js';
import type { NetworkInput, NodePoolInput, PlanInput } from '../../../src/domain/design/spec.js';
import { IpAddress } from '../../../src/domain/ip/index.js';
import type { NodeSlot } from '../../../src/domain/layout/layout-types.js';
import { type PlannedDesign, planDesign } from '../../../src/domain/plan/planner.js';

export interface PluginDesign {
  network?: NetworkInput;
  nodePools?: NodePoolInput[];
  reservations?: PlanInput['reservations'];
}

function withPlugin(plugin: NetworkInput['plugin'], base: NetworkInput, overrides: PluginDesign): PlanInput {
  const input: PlanInput = {
    name: 'plugin-test',
    network: { ...(plugin === undefined ? {} : { plugin }), ...base, ...overrides.network },
    nodePools: overrides.nodePools ?? [{ name: 'system', nodeCount: 3 }],
  };
  if (overrides.reservations !== undefined) input.reservations = overrides.reservations;
  return input;
}

/** kubenet in 10.240.0.0/24, one 3-node system pool, AKS defaults elsewhere. */
export function kubenetDesign(overrides: PluginDesign = {}): PlanInput {
  return withPlugin('kubenet', { nodeSubnet: '10.240.0.0/24' }, overrides);
}

/** Azure CNI Overlay named explicitly, in 10.240.0.0/24. */
export function overlayDesign(overrides: PluginDesign = {}): PlanInput {
  return withPlugin('azure-cni-overlay', { nodeSubnet: '10.240.0.0/24' }, overrides);
}

/** Dual-stack overlay in 10.240.0.0/24 with the default pod and service CIDR pairs. */
export function dualStackDesign(overrides: PluginDesign = {}): PlanInput {
  return withPlugin(
    'azure-cni-overlay',
    { nodeSubnet: '10.240.0.0/24', ipFamilies: ['ipv4', 'ipv6'] },
    overrides,
  );
}

/** Azure CNI pod subnet: nodes in 10.240.0.0/24, pods in 10.241.0.0/24, allocation as given. */
export function podSubnetDesign(overrides: PluginDesign = {}): PlanInput {
  return withPlugin(
    'azure-cni-pod-subnet',
    { nodeSubnet: '10.240.0.0/24', podSubnet: '10.241.0.0/24' },
    overrides,
  );
}

export function staticBlockDesign(overrides: PluginDesign = {}): PlanInput {
  return podSubnetDesign({
    ...overrides,
    network: { podIpAllocation: 'static-block', ...overrides.network },
  });
}

export const planOf = (input: PlanInput): PlannedDesign => planDesign(input);

export function warningCodes(planned: PlannedDesign): string[] {
  return planned.warnings.map((w) => w.code);
}

/** A node slot with every value as text; only the pod fields the slot has are present. */
export function textSlot(slot: NodeSlot) {
  return {
    pool: slot.pool,
    index: slot.index,
    fits: slot.fits,
    nodeIp: slot.nodeIp?.toString() ?? null,
    ...(slot.podCidr === undefined ? {} : { podCidr: slot.podCidr?.toString() ?? null }),
    ...(slot.podCidrs === undefined ? {} : { podCidrs: slot.podCidrs.map((b) => b?.toString() ?? null) }),
    ...(slot.podBlocks === undefined ? {} : { podBlocks: slot.podBlocks?.map(String) ?? null }),
    ...(slot.podRange === undefined ? {} : { podRange: slot.podRange }),
  };
}

export function slotsOf(planned: PlannedDesign, pool?: string) {
  const limit = planned.model.slotCount(pool);
  if (limit === 0) return [];
  const query = pool === undefined ? { offset: 0, limit } : { pool, offset: 0, limit };
  return planned.model.slots(query).map(textSlot);
}

/** Lookup matches with values as text; absent fields stay absent. */
export function lookupText(planned: PlannedDesign, address: string) {
  return planned.model.lookup(ipOf(address)).map((m) => ({
    role: m.role,
    range: m.range.toString(),
    ...(m.pool === undefined ? {} : { pool: m.pool }),
    ...(m.nodeIndex === undefined ? {} : { nodeIndex: m.nodeIndex }),
    ...(m.nodeIp === undefined ? {} : { nodeIp: m.nodeIp.toString() }),
    ...(m.note === undefined ? {} : { note: m.note }),
  }));
}

export const ipOf = (text: string): IpAddress => IpAddress.parse(text);

/** A capacity entry with the CIDR as text (counts stay bigint). */
export function textRange(range: RangeCapacity) {
  return { ...range, cidr: range.cidr.toString() };
}

/** The capacity entries of one kind, in report order. */
export function rangesOf(planned: PlannedDesign, kind: RangeCapacity['kind']) {
  return planned.model
    .capacity()
    .ranges.filter((r) => r.kind === kind)
    .map(textRange);
}

/** The only capacity entry of a kind; fails the test when there is not exactly one. */
export function onlyRange(planned: PlannedDesign, kind: RangeCapacity['kind']) {
  const ranges = rangesOf(planned, kind);
  if (ranges.length !== 1) throw new Error(`expected one ${kind} range, found ${ranges.length}`);
  return ranges[0] as ReturnType<typeof textRange>;
}

export const requirement = (current: bigint, atMaxCount: bigint, duringUpgrade: bigint): Requirement => ({
  current,
  atMaxCount,
  duringUpgrade,
});
