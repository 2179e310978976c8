import type { Response } from 'supertest';
import { describe, expect, it } from 'vitest';
import { createPlan, useTestApp } from './support/app.js';

const ctx = useTestApp();

/** Overlay clusters reusing the default pod CIDR 10.244.0.0/16, each in its own node subnet. */
async function overlayPlans(count: number, labels: (i: number) => Record<string, string> = () => ({})) {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const body = {
      name: `overlay-${String(i).padStart(2, '0')}`,
      network: { plugin: 'azure-cni-overlay', nodeSubnet: `10.${100 + i}.0.0/24` },
      nodePools: [{ name: 'system', nodeCount: 3 }],
      labels: labels(i),
    };
    ids.push((await createPlan(ctx.request, body)).id);
  }
  return ids;
}

const POD = '10.244.1.9';
const names = (body: { matches: { planName: string }[] }) => body.matches.map((m) => m.planName);

describe('lookups are bounded: limitPerIp, matchCount and truncated', () => {
  it('returns at most 20 matches by default, counting them all, ordered by plan id', async () => {
    const ids = await overlayPlans(23);
    const { body } = await ctx.request.get('/v1/lookup').query({ ip: POD });
    expect(body.matches).toHaveLength(20);
    expect(body.matches.map((m: { planId: string }) => m.planId)).toEqual([...ids].sort().slice(0, 20));
    expect([body.matchCount, body.truncated]).toEqual([23, true]);

    const few = (await ctx.request.get('/v1/lookup').query({ ip: POD, limitPerIp: 2 })).body;
    expect([few.matches.length, few.matchCount, few.truncated]).toEqual([2, 23, true]);
    const all = (await ctx.request.get('/v1/lookup').query({ ip: POD, limitPerIp: 1000 })).body;
    expect([all.matches.length, all.matchCount, all.truncated]).toEqual([23, 23, false]);

    const batch = await ctx.request
      .post('/v1/lookup')
      .send({ ips: [POD, '10.103.0.4', '192.0.2.1'], limitPerIp: 3 });
    expect(batch.status).toBe(200);
    expect(
      batch.body.results.map((r: { matches: unknown[]; matchCount: number; truncated: boolean }) => [
        r.matches.length,
        r.matchCount,
        r.truncated,
      ]),
    ).toEqual([
      [3, 23, true],
      [1, 1, false],
      [0, 0, false],
    ]);
  });

  it('narrows to named plans (ids or names) and to labels, in the query and in the body', async () => {
    const ids = await overlayPlans(4, (i) => ({ env: i % 2 === 0 ? 'prod' : 'dev' }));
    const byQuery = (await ctx.request.get(`/v1/lookup?ip=${POD}&plan=overlay-01&plan=${ids[3]}`)).body;
    expect([names(byQuery), byQuery.matchCount]).toEqual([['overlay-01', 'overlay-03'].sort(byIdOf(ids)), 2]);
    const byLabel = (await ctx.request.get(`/v1/lookup?ip=${POD}&label=env=prod`)).body;
    expect(names(byLabel).sort()).toEqual(['overlay-00', 'overlay-02']);
    // A presence selector asks for a label, not for what every object has.
    for (const key of ['env', 'hasOwnProperty', 'constructor', 'toString']) {
      const present = (await ctx.request.get(`/v1/lookup?ip=${POD}&label=${key}`)).body;
      expect([key, present.matchCount]).toEqual([key, key === 'env' ? 4 : 0]);
    }
    const body = (
      await ctx.request.post('/v1/lookup').send({ ips: [POD], labels: ['env=dev'], plans: ['overlay-01'] })
    ).body;
    expect(names(body.results[0])).toEqual(['overlay-01']);
    const queried = (await ctx.request.post('/v1/lookup?label=env=prod&limitPerIp=1').send({ ips: [POD] }))
      .body;
    // Matches come in plan id order: the first of the two prod plans, whichever it is.
    expect([names(queried.results[0]).length, queried.results[0].matchCount]).toEqual([1, 2]);
    expect(['overlay-00', 'overlay-02']).toContain(names(queried.results[0])[0]);
  });

  it('refuses a JSON batch giving an option both in the query and in its body: 400 naming each', async () => {
    await overlayPlans(2);
    const res = await ctx.request
      .post('/v1/lookup?plan=nope&label=env=prod&limitPerIp=5')
      .send({ ips: [POD], plans: ['overlay-01'], labels: ['env=dev'] });
    expect([res.status, res.body.code]).toEqual([400, 'INVALID_VALUE']);
    expect(res.body.errors).toEqual([
      {
        code: 'INVALID_VALUE',
        path: 'plan',
        message: 'plan is given in the query and as plans in the body: give it in one of them',
      },
      {
        code: 'INVALID_VALUE',
        path: 'label',
        message: 'label is given in the query and as labels in the body: give it in one of them',
      },
    ]);
  });

  it('refuses a CSV column on a JSON batch, which has none: 400 naming it', async () => {
    await overlayPlans(1);
    const res = await ctx.request.post('/v1/lookup?column=srcIp').send({ ips: [POD] });
    expect([res.status, res.body.code, res.body.errors]).toEqual([
      400,
      'INVALID_VALUE',
      [
        {
          code: 'INVALID_VALUE',
          path: 'column',
          message: 'column names the address column of a text/csv body: a JSON batch has none',
        },
      ],
    ]);
    const csv = await ctx.request.post('/v1/lookup?column=srcIp').type('text/csv').send(`srcIp\n${POD}\n`);
    expect(csv.status).toBe(200);
  });

  it('404 PLAN_NOT_FOUND for a plan filter naming no plan; 400 for a bad selector or limitPerIp', async () => {
    await overlayPlans(1);
    expectCode(await ctx.request.get(`/v1/lookup?ip=${POD}&plan=nope`), 404, 'PLAN_NOT_FOUND', /"nope"/);
    expectCode(await ctx.request.get(`/v1/lookup?ip=${POD}&label=-bad`), 400, 'LABEL_SELECTOR_INVALID');
    // The same selector in a body is a body's problem: 422, at its index.
    const inBody = await ctx.request.post('/v1/lookup').send({ ips: [POD], labels: ['env=prod', '='] });
    expect([
      inBody.status,
      inBody.body.code,
      inBody.body.errors.map((e: { path: string }) => e.path),
    ]).toEqual([422, 'LABEL_SELECTOR_INVALID', ['labels[1]']]);
    expectCode(await ctx.request.get(`/v1/lookup?ip=${POD}&limitPerIp=1001`), 400, 'VALUE_OUT_OF_RANGE');
    expectCode(await ctx.request.get(`/v1/lookup?ip=${POD}&limitPerIp=0`), 400, 'VALUE_OUT_OF_RANGE');
    // A query parameter is digits in a string; a JSON body's limit is a number, as its schema says.
    const asText = await ctx.request.post('/v1/lookup').send({ ips: [POD], limitPerIp: '5' });
    expect([asText.status, asText.body.errors]).toEqual([
      422,
      [expect.objectContaining({ path: 'limitPerIp', code: 'INVALID_TYPE' })],
    ]);
    // Too many filters say how many are allowed, not only "Invalid input".
    const plans = Array.from({ length: 101 }, (_, i) => `plan=p${i}`).join('&');
    const tooMany = await ctx.request.get(`/v1/lookup?ip=${POD}&${plans}`);
    expect([tooMany.status, tooMany.body.errors]).toEqual([
      400,
      [expect.objectContaining({ path: 'plan', message: 'at most 100 values, each of 1 to 400 characters' })],
    ]);
  });

  it('422 LOOKUP_TOO_LARGE before any work when addresses x limitPerIp passes 200,000', async () => {
    const ips = Array.from({ length: 10_000 }, (_, i) => `10.1.${i >> 8}.${i & 255}`);
    expect((await ctx.request.post('/v1/lookup').send({ ips, limitPerIp: 20 })).status).toBe(200);
    const refused = await ctx.request.post('/v1/lookup').send({ ips, limitPerIp: 21 });
    expectCode(refused, 422, 'LOOKUP_TOO_LARGE', /210000|210,000|200,000/);
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ path: 'limitPerIp', code: 'LOOKUP_TOO_LARGE' }),
    ]);
  });
});

/** Orders plan names as the ids of the plans they name are ordered. */
function byIdOf(ids: string[]) {
  return (a: string, b: string) => {
    const id = (name: string) => ids[Number(name.slice(-2))] ?? '';
    return id(a) < id(b) ? -1 : 1;
  };
}

function expectCode(res: Response, status: number, code: string, detail?: RegExp): void {
  expect([res.status, res.headers['content-type'], res.body.code]).toEqual([
    status,
    expect.stringMatching(/^application\/problem\+json/),
    code,
  ]);
  if (detail !== undefined) expect(res.body.detail).toMatch(detail);
}
