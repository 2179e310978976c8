import { AZURE_SUBNET } from '../aks-limits.js';
import { poolTerms, totalTerm } from '../capacity/explain.js';
import { type RangeCapacity, type Requirement, rangeCapacity } from '../capacity/range-capacity.js';
import { poolRequirement } from '../capacity/requirement.js';
import { smallestSubnetPrefix } from '../capacity/subnet-prefix.js';
import type { ResolvedPool } from '../design/resolved-plan.js';
import { describeReservations, reservationTotal } from './reservations.js';
import type { SubnetLayout } from './subnet-layout.js';

/**
 * Capacity of a node subnet: (nodes + surge) x addresses per node summed over its pools,
 * plus the reservations it hosts, against its usable addresses.
 * `perNodeLabel` writes one pool's addresses per node for the explanation, e.g. "(1 node + 30 pods)".
 */
export function subnetCapacity(
  layout: SubnetLayout,
  perNodeLabel: (pool: ResolvedPool) => string,
): RangeCapacity {
  const required = subnetRequirement(layout);
  const usable = layout.usable;
  return rangeCapacity({
    kind: 'node-subnet',
    cidr: layout.cidr,
    total: layout.cidr.size,
    azureReserved: BigInt(AZURE_SUBNET.reserved),
    usable,
    required,
    nodeSlots: nodeSlots(layout),
    explain: explainSubnet(layout, required.duringUpgrade, perNodeLabel),
    recommendedPrefixLength: smallestSubnetPrefix(required.duringUpgrade),
    perSlot: new Map(layout.members.map((m) => [m.pool.index, m.perNode])),
  });
}

function subnetRequirement(layout: SubnetLayout): Requirement {
  const perNode = new Map(layout.members.map((m) => [m.pool, m.perNode]));
  const reserved = BigInt(reservationTotal(layout.reservations));
  return poolRequirement(
    layout.members.map((m) => m.pool),
    (pool) => perNode.get(pool) ?? 0n,
    reserved,
  );
}

/**
 * Nodes the subnet holds after its reservations. With pools of different sizes per node the
 * largest block counts, so the figure is a number of nodes that fits whichever pool grows.
 */
function nodeSlots(layout: SubnetLayout): bigint {
  const perNode = layout.members.reduce((max, m) => (m.perNode > max ? m.perNode : max), 1n);
  const room = layout.usable - BigInt(reservationTotal(layout.reservations));
  return room > 0n ? room / perNode : 0n;
}

function explainSubnet(
  layout: SubnetLayout,
  duringUpgrade: bigint,
  perNodeLabel: (pool: ResolvedPool) => string,
): string {
  const pools = layout.members.map((m) => m.pool);
  const terms = [...poolTerms(pools, perNodeLabel), ...describeReservations(layout.reservations)];
  return `${terms.join(' + ')} ${totalTerm(duringUpgrade, layout.usable)}`;
}
