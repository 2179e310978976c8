import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { partsOf, standIn, valuesIn } from '../../src/http/list-protocol.js';

describe('the parts a list crosses the thread in', () => {
  it('count every value of an item, containers included, up to what is enough', () => {
    expect(valuesIn(7, 100)).toBe(1);
    expect(valuesIn({ a: [1, 2, { b: null }], c: 'x' }, 100)).toBe(7);
    expect(
      valuesIn(
        Array.from({ length: 1000 }, () => [0]),
        10,
      ),
    ).toBeLessThan(20);
  });

  it('hold every item once, in order, each part ending once it reaches its budget', () => {
    const item = fc.jsonValue({ maxDepth: 3 });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 60 }), fc.integer({ min: 1, max: 40 }), (items, budget) => {
        const cut = partsOf(items, budget, Number.POSITIVE_INFINITY);
        const parts = 'parts' in cut ? cut.parts : [];
        expect(parts.flat()).toEqual(items);
        for (const part of parts) {
          const values = part.map((i) => valuesIn(i, Number.POSITIVE_INFINITY));
          const beforeLast = values.slice(0, -1).reduce((a, b) => a + b, 0);
          // A part closes at the item that reaches the budget: the items before it are under it.
          expect(beforeLast).toBeLessThan(budget);
          expect(part.length).toBeGreaterThan(0);
        }
      }),
    );
  });

  it('are none when an item holds too many values to cross at once: its index instead', () => {
    expect(partsOf([1, [1, 2, 3], 4], 2, 4)).toEqual({ heavyItem: 1 });
    expect(partsOf([1, [1, 2], 4], 2, 4)).toEqual({ parts: [[1, [1, 2]], [4]] });
  });

  it('stand in for a body that is no list with a small value of its type', () => {
    expect(standIn(['x'.repeat(100)])).toEqual([]);
    expect(standIn('x'.repeat(100))).toBe('');
    expect(standIn({ a: 'x'.repeat(100) })).toEqual({});
    expect(standIn({ items: { a: 1 } })).toEqual({ items: {} });
    expect(standIn({ items: 'long' })).toEqual({ items: '' });
    expect(standIn(42)).toBe(42);
    expect(standIn(null)).toBe(null);
  });
});
