import type { Problem } from '../errors.js';
import type { Cidr } from '../ip/index.js';
import type { PlanRange } from '../layout/layout-types.js';

/** A block a plan took from a space, released with the plan. */
export interface PlanBlock {
  readonly id: string;
  readonly cidr: Cidr;
}

/** Where a design names a range without a path of its own (pod CIDRs, the VNet). */
const KIND_PATHS: Partial<Record<PlanRange['kind'], string>> = {
  'pod-cidr': 'network.podCidr',
  vnet: 'network.vnetAddressSpace',
};

/**
 * A range a plan took from a space stays inside its block: the space hands out what lies around
 * the block to others. The ranges that came from a block are those of the stored revision inside
 * it; the new revision's range in the same place (an overlay pod CIDR grown to a superset, a
 * VNet widened) must stay inside it too.
 */
export function rangesLeavingBlocks(
  blocks: readonly PlanBlock[],
  before: readonly PlanRange[],
  after: readonly PlanRange[],
): Problem[] {
  const next = new Map(keyed(after).map(([key, range]) => [key, range]));
  const problems = new Map<string, Problem>();
  for (const [key, old] of keyed(before)) {
    const block = blocks.find((b) => b.cidr.covers(old.cidr));
    const now = next.get(key);
    if (block === undefined || now === undefined || block.cidr.covers(now.cidr)) continue;
    const path = old.path ?? KIND_PATHS[old.kind] ?? old.kind;
    problems.set(path, {
      code: 'RANGE_OUTSIDE_BLOCK',
      path,
      message: `${now.cidr} leaves ${block.cidr}, the block the plan took from a space for it (allocation ${block.id}): a range taken from a space stays inside its block`,
    });
  }
  return [...problems.values()];
}

/** Each range under a key that names the same place in two revisions: its path, or its kind, family and rank. */
function keyed(ranges: readonly PlanRange[]): [string, PlanRange][] {
  const seen = new Map<string, number>();
  return ranges.map((range) => {
    const place = range.path ?? `${range.kind} ${range.cidr.family}`;
    const rank = seen.get(place) ?? 0;
    seen.set(place, rank + 1);
    return [`${place} ${rank}`, range];
  });
}
