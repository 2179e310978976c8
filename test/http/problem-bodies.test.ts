import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerErrorHandling } from '../../src/http/error-handler.js';
import { useTestApp } from '../http/support/app.js';

describe('problem bodies', () => {
  const ctx = useTestApp();

  // Guards src/http/problem.ts: `errors === undefined || errors.length === 0` ->
  // `errors === undefined`: a problem with no field problems carries "errors":[].
  it('leaves `errors` out of a problem that has none', async () => {
    const res = await ctx.request.get('/v1/plans/no-such-plan');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('PLAN_NOT_FOUND');
    expect(Object.keys(res.body)).not.toContain('errors');
  });

  // Guards src/http/error-handler.ts: `error.statusCode >= 400` -> `> 400`: any other
  // error carrying status 400 is answered 500 INTERNAL_ERROR instead of 400 BAD_REQUEST.
  it('answers an unmapped error with status 400 as 400 BAD_REQUEST', async () => {
    const app = Fastify();
    registerErrorHandling(app);
    app.get('/x', async () => {
      throw Object.assign(new Error('bad thing'), { statusCode: 400 });
    });
    const res = await app.inject({ method: 'GET', url: '/x' });
    await app.close();
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('BAD_REQUEST');
  });
});
