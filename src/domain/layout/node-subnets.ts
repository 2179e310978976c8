import {
  type HolderRole,
  type ResolvedPlan,
  type ResolvedPool,
  reservationHolder,
} from '../design/resolved-plan.js';
import type { Cidr } from '../ip/index.js';
import { NO_RESERVATIONS, type ReservationCounts } from './reservations.js';
import { SubnetLayout } from './subnet-layout.js';

/**
 * The reservations a plan places after the node slots of its reservation subnet. Private
 * endpoints go to a private-endpoints subnet when the VNet has one, internal load balancer
 * frontends to an internal-load-balancers subnet (the Services name it in their
 * azure-load-balancer-internal-subnet annotation), and a private cluster's API server to its
 * api-server subnet (API server VNet integration), as Azure places them.
 */
export function planReservations(plan: ResolvedPlan): ReservationCounts {
  // Only a subnet that has a CIDR holds them: one without room leaves them where they were.
  const held = (role: HolderRole) => reservationHolder(plan, role) !== undefined;
  const apiServerSubnet = plan.platformSubnets.some((s) => s.role === 'api-server' && s.cidr !== null);
  const { internalLoadBalancers, privateEndpoints } = plan.spec.reservations;
  return {
    internalLoadBalancers: held('internal-load-balancers') ? 0 : internalLoadBalancers,
    privateEndpoints: held('private-endpoints') ? 0 : privateEndpoints,
    apiServerEndpoints: plan.spec.network.privateCluster && !apiServerSubnet ? 1 : 0,
  };
}

/**
 * One layout per distinct node subnet, in first-use order; pools sharing a subnet are laid
 * out one after another in spec order.
 */
export function layoutNodeSubnets(
  plan: ResolvedPlan,
  addressesPerNode: (pool: ResolvedPool) => number,
  podSlots?: (pool: ResolvedPool) => number,
): SubnetLayout[] {
  const subnets: Cidr[] = [];
  for (const pool of plan.pools) {
    if (!subnets.some((s) => s.equals(pool.nodeSubnet))) subnets.push(pool.nodeSubnet);
  }
  return subnets.map((cidr) => {
    const pools = plan.pools.filter((p) => p.nodeSubnet.equals(cidr));
    const reservations = cidr.equals(plan.reservationSubnet) ? planReservations(plan) : NO_RESERVATIONS;
    return new SubnetLayout(cidr, pools, addressesPerNode, reservations, podSlots);
  });
}
