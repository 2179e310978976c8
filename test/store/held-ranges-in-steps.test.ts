/** Rows turned into held ranges a few at a time are the ranges turned at once, in order. */
import { describe, expect, it } from 'vitest';
import {
  type HeldAllocationRow,
  type HeldPlanRow,
  heldRangesInSteps,
  heldRangesOf,
} from '../../src/store/held-range-rows.js';

const plans: HeldPlanRow[] = Array.from({ length: 23 }, (_, i) => ({
  id: `plan-${i % 5}`,
  name: `p${i % 5}`,
  exclusive: i % 2,
  kind: i % 3 === 0 ? 'node-subnet' : 'pod-cidr',
  cidr: `10.${i}.0.0/24`,
  subnet_name: i % 4 === 0 ? `aks-${i}` : null,
  pod_ip_allocation: i % 6 === 0 ? 'static-block' : null,
  subnet_demand: i % 7 === 0 ? i : null,
}));
const allocations: HeldAllocationRow[] = Array.from({ length: 11 }, (_, i) => ({
  id: `block-${i}`,
  name: 'hub: p',
  cidr: `172.16.${i}.0/24`,
  plan_id: i % 2 === 0 ? null : `plan-${i % 5}`,
}));

describe('heldRangesInSteps', () => {
  it.each([1, 4, 23, 24, 34, 5_000])('in steps of %i rows equals heldRangesOf', async (rows) => {
    expect(await heldRangesInSteps(plans, allocations, rows)).toEqual(heldRangesOf(plans, allocations));
  });

  it('handles no rows', async () => {
    expect(await heldRangesInSteps([], [], 3)).toEqual([]);
    expect(await heldRangesInSteps([], allocations, 3)).toEqual(heldRangesOf([], allocations));
  });
});
