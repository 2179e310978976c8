import type { RangeCapacity } from '../capacity/range-capacity.js';
import type { IpAddress } from '../ip/index.js';
import type { AddressMatch, NodeSlot, PlanRange } from './layout-types.js';

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
  capacity(): RangeCapacity[];
}
