import type { RangeCapacity } from '../capacity/range-capacity.js';
import type { PlanSpec } from '../design/spec.js';
import { BLOCK_SIZE } from '../plugins/azure-cni-pod-subnet/static-block-layout.js';

/**
 * The VNet configured addresses that `addresses` of a range stand for (concepts-network-ip-
 * address-planning: a VNet holds at most 65,536): each node IP, load balancer frontend and
 * private endpoint, and each pod IP Azure CNI pre-allocates in a node subnet or hands out from a
 * dynamic pod subnet. A static /28 block counts once, as one prefix ("the block, rather than a
 * single IP, counts against the VNet private IP limit of 65K": the AKS API's
 * PodIPAllocationMode); overlay and kubenet pods are not in the VNet.
 */
export function configuredAddresses(spec: PlanSpec, range: RangeCapacity, addresses: bigint): bigint {
  if (range.kind === 'node-subnet') return addresses;
  if (range.kind !== 'pod-subnet') return 0n;
  return spec.network.podIpAllocation === 'static-block' ? addresses / BigInt(BLOCK_SIZE) : addresses;
}

/** The configured addresses of the whole design during an upgrade, every pool at its maximum. */
export function configuredDuringUpgrade(spec: PlanSpec, ranges: readonly RangeCapacity[]): bigint {
  return ranges.reduce((sum, r) => sum + configuredAddresses(spec, r, r.required.duringUpgrade), 0n);
}
