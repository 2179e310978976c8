/** Counts the HTTP schema refuses are refused by the domain too: imports reach it without a schema. */
import { describe, expect, it } from 'vitest';
import type { DomainError } from '../../src/domain/errors.js';
import { planDesign } from '../../src/domain/plan/planner.js';

const design = (user: Record<string, number>) => ({
  name: 'x',
  network: { plugin: 'azure-cni-node-subnet' as const, nodeSubnet: '10.240.0.0/16' },
  nodePools: [
    { name: 'system', nodeCount: 3 },
    { name: 'user', mode: 'User' as const, nodeCount: 2, ...user },
  ],
});

describe('node counts', () => {
  it.each([
    [{ nodeCount: -5 }, 'nodePools[1].nodeCount', 'nodeCount -5 must be a whole number of nodes from 0'],
    [{ nodeCount: 1.5 }, 'nodePools[1].nodeCount', 'nodeCount 1.5 must be a whole number of nodes from 0'],
    [
      { minCount: -1, maxCount: 4 },
      'nodePools[1].minCount',
      'minCount -1 must be a whole number of nodes from 0',
    ],
    [
      { maxCount: 2 ** 60 },
      'nodePools[1].maxCount',
      `maxCount ${2 ** 60} must be a whole number of nodes from 0`,
    ],
  ])('refuses %j with NODE_COUNT_INVALID at its field', (user, path, message) => {
    let refused: DomainError | undefined;
    try {
      planDesign(design(user));
    } catch (error) {
      refused = error as DomainError;
    }
    expect(refused?.problems).toEqual([{ code: 'NODE_COUNT_INVALID', path, message }]);
  });
});
