import type { PlacedPlatformSubnet } from '../design/resolved-plan.js';
import type { PlanInput } from '../design/spec.js';
import { DomainError, invalidInput } from '../errors.js';

/**
 * A platform subnet given by its role or size alone is placed again on every replacement, and a
 * subnet added to the design (a larger one, placed first, or a pool's subnet given where it lay)
 * may push it elsewhere, though the subnet, once created in Azure, stays where it is. When a
 * replacement would move one the plan had (the same name, as Azure compares names, without
 * case, and the same size; placed or given a CIDR), every such subnet given by its size keeps the
 * CIDR it had, written into the design with its size, so the replacement lists them among its
 * changes; the others are placed around them (see `withPlacedCidrs`). Undefined when nothing
 * would move: a replacement that changes nothing still writes nothing.
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
    return old === undefined ? subnet : { ...subnet, cidr: old.toString(), prefixLength: old.prefixLength };
  });
  return { ...input, platformSubnets };
}

/** Where the plan had this subnet, given or placed: one of its name (any case) and size. */
function sitedBefore(now: PlacedPlatformSubnet | undefined, before: readonly PlacedPlatformSubnet[]) {
  if (now === undefined) return undefined;
  const name = now.name.toLowerCase();
  const old = before.find((s) => s.name.toLowerCase() === name);
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
    if (subnet.cidr !== undefined || cidr == null) return subnet;
    return { ...subnet, cidr: cidr.toString(), prefixLength: cidr.prefixLength };
  });
  return platformSubnets === undefined ? input : { ...input, platformSubnets };
}

/**
 * A replacement refused for a subnet it kept where the plan had it (a pool's subnet given there,
 * a VNet that no longer holds it) names that subnet's CIDR, which the caller never sent, and why
 * it is there: the caller may give another CIDR to move it.
 */
export function explainKept(error: unknown, input: PlanInput, kept: PlanInput): unknown {
  if (!(error instanceof DomainError) || error.problems.length === 0) return error;
  const problems = error.problems.map((problem) => {
    const index = /^platformSubnets\[(\d+)\]/.exec(problem.path)?.[1];
    const at = index === undefined ? undefined : Number(index);
    const cidr =
      at === undefined || input.platformSubnets?.[at]?.cidr !== undefined
        ? undefined
        : kept.platformSubnets?.[at]?.cidr;
    if (cidr === undefined) return problem;
    const why = `${cidr} is where the plan had this subnet, kept there as Azure keeps a created subnet: give it a cidr to move it`;
    return { ...problem, message: `${problem.message} (${why})` };
  });
  return invalidInput(problems);
}

/** A design as planned, for what this module reads of it: its laid-out platform subnets. */
interface Laid {
  readonly model: { readonly plan: { readonly platformSubnets: readonly PlacedPlatformSubnet[] } };
}

/**
 * A replacement planned with `plan`, keeping the platform subnets the plan had (`before`, laid
 * out) where they were: the design as given when nothing would move, else the design with the
 * kept subnets' and then the new ones' CIDRs written in (at most three plannings). A refusal of
 * the kept design says why a kept subnet is where it is.
 */
export function planKeepingSubnets<T extends Laid>(
  input: PlanInput,
  before: readonly PlacedPlatformSubnet[],
  plan: (input: PlanInput) => T,
): T {
  const design = plan(input);
  const kept = keepPlacedSubnets(input, before, design.model.plan.platformSubnets);
  if (kept === undefined) return design;
  try {
    return plan(withPlacedCidrs(kept, plan(kept).model.plan.platformSubnets));
  } catch (error) {
    throw explainKept(error, input, kept);
  }
}
