import { describe, expect, it } from 'vitest';
import type { ResolvedPool } from '../../../src/domain/design/resolved-plan.js';
import type { NodePoolSpec } from '../../../src/domain/design/spec.js';
import { Cidr } from '../../../src/domain/ip/index.js';
import { CreationOrder } from '../../../src/domain/layout/creation-order.js';

function pool(name: string, current: number, atMaxCount: number, surge: number): ResolvedPool {
  const spec = { name, nodeCount: current, mode: 'User', osType: 'Linux', maxPods: 30, maxSurge: surge };
  return {
    spec: spec as NodePoolSpec,
    index: 0,
    size: { current, atMaxCount, surge, duringUpgrade: atMaxCount + surge },
    nodeSubnet: Cidr.parse('10.0.0.0/24'),
    nodeSubnetPath: 'network.nodeSubnet',
  };
}

describe('CreationOrder', () => {
  // a: 2 nodes, max 3, 1 surge (4 slots of 10 units); b: 1 node, 1 surge (2 slots of 5 units).
  const a = pool('a', 2, 3, 1);
  const b = pool('b', 1, 1, 1);
  const order = new CreationOrder([a, b], (p) => (p === a ? 10n : 5n), 4n, 3n);

  it('places current nodes, then the gap, then growth and surge, pools in spec order', () => {
    expect([0, 1, 2, 3].map((i) => order.startOf(a, i))).toEqual([4n, 14n, 32n, 42n]);
    expect([0, 1].map((i) => order.startOf(b, i))).toEqual([24n, 52n]);
    expect(order.gapStart).toBe(29n); // after a0, a1, b0: 4 + 2 x 10 + 5
    expect(order.end).toBe(57n);
  });

  it.each([
    [3n, undefined], // before the first slot
    [4n, ['a', 0, 0n]],
    [13n, ['a', 0, 9n]], // last unit of a0
    [24n, ['b', 0, 0n]],
    [28n, ['b', 0, 4n]],
    [29n, undefined], // the gap
    [31n, undefined], // last unit of the gap
    [32n, ['a', 2, 0n]],
    [51n, ['a', 3, 9n]],
    [52n, ['b', 1, 0n]],
    [56n, ['b', 1, 4n]],
    [57n, undefined], // past the last slot
  ])('finds offset %s in %o', (offset, expected) => {
    const slot = order.at(offset);
    expect(slot && [slot.run.pool.spec.name, slot.index, slot.position]).toEqual(expected);
  });

  it('has no slot for an index past the pool, nor for a pool of zero nodes', () => {
    expect(order.startOf(a, 4)).toBeUndefined();
    const empty = pool('empty', 0, 0, 0);
    const withEmpty = new CreationOrder([empty, b], () => 1n, 0n);
    expect(withEmpty.startOf(empty, 0)).toBeUndefined();
    expect(withEmpty.startOf(b, 0)).toBe(0n);
    expect(withEmpty.runs).toHaveLength(2);
  });

  it('gives a slot past the end no units, and the next slot that fits the next free ones', () => {
    // Units 4-33: a0 4-13, a1 14-23, b0 24-28, gap 29-31; a2 needs 32-41 and does not fit, nor a3;
    // b1 takes 32-36 and ends the range's room for a's size.
    const bounded = new CreationOrder([a, b], (p) => (p === a ? 10n : 5n), 4n, 3n, { end: 37n });
    expect([0, 1, 2, 3].map((i) => bounded.startOf(a, i))).toEqual([4n, 14n, undefined, undefined]);
    expect([0, 1].map((i) => bounded.startOf(b, i))).toEqual([24n, 32n]);
    expect(bounded.at(33n)).toMatchObject({ index: 1, position: 1n, run: { pool: b } });
    expect(bounded.at(37n)).toBeUndefined();
  });

  it('gives slots that cannot be created no units', () => {
    // a's node IPs run out after 3 slots: a3 never asks for units, and b1 takes its place.
    const capped = new CreationOrder([a, b], () => 1n, 0n, 0n, { creatable: (p) => (p === a ? 3 : 2) });
    expect([0, 1, 2, 3].map((i) => capped.startOf(a, i))).toEqual([0n, 1n, 3n, undefined]);
    expect([0, 1].map((i) => capped.startOf(b, i))).toEqual([2n, 4n]);
  });
});
