/**
 * The NUL character has no use in any field, and PostgreSQL stores no text holding one: it is
 * refused at the door, in bodies (422 naming the field) and in URLs (400), on every backend.
 * A lone UTF-16 surrogate, which JSON can escape but UTF-8 cannot store, is refused the same way.
 */
import { describe, expect, it } from 'vitest';
import { replicas, useReplicaCleanup } from '../replicas/support.js';
import { useTestApp } from './support/app.js';

const ctx = useTestApp();
useReplicaCleanup();

describe('NUL characters', () => {
  it('are refused in a body, naming the field', async () => {
    const res = await ctx.request
      .post('/v1/spaces')
      .send({ name: 'corp', cidrs: ['10.0.0.0/16'], description: 'a\u0000b' });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      code: 'INVALID_VALUE',
      errors: [{ path: 'description', code: 'INVALID_VALUE' }],
    });
    expect(
      (
        await ctx.request
          .post('/v1/spaces')
          .send({ name: 'corp', cidrs: ['10.0.0.0/16'], description: 'a\\u0000b' })
      ).status,
    ).toBe(201);
  });

  it('are refused under a key that is no plain name, named as every path names it: labels["a.b/c"]', async () => {
    const res = await ctx.request
      .post('/v1/spaces')
      .send({ name: 'corp', cidrs: ['10.0.0.0/16'], labels: { 'example.com/team': 'a\u0000b' } });
    expect([res.status, res.body.errors?.[0]?.path]).toEqual([422, 'labels["example.com/team"]']);
    expect(res.body.detail).toBe(
      'labels["example.com/team"]: text may not contain the NUL character (\\u0000)',
    );
    // A long key is cut by characters, never through an emoji's pair of code units.
    const emoji = '\u{1F642}';
    const long = await ctx.request
      .post('/v1/spaces')
      .send({ name: 'corp', cidrs: ['10.0.0.0/16'], labels: { [emoji.repeat(40)]: 'a\u0000b' } });
    expect(long.body.errors?.[0]?.path).toBe(`labels["${emoji.repeat(29)}..."]`);
  });

  it('and lone surrogates are refused in a body, naming the field; a pair (an emoji) is text', async () => {
    const res = await ctx.request
      .post('/v1/spaces')
      .send({ name: 'corp', cidrs: ['10.0.0.0/16'], labels: { team: 'a' }, description: 'a\ud800b' });
    expect([res.status, res.body.code, res.body.errors?.[0]?.path]).toEqual([
      422,
      'INVALID_VALUE',
      'description',
    ]);
    const key = await ctx.request.post('/v1/tokens').send({ name: 'x\udc00', scopes: ['read'] });
    expect([key.status, key.body.errors?.[0]?.path]).toEqual([422, 'name']);
    expect((await ctx.request.get('/v1/spaces')).body.items).toEqual([]);
    const paired = await ctx.request
      .post('/v1/spaces')
      .send({ name: 'corp', cidrs: ['10.0.0.0/16'], description: 'edge \u{1F680} rack' });
    expect([paired.status, paired.body.description]).toEqual([201, 'edge \u{1F680} rack']);
  });

  it.each([
    ['/v1/plans/a%00b', 'path'],
    ['/v1/plans?name=a%00b', 'name'],
    ['/v1/plans?limit=5&label=a%00b', 'label'],
    ['/v1/spaces/a%00b?limit=5', 'path'],
    ['/v1/plans?%00=1', 'query'],
  ])('are refused in the URL %s, naming %s', async (url, path) => {
    const res = await ctx.request.get(url);
    expect([res.status, res.body.code, res.body.errors]).toEqual([
      400,
      'URL_INVALID',
      [{ code: 'URL_INVALID', path, message: 'the URL may not contain the NUL character (%00)' }],
    ]);
  });

  it('never reach PostgreSQL (no 500)', async () => {
    const {
      requests: [pg],
    } = await replicas(1);
    expect((await pg?.get('/v1/plans/a%00b'))?.status).toBe(400);
    expect((await pg?.post('/v1/tokens').send({ name: 'a\u0000', scopes: ['read'] }))?.status).toBe(422);
  });
});
