import { describe, expect, it } from 'vitest';
import { createPlan, useTestApp } from '../http/support/app.js';
import { smallDesign } from '../http/support/designs.js';

const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const KEY = `${'0'.repeat(24)}0af00000`;

describe('cursors (src/store/cursor.ts)', () => {
  const ctx = useTestApp();

  // Guards: `(of === undefined || of === list)` -> `(of === list)`.
  it('takes a cursor issued before cursors named their list', async () => {
    for (const n of [1, 2, 3]) await createPlan(ctx.request, smallDesign(`p${n}`, `10.24${n}.0.0/24`));
    const res = await ctx.request.get(`/v1/plans?limit=1&cursor=${cursor({ after: 1 })}`);
    expect(res.status, res.text).toBe(200);
    expect(res.body.items.map((p: { name: string }) => p.name)).toEqual(['p2']);
  });

  it("refuses allocation cursors not of the stores' own shape", async () => {
    await ctx.request.post('/v1/spaces').send({ name: 'corp', cidrs: ['10.240.0.0/16'] });
    await ctx.request.post('/v1/spaces/corp/allocations').send({ prefixLength: 24, purpose: 'x' });
    // Guards: `/^[0-9a-f]{32}$/` -> `/^[0-9a-f]{32}/`: a key with more after its 32 digits.
    const longer = await ctx.request.get(
      `/v1/spaces/corp/allocations?cursor=${cursor({ f: 4, k: `${KEY}zz`, l: 'allocations' })}`,
    );
    expect(longer.status, longer.text).toBe(400);
    expect(longer.body.code).toBe('CURSOR_INVALID');
    // Guards: `[4, 6].includes(` -> `[4, 6, 0].includes(`: a family that is none.
    const family0 = await ctx.request.get(
      `/v1/spaces/corp/allocations?cursor=${cursor({ f: 0, k: KEY, l: 'allocations' })}`,
    );
    expect(family0.status, family0.text).toBe(400);
    expect(family0.body.code).toBe('CURSOR_INVALID');
  });
});
