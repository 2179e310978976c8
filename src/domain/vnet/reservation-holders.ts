import { AZURE_SUBNET } from '../aks-limits.js';
import {
  HOLDER_ROLES,
  type HolderRole,
  type PlacedPlatformSubnet,
  type ResolvedPlan,
  reservationHolder,
} from '../design/resolved-plan.js';
import type { WarningCode } from '../design/warning.js';
import type { Cidr } from '../ip/index.js';
import type { AddressRole } from '../layout/layout-types.js';

/** What a holder role keeps in its subnet: how lookups answer it, how it is named, its warning. */
const HELD: Readonly<
  Record<HolderRole, { role: AddressRole; one: string; many: string; full: WarningCode }>
> = {
  'private-endpoints': {
    role: 'private-endpoint',
    one: 'private endpoint',
    many: 'private endpoints',
    full: 'PRIVATE_ENDPOINTS_SUBNET_FULL',
  },
  'internal-load-balancers': {
    role: 'load-balancer',
    one: 'internal load balancer frontend',
    many: 'internal load balancer frontends',
    full: 'INTERNAL_LOAD_BALANCERS_SUBNET_FULL',
  },
};

/** Reservations a platform subnet holds from its first usable address. */
export interface HeldReservations {
  readonly subnet: PlacedPlatformSubnet & { readonly cidr: Cidr };
  /** What lookups answer for the first `count` usable addresses. */
  readonly role: AddressRole;
  readonly count: number;
  readonly usable: number;
  /** "3 private endpoints" */
  readonly words: string;
  /** Plural, as a warning names them. */
  readonly many: string;
  /** The warning when `count` passes `usable`. */
  readonly full: WarningCode;
}

/**
 * The reservations each holder subnet of the plan holds (the first subnet of its role with a
 * CIDR; reservationHolder): the one place that says which subnet, what and how many, for the
 * VNet view, its warnings and lookups alike.
 */
export function heldReservations(plan: ResolvedPlan): HeldReservations[] {
  return (Object.keys(HOLDER_ROLES) as HolderRole[]).flatMap((holderRole) => {
    const subnet = reservationHolder(plan, holderRole);
    if (subnet === undefined) return [];
    const { role, one, many, full } = HELD[holderRole];
    const count = plan.spec.reservations[HOLDER_ROLES[holderRole]];
    const usable = Number(subnet.cidr.size) - AZURE_SUBNET.reserved;
    return [{ subnet, role, count, usable, words: `${count} ${count === 1 ? one : many}`, many, full }];
  });
}
