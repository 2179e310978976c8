/**
 * The plan list is written by a serializer compiled from its schema (a page can be tens of MB),
 * a plan's own read by the zod serializer: every documented example must read the same in both.
 */
import { describe, expect, it } from 'vitest';
import { PLAN_EXAMPLES } from '../../src/http/openapi/plan-examples.js';
import { useTestApp } from './support/app.js';

const ctx = useTestApp();
// Examples that take their ranges from a space need the space: the rest cover every shape.
const EXAMPLES = PLAN_EXAMPLES.filter((e) => !JSON.stringify(e.design).includes('fromSpace'));

describe('the plan list', () => {
  it("answers each plan as the plan's own read does, for every documented example", async () => {
    const ids: string[] = [];
    for (const [i, example] of EXAMPLES.entries()) {
      const created = await ctx.request
        .post('/v1/plans')
        .send({ ...example.design, name: `example-${i}`, labels: { example: example.name } });
      expect(created.status, `${example.name}: ${created.text}`).toBe(201);
      ids.push(created.body.id);
    }
    const list = await ctx.request.get('/v1/plans?limit=200');
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(EXAMPLES.length);
    for (const [i, id] of ids.entries()) {
      const own = await ctx.request.get(`/v1/plans/${id}`);
      expect(list.body.items[i], EXAMPLES[i]?.name).toEqual(own.body);
    }
  });
});
