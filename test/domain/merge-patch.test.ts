import { describe, expect, it } from 'vitest';
import { mergePatch } from '../../src/domain/plan/merge-patch.js';

describe('mergePatch (RFC 7396, node pools by name)', () => {
  it.each([
    // objects merge key by key
    [{ a: 1, b: { c: 2, d: 3 } }, { b: { c: 9 } }, { a: 1, b: { c: 9, d: 3 } }],
    // null removes a field
    [{ a: 1, b: 2 }, { b: null }, { a: 1 }],
    // arrays of plain values are replaced whole
    [{ v: ['10.0.0.0/8'] }, { v: ['10.1.0.0/16', '10.2.0.0/16'] }, { v: ['10.1.0.0/16', '10.2.0.0/16'] }],
    // a scalar replaces an object
    [{ a: { b: 1 } }, { a: 5 }, { a: 5 }],
    // RFC 7396 example: a patch that is not an object replaces the target
    [{ a: 1 }, ['x'], ['x']],
  ])('%j + %j = %j', (target, patch, result) => {
    expect(mergePatch(target, patch)).toEqual(result);
  });

  it('patches node pools by name and appends new ones, leaving the others as they are', () => {
    const pools = [
      { name: 'system', nodeCount: 3, maxPods: 30 },
      { name: 'apps', nodeCount: 10, maxPods: 30 },
    ];
    const patched = mergePatch(pools, [
      { name: 'apps', maxPods: 50, maxCount: null },
      { name: 'batch', nodeCount: 1 },
    ]);
    expect(patched).toEqual([
      { name: 'system', nodeCount: 3, maxPods: 30 },
      { name: 'apps', nodeCount: 10, maxPods: 50 },
      { name: 'batch', nodeCount: 1 },
    ]);
  });

  it('appends a second change of one name, so that the pool named twice is refused, not merged', () => {
    const pools = [{ name: 'system', nodeCount: 3 }];
    expect(
      mergePatch(pools, [
        { name: 'system', nodeCount: 9 },
        { name: 'system', nodeCount: 5 },
      ]),
    ).toEqual([
      { name: 'system', nodeCount: 9 },
      { name: 'system', nodeCount: 5 },
    ]);
  });

  it('changes a pool changed twice a second time, from what it was: both complete, both listed', () => {
    // Each change alone is no pool; listed as written they would hide the duplicate behind
    // "nodeCount required". Each patched onto the pool, the design names it twice.
    const pools = [{ name: 'apps', nodeCount: 10, maxPods: 30 }];
    expect(
      mergePatch(pools, [
        { name: 'apps', maxPods: 40 },
        { name: 'apps', maxPods: 50 },
      ]),
    ).toEqual([
      { name: 'apps', nodeCount: 10, maxPods: 40 },
      { name: 'apps', nodeCount: 10, maxPods: 50 },
    ]);
  });

  it('changes a new pool named twice from what its first change made it', () => {
    expect(
      mergePatch(
        [{ name: 'system', nodeCount: 3 }],
        [
          { name: 'gpu', nodeCount: 2 },
          { name: 'gpu', maxPods: 50 },
        ],
      ),
    ).toEqual([
      { name: 'system', nodeCount: 3 },
      { name: 'gpu', nodeCount: 2 },
      { name: 'gpu', nodeCount: 2, maxPods: 50 },
    ]);
  });

  it('adds a new pool as its change patched onto nothing: a null in it is no field', () => {
    expect(
      mergePatch([{ name: 'system', nodeCount: 3 }], [{ name: 'gpu', nodeCount: 2, maxCount: null }]),
    ).toEqual([
      { name: 'system', nodeCount: 3 },
      { name: 'gpu', nodeCount: 2 },
    ]);
  });

  it('never changes its inputs', () => {
    const target = { network: { plugin: 'kubenet' }, nodePools: [{ name: 'system', nodeCount: 3 }] };
    const copy = structuredClone(target);
    mergePatch(target, {
      network: { plugin: 'azure-cni-overlay' },
      nodePools: [{ name: 'system', nodeCount: 5 }],
    });
    expect(target).toEqual(copy);
  });
});
