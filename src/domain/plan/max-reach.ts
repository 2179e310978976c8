import { AKS } from '../aks-limits.js';
import type { RangeCapacity } from '../capacity/range-capacity.js';
import { gatewayPoolHolds, podsAtMaxima, poolSize } from '../design/pool-size.js';
import type { NodePoolSpec, PlanSpec } from '../design/spec.js';
import { surgeNodes } from '../design/surge.js';
import { EGRESS } from '../egress/outbound-limits.js';
import { pluginModel } from '../plugins/registry.js';
import { configuredAddresses, configuredDuringUpgrade } from './configured-addresses.js';

export type ReachLimit =
  | { readonly kind: RangeCapacity['kind']; readonly cidr: string }
  | {
      readonly kind:
        | 'snat'
        | 'pool-size-limit'
        | 'cluster-size-limit'
        | 'kubenet-node-limit'
        | 'vnet-address-limit'
        | 'dynamic-pod-ip-limit'
        | 'gateway-prefix';
    };

/** How far one pool can grow, the others held. */
export interface PoolReach {
  readonly pool: string;
  readonly currentMaxCount: number;
  /** The largest max count that still fits every range and limit during an upgrade; null when nothing bounds it. */
  readonly maxCount: number | null;
  readonly limitedBy: ReachLimit | null;
}

/**
 * Every range's upgrade requirement is linear in a pool's slot count n (maxima + surge):
 * required(n) = a + b·n, b being what one slot of the pool costs the range (its perSlot).
 * The largest n a range holds is floor((usable - a) / b): arithmetic on the design's own
 * ranges, with no layout of a variant and no search over counts.
 */
export function maxReach(spec: PlanSpec, ranges: readonly RangeCapacity[]): PoolReach[] {
  return spec.nodePools.map((pool, i) => poolReach(spec, i, pool, ranges));
}

/** A range one more node of a pool takes addresses from, and how many. */
export interface RangeSlope {
  readonly range: RangeCapacity;
  /** Addresses one node slot of the pool adds to the range's upgrade requirement. */
  readonly perNode: bigint;
  /** The requirement with no slot of the pool at all. */
  readonly base: bigint;
}

/** The ranges pool `index`'s nodes consume, and the requirement each has without them. */
export function rangeSlopes(spec: PlanSpec, index: number, ranges: readonly RangeCapacity[]): RangeSlope[] {
  const pool = spec.nodePools[index];
  if (pool === undefined) return [];
  const slots = BigInt(poolSize(pool).duringUpgrade);
  return ranges.flatMap((range) => {
    const perNode = range.perSlot.get(index) ?? 0n;
    return perNode > 0n ? [{ range, perNode, base: range.required.duringUpgrade - perNode * slots }] : [];
  });
}

function poolReach(
  spec: PlanSpec,
  index: number,
  pool: NodePoolSpec,
  ranges: readonly RangeCapacity[],
): PoolReach {
  const limits = rangeSlopes(spec, index, ranges).map(({ range, perNode, base }) => ({
    slots: Number((range.usable - base) / perNode),
    limit: { kind: range.kind, cidr: range.cidr.toString() } as ReachLimit,
  }));
  const others = spec.nodePools.filter((_, j) => j !== index).map(poolSize);
  const othersUpgrade = others.reduce((sum, s) => sum + s.duringUpgrade, 0);
  const snat = snatSlots(spec);
  if (snat !== null) limits.push({ slots: snat - othersUpgrade, limit: { kind: 'snat' } });
  const configured = configuredAddressSlots(spec, index, ranges);
  if (configured !== null) limits.push({ slots: configured, limit: { kind: 'vnet-address-limit' } });
  limits.push({ slots: AKS.maxNodesPerPool, limit: { kind: 'pool-size-limit' } });
  const nodeLimit = pluginModel(spec.network.plugin).nodeLimit;
  if (nodeLimit !== undefined) {
    limits.push({ slots: nodeLimit.nodes(spec) - othersUpgrade, limit: { kind: nodeLimit.kind } });
  }
  const reaches = limits.map((l) => ({ count: largestCountFor(pool.maxSurge, l.slots), limit: l.limit }));
  const othersSize = others.reduce((sum, s) => sum + s.atMaxCount, 0);
  reaches.push({ count: AKS.maxNodesPerCluster - othersSize, limit: { kind: 'cluster-size-limit' } });
  const dynamicPods = dynamicPodCount(spec, index);
  if (dynamicPods !== null) reaches.push({ count: dynamicPods, limit: { kind: 'dynamic-pod-ip-limit' } });
  // A gateway pool is scaled by hand within its prefix: one address of it per node.
  const prefixHolds = gatewayPoolHolds(pool);
  if (prefixHolds !== undefined) reaches.push({ count: prefixHolds, limit: { kind: 'gateway-prefix' } });
  const tightest = reaches.reduce((min, r) => (r.count < min.count ? r : min));
  return {
    pool: pool.name,
    currentMaxCount: poolSize(pool).atMaxCount,
    maxCount: Math.max(tightest.count, 0),
    limitedBy: tightest.limit,
  };
}

/**
 * The pool's slots (maxima + surge) that keep the VNet within its 65,536 configured addresses,
 * counted as VNET_CONFIGURED_IPS_ABOVE_LIMIT counts them (configured-addresses.ts). Null when
 * the pool's nodes configure none.
 */
function configuredAddressSlots(
  spec: PlanSpec,
  index: number,
  ranges: readonly RangeCapacity[],
): number | null {
  const pool = spec.nodePools[index];
  if (pool === undefined) return null;
  const perNode = ranges.reduce(
    (sum, r) => sum + configuredAddresses(spec, r, r.perSlot.get(index) ?? 0n),
    0n,
  );
  if (perNode === 0n) return null;
  const base = configuredDuringUpgrade(spec, ranges) - perNode * BigInt(poolSize(pool).duringUpgrade);
  return Number((BigInt(AKS.maxConfiguredVnetAddresses) - base) / perNode);
}

/**
 * The largest max count of the pool that keeps a dynamic pod subnet cluster within the 64,000
 * pod IPs AKS supports, counted as DYNAMIC_POD_IPS_ABOVE_LIMIT counts them. Mostly the VNet's
 * limit binds first (each node configures 16 x ceil(maxPods / 16) pod IPs and its own); at
 * maxPods 16N without surge this one does. Null for any other plugin or allocation.
 */
function dynamicPodCount(spec: PlanSpec, index: number): number | null {
  const { plugin, podIpAllocation } = spec.network;
  const pool = spec.nodePools[index];
  if (plugin !== 'azure-cni-pod-subnet' || podIpAllocation === 'static-block' || pool === undefined)
    return null;
  const others = podsAtMaxima(spec.nodePools.filter((_, j) => j !== index));
  return Math.floor((AKS.maxDynamicPodIps - others) / pool.maxPods);
}

/** The most nodes (maxima + surge, all pools) an explicit load balancer allocation carries. */
function snatSlots(spec: PlanSpec): number | null {
  const outbound = spec.outbound;
  if (outbound?.type !== 'loadBalancer' || !outbound.allocatedOutboundPorts) return null;
  const ports = EGRESS.loadBalancerPortsPerIp * (outbound.managedOutboundIps ?? 1);
  return Math.floor(ports / outbound.allocatedOutboundPorts);
}

const MAX_EXACT_SLOTS = 2 ** 40;

/** The largest count M whose M + surge(M) fits in `slots`. */
export function largestCountFor(maxSurge: number | string, slots: number): number {
  // No slot left (reservations past the range's end): no count fits. The shortfall is kept, so
  // the tightest limit is still the one most over, and the search below never starts from it.
  if (slots <= 0) return slots;
  // A count surges at most M nodes: M + min(s, M) fits while M <= slots - s, or 2M <= slots.
  if (typeof maxSurge === 'number') return Math.max(slots - maxSurge, Math.floor(slots / 2));
  const percent = Number(maxSurge.slice(0, -1));
  // An IPv6 range holds more slots than a double counts exactly; no pool comes near this bound.
  const bounded = Math.min(slots, MAX_EXACT_SLOTS);
  let count = Math.floor((bounded * 100) / (100 + percent));
  while (count + 1 + surgeNodes(maxSurge, count + 1) <= bounded) count++;
  while (count > 0 && count + surgeNodes(maxSurge, count) > bounded) count--;
  return count;
}
