import { formatCount } from '../capacity/numbers.js';
import type { AddressRole } from './layout-types.js';

/** Addresses a subnet hands out after its last node slot, in this order. */
export interface ReservationCounts {
  readonly internalLoadBalancers: number;
  readonly privateEndpoints: number;
  /** A private cluster's API server endpoint: 1 or 0. */
  readonly apiServerEndpoints: number;
}

/**
 * The most addresses of one kind a design may reserve: a /16's worth, more than the subnets they
 * share with nodes hold in practice (DECIDED). It keeps every total the answer holds exact.
 */
export const MAX_RESERVED_ADDRESSES = 65_536;

export const NO_RESERVATIONS: ReservationCounts = {
  internalLoadBalancers: 0,
  privateEndpoints: 0,
  apiServerEndpoints: 0,
};

export function reservationTotal(r: ReservationCounts): number {
  return r.internalLoadBalancers + r.privateEndpoints + r.apiServerEndpoints;
}

/** The role of the `position`-th reserved address, or undefined past the last one. */
export function reservationRole(r: ReservationCounts, position: number): AddressRole | undefined {
  if (position < 0) return undefined;
  if (position < r.internalLoadBalancers) return 'load-balancer';
  // A private cluster's API server is reached through a private endpoint.
  if (position < reservationTotal(r)) return 'private-endpoint';
  return undefined;
}

/** "2 load balancers + 1 private endpoint": the reservation terms of a capacity explanation. */
export function describeReservations(r: ReservationCounts): string[] {
  const terms: string[] = [];
  const add = (count: number, one: string, many: string) => {
    if (count > 0) terms.push(`${formatCount(count)} ${count === 1 ? one : many}`);
  };
  add(r.internalLoadBalancers, 'load balancer', 'load balancers');
  add(r.privateEndpoints, 'private endpoint', 'private endpoints');
  add(r.apiServerEndpoints, 'API server endpoint', 'API server endpoints');
  return terms;
}
