import { describe, expect, it } from 'vitest';
import { createPlan, useTestApp } from '../http/support/app.js';
import { smallDesign } from '../http/support/designs.js';

// Guards src/store/sqlite/label-table.ts: labels read `ORDER BY key DESC` instead of
// `ORDER BY key`. Every test compares labels with toEqual, which ignores key order.
describe('labels come back in key order', () => {
  const ctx = useTestApp();

  it("writes a plan's labels sorted by key, whatever order they were sent in", async () => {
    await createPlan(ctx.request, {
      ...smallDesign('pay', '10.240.0.0/24'),
      labels: { team: 'payments', env: 'prod' },
    });
    const res = await ctx.request.get('/v1/plans/pay');
    expect(Object.keys(res.body.labels)).toEqual(['env', 'team']);
    expect(res.text).toContain('"labels":{"env":"prod","team":"payments"}');
  });
});
