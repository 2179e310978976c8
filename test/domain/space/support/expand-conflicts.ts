import type { Conflict, HeldRange } from '../../../../src/domain/space/conflicts.js';

const samePlan = (a: HeldRange, b: HeldRange) =>
  a.holder.type === 'plan' && b.holder.type === 'plan' && a.holder.id === b.holder.id;

/**
 * The pairs of held ranges a grouped conflict stands for: every two holders of a single side,
 * or each holder of the first side with each of the second; never a plan with itself.
 */
export function expandPairs(conflict: Conflict): [HeldRange, HeldRange][] {
  const [first, second] = conflict.sides;
  const pairs: [HeldRange, HeldRange][] = [];
  const left = first.holders();
  if (second === undefined) {
    left.forEach((a, i) => {
      for (const b of left.slice(i + 1)) if (!samePlan(a, b)) pairs.push([a, b]);
    });
    return pairs;
  }
  const right = second.holders();
  for (const a of left) for (const b of right) if (!samePlan(a, b)) pairs.push([a, b]);
  return pairs;
}
