import type { PlacedPlatformSubnet } from '../design/resolved-plan.js';
import type { PlanInput } from '../design/spec.js';

/**
 * A platform subnet given by its role or size alone is placed again on every replacement, and a
 * subnet added to the design (a larger one, placed first, or a pool's subnet given where it lay)
 * may push it elsewhere, though the subnet, once created in Azure, stays where it is. When a
 * replacement would move one that the plan had (same role, name and size, placed or given a
 * CIDR), every such subnet given by its size keeps the CIDR it had, written into the design, so
 * the replacement lists them among its changes; the others are placed around them (see
 * `withPlacedCidrs`). Undefined when nothing would move: a replacement that changes nothing still
 * writes nothing.
 */
export function keepPlacedSubnets(
  input: PlanInput,
  before: readonly PlacedPlatformSubnet[],
  after: readonly PlacedPlatformSubnet[],
): PlanInput | undefined {
  const given = input.platformSubnets;
  if (given === undefined) return undefined;
  const had = given.map((subnet, i) =>
    subnet.cidr === undefined ? sitedBefore(after[i], before) : undefined,
  );
  const moves = had.some((old, i) => old !== undefined && after[i]?.cidr?.equals(old) !== true);
  if (!moves) return undefined;
  const platformSubnets = given.map((subnet, i) => {
    const old = had[i];
    return old === undefined ? subnet : { ...subnet, cidr: old.toString() };
  });
  return { ...input, platformSubnets };
}

/** Where the plan had this subnet, given or placed, when it had one of that role, name and size. */
function sitedBefore(now: PlacedPlatformSubnet | undefined, before: readonly PlacedPlatformSubnet[]) {
  if (now === undefined) return undefined;
  const old = before.find((s) => s.role === now.role && s.name === now.name);
  if (old?.cidr == null || old.prefixLength !== now.prefixLength) return undefined;
  return old.cidr;
}

/**
 * The design with every subnet given by its size written with the CIDR it was placed at: after a
 * replacement kept subnets where they were, the new ones are written where they went, so that the
 * same replacement sent again moves nothing and changes nothing.
 */
export function withPlacedCidrs(input: PlanInput, placed: readonly PlacedPlatformSubnet[]): PlanInput {
  const platformSubnets = input.platformSubnets?.map((subnet, i) => {
    const cidr = placed[i]?.cidr;
    return subnet.cidr !== undefined || cidr == null ? subnet : { ...subnet, cidr: cidr.toString() };
  });
  return platformSubnets === undefined ? input : { ...input, platformSubnets };
}
