/** Small builders shared by the domain tests: a valid node-subnet design and ways to read its answers. */
import { expect } from 'vitest';
import type { NetworkInput, NodePoolInput, PlanInput } from '../../src/domain/design/spec.js';
import { DomainError, type Problem } from '../../src/domain/errors.js';
import { IpAddress } from '../../src/domain/ip/index.js';
import type { AddressMatch, NodeSlot } from '../../src/domain/layout/layout-types.js';
import { type PlannedDesign, planDesign } from '../../src/domain/plan/planner.js';
import { DEFAULT_NETWORK, DEFAULT_RESERVATIONS, NODE_SUBNET_PLUGIN } from '../support/examples.js';

export { NODE_SUBNET_PLUGIN };

export interface DesignOverrides {
  name?: string;
  network?: NetworkInput;
  nodePools?: NodePoolInput[];
  reservations?: PlanInput['reservations'];
}

/** A valid Azure CNI node-subnet design (10.240.0.0/16, one 3-node system pool) with overrides. */
export function design(overrides: DesignOverrides = {}): PlanInput {
  const input: PlanInput = {
    name: overrides.name ?? 'test-cluster',
    network: { plugin: NODE_SUBNET_PLUGIN, nodeSubnet: '10.240.0.0/16', ...overrides.network },
    nodePools: overrides.nodePools ?? [{ name: 'system', nodeCount: 3 }],
  };
  if (overrides.reservations !== undefined) input.reservations = overrides.reservations;
  return input;
}

/**
 * design() with every default written out: what the planner completes design() to, and an
 * input that leaves it nothing to default. `network` and `reservations` are merged field by
 * field; `nodePools` replaces the 3-node system pool.
 */
export function completedSpec(overrides: DesignOverrides = {}): PlanInput {
  return {
    name: overrides.name ?? 'test-cluster',
    network: { ...DEFAULT_NETWORK, nodeSubnet: '10.240.0.0/16', ...overrides.network },
    nodePools: overrides.nodePools ?? [
      { name: 'system', mode: 'System', osType: 'Linux', nodeCount: 3, maxPods: 30, maxSurge: '10%' },
    ],
    reservations: { ...DEFAULT_RESERVATIONS, ...overrides.reservations },
  };
}

export function plan(overrides: DesignOverrides = {}): PlannedDesign {
  return planDesign(design(overrides));
}

/** The DomainError a design is rejected with; fails the test when it is accepted. */
export function rejection(input: PlanInput): DomainError {
  try {
    planDesign(input);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected the design to be rejected');
}

/** The (code, path) pairs of a rejection, in the order they were reported. */
export function problemKeys(input: PlanInput): { code: string; path: string }[] {
  return rejection(input).problems.map(({ code, path }: Problem) => ({ code, path }));
}

/** Asserts the design is rejected with exactly this one problem (and the error carries its code). */
export function expectOnlyProblem(input: PlanInput, code: string, path: string): DomainError {
  const error = rejection(input);
  expect(error.problems.map(({ code, path }) => ({ code, path }))).toEqual([{ code, path }]);
  expect(error.code).toBe(code);
  return error;
}

/** Asserts the design is rejected with this problem among others. */
export function expectProblem(input: PlanInput, code: string, path: string): void {
  expect(problemKeys(input)).toContainEqual({ code, path });
}

export const ip = (text: string): IpAddress => IpAddress.parse(text);

/** A lookup match with its values written as text, for readable comparisons. */
export function plainMatch(match: AddressMatch) {
  return {
    role: match.role,
    range: match.range.toString(),
    pool: match.pool,
    nodeIndex: match.nodeIndex,
    nodeIp: match.nodeIp?.toString(),
  };
}

export function lookup(planned: PlannedDesign, address: string) {
  return planned.model.lookup(ip(address)).map(plainMatch);
}

/** A node slot with its values written as text. */
export function plainSlot(slot: NodeSlot) {
  return {
    pool: slot.pool,
    index: slot.index,
    fits: slot.fits,
    nodeIp: slot.nodeIp?.toString() ?? null,
    podRange:
      slot.podRange == null
        ? slot.podRange
        : {
            first: slot.podRange.first.toString(),
            last: slot.podRange.last.toString(),
            count: slot.podRange.count,
          },
  };
}

export function allSlots(planned: PlannedDesign, pool?: string) {
  const limit = planned.model.slotCount(pool);
  return planned.model
    .slots(pool === undefined ? { offset: 0, limit } : { pool, offset: 0, limit })
    .map(plainSlot);
}
