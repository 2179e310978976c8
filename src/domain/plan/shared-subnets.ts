import { DomainError, type Problem } from '../errors.js';
import type { Cidr } from '../ip/index.js';
import type { PlanRange } from '../layout/layout-types.js';

/** Another stored plan's node subnet that overlaps one of a plan's node subnets. */
export interface HeldSubnet {
  readonly planId: string;
  readonly planName: string;
  readonly cidr: Cidr;
  /** The other plan may share its subnet with no one (kubenet). */
  readonly exclusive: boolean;
  /** Whether the writer's team may see the other plan: if not, a refusal does not name it. */
  readonly visible: boolean;
}

function holder(other: HeldSubnet): string {
  return other.visible ? `plan "${other.planName}" (id ${other.planId})` : "another team's plan";
}

/**
 * kubenet allows one cluster per subnet: a plan whose node subnet is exclusive may overlap no
 * other plan's node subnet, and no plan may overlap an exclusive one. Azure CNI clusters may
 * share subnets with each other. Every clash is reported, each at the path naming the subnet.
 */
export function sharedSubnetRefusal(
  ranges: readonly PlanRange[],
  held: readonly HeldSubnet[],
): DomainError | undefined {
  const clashes = ranges.flatMap((range) =>
    range.kind !== 'node-subnet'
      ? []
      : held
          .filter((other) => (range.exclusive === true || other.exclusive) && other.cidr.overlaps(range.cidr))
          .map((other) => ({ range, other })),
  );
  const [first] = clashes;
  if (first === undefined) return undefined;
  const problems: Problem[] = clashes.map(({ range, other }) => ({
    code: 'KUBENET_SUBNET_SHARED',
    path: range.path ?? 'network.nodeSubnet',
    message: `${range.cidr} is used by ${holder(other)}`,
  }));
  const { range, other } = first;
  return new DomainError(
    'KUBENET_SUBNET_SHARED',
    other.visible
      ? `kubenet allows one cluster per subnet: ${range.cidr} overlaps ${other.cidr} of ${holder(other)}`
      : `kubenet allows one cluster per subnet: ${range.cidr} overlaps a node subnet of ${holder(other)}`,
    problems,
  );
}
