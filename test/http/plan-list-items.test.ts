/**
 * The plan list is written plan by plan by a serializer compiled from the plan's schema (a page
 * can be tens of MB), a plan's own read by the zod serializer: every documented example must
 * read the same in both, and the page must be what the list schema's serializer writes.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compiledSerializer, serializerSchema } from '../../src/http/compiled-serializer.js';
import { PLAN_EXAMPLES } from '../../src/http/openapi/plan-examples.js';
// The named components, as the app registers them: they turn nested schemas into $refs.
import '../../src/http/schemas/components.js';
import { ConflictSchema } from '../../src/http/schemas/conflict.js';
import { BatchLookupResultSchema, LookupResultSchema } from '../../src/http/schemas/lookup.js';
import { PlanListSchema, PlanSchema } from '../../src/http/schemas/plan.js';
import { useTestApp } from './support/app.js';

const ctx = useTestApp();
const writePage = compiledSerializer({ schema: PlanListSchema });
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
    // Written plan by plan, the page is what its schema's serializer writes of it whole.
    expect(list.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(list.text).toBe(writePage(list.body));
    // Sent in pieces, with the length one body would have; HEAD says the same length.
    expect(list.headers['content-length']).toBe(String(Buffer.byteLength(list.text)));
    const head = await ctx.request.head('/v1/plans?limit=200');
    expect([head.status, head.headers['content-length']]).toEqual([200, list.headers['content-length']]);
  });

  it('writes an empty page, and a page with its next cursor, as the schema does', async () => {
    const empty = await ctx.request.get('/v1/plans');
    expect(empty.text).toBe('{"items":[],"nextCursor":null}');
    for (const name of ['a', 'b']) {
      const design = { ...(EXAMPLES[0]?.design as object), name };
      expect((await ctx.request.post('/v1/plans').send(design)).status).toBe(201);
    }
    const first = await ctx.request.get('/v1/plans?limit=1');
    expect(first.body.nextCursor).toEqual(expect.any(String));
    expect(first.headers.link).toContain('rel="next"');
    expect(first.text).toBe(writePage(first.body));
  });

  it('compiles its serializers whole: no anyOf or $ref left for a first page to compile a validator for', () => {
    // fast-json-stringify picks an anyOf branch (or reads an allOf of a $ref) with Ajv validators
    // compiled on first use: the first page of plans after start-up held the loop 0.2-1 s.
    for (const schema of [
      PlanSchema,
      PlanListSchema,
      ConflictSchema,
      LookupResultSchema,
      BatchLookupResultSchema,
    ]) {
      expect(JSON.stringify(serializerSchema(schema))).not.toMatch(/"(anyOf|oneOf|allOf|\$ref|if)":/);
    }
  });

  it('writes a union of distinct types as one schema of those types, and leaves other unions alone', () => {
    const count = z.union([z.number().int(), z.string()]).nullable();
    const cidr = z.union([z.string(), z.object({ fromSpace: z.string() })]);
    const names = z.union([z.string(), z.array(z.string())]);
    const shapes = z.union([z.object({ a: z.string() }), z.object({ b: z.string() })]);
    // Keywords that change what is written keep their union: a date's format, a default.
    const day = z.iso.date().nullable();
    const defaulted = z.union([z.string().default('x'), z.number()]);
    const schema = serializerSchema(z.object({ count, cidr, names, shapes, day, defaulted })) as {
      properties: Record<string, Record<string, unknown>>;
    };
    expect(schema.properties.count).toEqual({ type: ['integer', 'string', 'null'] });
    // Arrays and objects are tried before strings (whose test takes anything with a toString).
    expect(schema.properties.cidr?.type).toEqual(['object', 'string']);
    expect(schema.properties.names?.type).toEqual(['array', 'string']);
    for (const kept of ['shapes', 'day', 'defaulted']) expect(schema.properties[kept]?.anyOf).toHaveLength(2);
    const write = compiledSerializer({ schema: z.object({ count, cidr, names }) });
    expect(write({ count: '18446744073709551616', cidr: { fromSpace: 'corp' }, names: ['a', 'b'] })).toBe(
      '{"count":"18446744073709551616","cidr":{"fromSpace":"corp"},"names":["a","b"]}',
    );
    expect(write({ count: null, cidr: '10.0.0.0/24', names: 'a' })).toBe(
      '{"count":null,"cidr":"10.0.0.0/24","names":"a"}',
    );
    expect(write({ count: 7, cidr: '10.0.0.0/24', names: 'a,b' })).toBe(
      '{"count":7,"cidr":"10.0.0.0/24","names":"a,b"}',
    );
  });
});
