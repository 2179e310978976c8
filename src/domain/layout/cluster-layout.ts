import type { RangeCapacity } from '../capacity/range-capacity.js';
import type { Cidr, IpAddress } from '../ip/index.js';
import type { AddressMatch, NodeSlot, PlanRange } from './layout-types.js';
import type { SubnetLocator } from './subnet-locator.js';

export interface SlotQuery {
  readonly pool?: string;
  readonly offset: number;
  readonly limit: number;
}

/**
 * What a plugin model answers about a valid design: its node slots, the ranges it occupies,
 * what an address is, and how full each range gets. Every answer is arithmetic on ranges.
 */
export interface ClusterLayout {
  /** Node slots of one pool, or of every pool; undefined pool names count 0. */
  slotCount(pool?: string): number;
  /** A page of node slots in plan order (spec order of pools, slot order within a pool). */
  slots(query: SlotQuery): NodeSlot[];
  ranges(): PlanRange[];
  /** Matches of `address` in this plugin's ranges (the service CIDR is answered elsewhere). */
  lookup(address: IpAddress): AddressMatch[];
  /** The locator of the node subnet with exactly this CIDR: what a lookup index keeps. */
  nodeSubnetLocator(cidr: Cidr): SubnetLocator | undefined;
  capacity(): RangeCapacity[];
}
