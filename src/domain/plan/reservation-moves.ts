import {
  HOLDER_ROLES,
  type HolderRole,
  type ResolvedPlan,
  reservationHolder,
} from '../design/resolved-plan.js';
import type { Warning } from '../design/warning.js';

/** Where a role's reservations are planned: a subnet of its own (named), or the node subnet. */
interface Place {
  readonly words: string;
  /** Which subnet: a name in any case (Azure's names are), or the node subnet's CIDR. */
  readonly key: string;
  readonly subnetName?: string;
}

const ANNOTATION = 'service.beta.kubernetes.io/azure-load-balancer-internal-subnet';

/** What a role's reservations are called, and until when those that exist stay where they were. */
const MOVES: Readonly<Record<HolderRole, { many: string; until: (from: Place, to: Place) => string }>> = {
  'internal-load-balancers': {
    many: 'internal load balancer frontends',
    // A Service's frontend follows its annotation (internal-lb), not the plan.
    until: (from, to) => {
      if (to.subnetName !== undefined)
        return `until their Services are annotated ${ANNOTATION}: ${to.subnetName}`;
      if (from.subnetName !== undefined) return `until their Services drop the annotation ${ANNOTATION}`;
      return `until their Services are annotated ${ANNOTATION} with that subnet's name`;
    },
  },
  'private-endpoints': {
    many: 'private endpoints',
    // A private endpoint is its own resource, not something AKS or the plan moves.
    until: (_from, to) => `until each is moved to ${to.words} or created there again`,
  },
};

/**
 * Warnings of a replacement that changes where a role's reservations are planned: the first
 * subnet of the role with a CIDR holds them, or the first pool's node subnet without one
 * (reservationHolder), so adding such a subnet, or one before it, or removing it, moves them in
 * the plan, while the running cluster's stay where they are and keep their addresses. Said on the
 * replacement's answer only, and only when some are planned before and after: the plan itself is
 * consistent, the move is what the caller should know.
 */
export function reservationMoves(before: ResolvedPlan, after: ResolvedPlan): Warning[] {
  return (Object.keys(HOLDER_ROLES) as HolderRole[]).flatMap((role) => {
    const count = HOLDER_ROLES[role];
    if (before.spec.reservations[count] === 0 || after.spec.reservations[count] === 0) return [];
    const from = placeOf(before, role);
    const to = placeOf(after, role);
    // A subnet that keeps its name keeps what it holds, also under a new CIDR (Services and
    // endpoints name the subnet, not its range); a pool reorder changing the first pool's moves them.
    if (from.key === to.key) return [];
    const { many, until } = MOVES[role];
    const message = `${many} are planned in ${to.words} now, not in ${from.words}: those that exist stay there, taking addresses the plan no longer counts, ${until(from, to)}`;
    return [{ code: 'RESERVATIONS_MOVED' as const, message }];
  });
}

function placeOf(plan: ResolvedPlan, role: HolderRole): Place {
  const holder = reservationHolder(plan, role);
  return holder === undefined
    ? { words: `the first pool's node subnet ${plan.reservationSubnet}`, key: `${plan.reservationSubnet}` }
    : {
        words: `subnet ${holder.name} (${holder.cidr})`,
        key: `name:${holder.name.toLowerCase()}`,
        subnetName: holder.name,
      };
}
