import { describe, expect, it } from 'vitest';
import { useTestApp } from '../http/support/app.js';

// Guards src/store/audit-targets.ts: an allocation's audit target is named
// "<cidr> in space <space id>"; dropping " in space ..." fails no other test.
describe('audit target name of an allocation', () => {
  const ctx = useTestApp();

  it('names the block and its space', async () => {
    const space = (await ctx.request.post('/v1/spaces').send({ name: 'corp', cidrs: ['10.240.0.0/16'] }))
      .body;
    const block = (
      await ctx.request.post('/v1/spaces/corp/allocations').send({ prefixLength: 24, purpose: 'x' })
    ).body;
    const res = await ctx.request.get('/v1/audit?limit=10');
    const created = res.body.items.find((e: { action: string }) => e.action === 'allocation.create');
    expect(created.target).toEqual({
      type: 'allocation',
      id: block.id,
      name: `${block.cidr} in space ${space.id}`,
    });
  });
});
