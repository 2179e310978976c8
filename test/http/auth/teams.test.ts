/**
 * Team boundaries: a token with team labels sees and changes only its team's plans and spaces
 * (others answer 404, as if absent), allocates from shared spaces, and creates only what
 * carries its labels. Admins see everything.
 */
import supertest from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { type Request, useTestApp, withToken } from '../support/app.js';
import { exampleDesign } from '../support/designs.js';

type Paths = Record<string, Record<string, { security?: Record<string, string[]>[] }>>;

/** A body each write route would accept, so that only the team boundary can refuse it. */
function validBody(method: string, path: string): object | undefined {
  if (method === 'get' || method === 'delete') return undefined;
  if (path === '/v1/plans/{id}') return { ...exampleDesign(), labels: { team: 'other' } };
  if (path === '/v1/spaces/{id}')
    return { name: 'pay-space', cidrs: ['172.16.0.0/16'], labels: { team: 'other' } };
  if (path.endsWith('/allocations')) return { prefixLength: 28, purpose: 'x' };
  if (path.endsWith('/nodes/{name}')) return { pool: 'system', nodeIp: '10.240.0.4' };
  if (path.endsWith('/node-imports')) return { apiVersion: 'v1', kind: 'List', items: [] };
  if (path.endsWith('/pod-imports')) return { apiVersion: 'v1', kind: 'List', items: [] };
  return {};
}

describe('team boundaries', () => {
  const ctx = useTestApp();
  let payments: Request;
  let other: Request;
  let plan: { id: string };
  let allocation: { id: string; cidr: string };

  async function token(labels: Record<string, string>, scopes = ['write']): Promise<Request> {
    const res = await ctx.request.post('/v1/tokens').send({ name: JSON.stringify(labels), scopes, labels });
    expect(res.status, res.text).toBe(201);
    return withToken(supertest(ctx.app.server), res.body.token);
  }

  beforeEach(async () => {
    payments = await token({ team: 'payments' });
    other = await token({ team: 'other' });
    await ctx.request.post('/v1/spaces').send({ name: 'corp', cidrs: ['10.240.0.0/12'] });
    await ctx.request
      .post('/v1/spaces')
      .send({ name: 'pay-space', cidrs: ['172.16.0.0/16'], labels: { team: 'payments' } });
    const created = await payments
      .post('/v1/plans')
      .send({ ...exampleDesign(), labels: { team: 'payments' } });
    expect(created.status, created.text).toBe(201);
    plan = created.body;
    allocation = (
      await payments.post('/v1/spaces/pay-space/allocations').send({ prefixLength: 24, purpose: 'db' })
    ).body;
  });

  it('lets an admin token with team labels act for everyone, as an admin does: labels bound only other scopes', async () => {
    const labelledAdmin = await token({ team: 'other' }, ['admin']);
    expect((await labelledAdmin.get(`/v1/plans/${plan.id}`)).status).toBe(200);
    expect((await labelledAdmin.get('/v1/spaces/pay-space')).status).toBe(200);
  });

  it('lets a team create only what carries its labels', async () => {
    const unlabelled = await payments.post('/v1/plans').send(exampleDesign('second'));
    expect(unlabelled.status).toBe(422);
    expect(unlabelled.body.errors[0]).toMatchObject({ code: 'TEAM_LABELS_REQUIRED', path: 'labels.team' });
    const foreign = await payments
      .post('/v1/spaces')
      .send({ name: 's', cidrs: ['10.0.0.0/24'], labels: { team: 'other' } });
    expect(foreign.body.code).toBe('TEAM_LABELS_REQUIRED');
    const relabel = await payments
      .put(`/v1/plans/${plan.id}`)
      .set('if-match', '"1"')
      .send({ ...exampleDesign(), labels: { team: 'other' } });
    expect(relabel.body.code).toBe('TEAM_LABELS_REQUIRED');
  });

  it("answers 404 to another team for every route that names the team's plan, space or allocation", async () => {
    const paths = (ctx.app.swagger() as unknown as { paths: Paths }).paths;
    const named = Object.entries(paths).filter(
      ([path]) => path.includes('{id}') && !path.startsWith('/v1/tokens'),
    );
    expect(named.length).toBeGreaterThan(10);
    for (const [path, operations] of named) {
      const url = path
        .replace('{id}', path.startsWith('/v1/spaces') ? 'pay-space' : plan.id)
        .replace('{allocationId}', allocation.id)
        .replace('{name}', 'aks-system-0')
        .replace('{revision}', '1')
        .replace('{format}', 'terraform')
        .replace('{ip}', '10.240.0.8');
      for (const method of Object.keys(operations)) {
        const res = await other[method as 'get'](url).set('if-match', '"1"').send(validBody(method, path));
        expect(res.status, `${method.toUpperCase()} ${url} -> ${res.text.slice(0, 200)}`).toBe(404);
      }
    }
  });

  it("keeps the team's plans out of another team's lists, lookups and conflicts", async () => {
    expect((await other.get('/v1/plans')).body.items).toEqual([]);
    expect((await payments.get('/v1/plans')).body.items.map((p: { id: string }) => p.id)).toEqual([plan.id]);
    const lookup = await other.get('/v1/lookup?ip=10.240.0.8');
    expect(lookup.body.matches).toEqual([]);
    expect((await payments.get('/v1/lookup?ip=10.240.0.8')).body.matches).not.toEqual([]);
    expect((await other.get(`/v1/lookup?ip=10.240.0.8&plan=${plan.id}`)).body.code).toBe('PLAN_NOT_FOUND');
    const batch = await other.post('/v1/lookup').send({ ips: ['10.240.0.8'] });
    expect(batch.body.results[0].matches).toEqual([]);
    const stream = await other.post('/v1/lookup').set('content-type', 'text/plain').send('10.240.0.8\n');
    expect(JSON.parse(stream.text.trim()).matches).toEqual([]);
    // Another of the team's plans on the same subnet would conflict; the other team sees none of it.
    await payments.post('/v1/plans').send({ ...exampleDesign('twin'), labels: { team: 'payments' } });
    expect((await payments.get('/v1/conflicts')).body.items.length).toBeGreaterThan(0);
    expect((await other.get('/v1/conflicts')).body.items).toEqual([]);
    expect((await ctx.request.get('/v1/plans')).body.items).toHaveLength(2); // admins see everything
  });

  it('shares spaces without team labels: every team sees and allocates, none changes them', async () => {
    expect((await other.get('/v1/spaces')).body.items.map((s: { name: string }) => s.name)).toEqual(['corp']);
    expect((await payments.get('/v1/spaces')).body.items.map((s: { name: string }) => s.name)).toEqual([
      'corp',
      'pay-space',
    ]);
    const theirs = await other.post('/v1/spaces/corp/allocations').send({ prefixLength: 24, purpose: 'x' });
    expect(theirs.status).toBe(201);
    const mine = await payments.post('/v1/spaces/corp/allocations').send({ prefixLength: 24, purpose: 'y' });
    // The other team sees the block (its range, as another team's block), and may not release it.
    expect((await other.get(`/v1/spaces/corp/allocations/${mine.body.id}`)).body.purpose).toBe(
      "another team's block",
    );
    const refused = await other.delete(`/v1/spaces/corp/allocations/${mine.body.id}`);
    expect([refused.status, refused.body.code]).toEqual([403, 'ALLOCATION_OF_ANOTHER_TEAM']);
    expect(refused.body.detail).toBe(
      `${mine.body.cidr} is another team's block: a team releases only the blocks it took`,
    );
    expect((await payments.get(`/v1/spaces/corp/allocations/${mine.body.id}`)).status).toBe(200);
    expect((await other.delete(`/v1/spaces/corp/allocations/${theirs.body.id}`)).status).toBe(204);
    const replace = await other
      .put('/v1/spaces/corp')
      .set('if-match', '"1"')
      .send({ name: 'corp', cidrs: ['10.240.0.0/12'] });
    expect(replace.status).toBe(403);
    expect(replace.body.code).toBe('SHARED_SPACE_READ_ONLY');
    expect((await other.delete('/v1/spaces/corp')).body.code).toBe('SHARED_SPACE_READ_ONLY');
  });

  it("shows another team's blocks in a shared space without their purpose or plan", async () => {
    const fromCorp = {
      name: 'pay-from-corp',
      network: { plugin: 'azure-cni-node-subnet', nodeSubnet: { fromSpace: 'corp' } },
      nodePools: [{ name: 'system', nodeCount: 3 }],
      labels: { team: 'payments' },
    };
    const created = await payments.post('/v1/plans').send(fromCorp);
    expect(created.status, created.text).toBe(201);
    const theirs = (await other.get('/v1/spaces/corp/allocations')).body.items;
    expect(theirs).toEqual([expect.objectContaining({ planId: null, purpose: "another team's block" })]);
    expect(JSON.stringify(theirs)).not.toContain('pay-from-corp');
    const [block] = theirs;
    const one = await other.get(`/v1/spaces/corp/allocations/${block.id}`);
    expect(one.body).toMatchObject({ planId: null, purpose: "another team's block" });
    const mine = (await payments.get('/v1/spaces/corp/allocations')).body.items;
    expect(mine).toEqual([expect.objectContaining({ planId: created.body.id })]);
    expect((await ctx.request.get('/v1/spaces/corp/allocations')).body.items[0].planId).toBe(created.body.id);
  });

  it("keeps another team's plan's block in the team's own space nameless: lists, refusals, releases", async () => {
    const intruder = {
      name: 'intruder',
      network: { plugin: 'azure-cni-node-subnet', nodeSubnet: { fromSpace: 'pay-space' } },
      nodePools: [{ name: 'system', nodeCount: 3 }],
      labels: { team: 'other' },
    };
    const created = await ctx.request.post('/v1/plans').send(intruder);
    expect(created.status, created.text).toBe(201);
    const items = (await payments.get('/v1/spaces/pay-space/allocations')).body.items;
    expect(JSON.stringify(items)).not.toContain('intruder');
    expect(items.find((a: { id: string }) => a.id === allocation.id)).toMatchObject({ purpose: 'db' });
    const block = items.find((a: { id: string }) => a.id !== allocation.id);
    expect(block).toMatchObject({ planId: null, purpose: "another team's block" });
    const one = await payments.get(`/v1/spaces/pay-space/allocations/${block.id}`);
    expect(one.body).toMatchObject({ planId: null, purpose: "another team's block" });
    const clash = await payments
      .post('/v1/spaces/pay-space/allocations')
      .send({ cidr: block.cidr, purpose: 'probe' });
    expect(clash.body).toMatchObject({
      code: 'CIDR_TAKEN',
      detail: `${block.cidr} overlaps ${block.cidr}, another team's block`,
    });
    const release = await payments.delete(`/v1/spaces/pay-space/allocations/${block.id}`);
    expect([release.status, release.body.code]).toEqual([409, 'ALLOCATION_HELD_BY_PLAN']);
    expect(release.body.detail).toBe(
      `${block.cidr} is held by another team's plan: it is released when the plan is deleted`,
    );
    const ownClash = await payments
      .post('/v1/spaces/pay-space/allocations')
      .send({ cidr: allocation.cidr, purpose: 'x' });
    expect(ownClash.body.detail).toContain(`allocated to "db" (allocation ${allocation.id})`);
    const admin = await ctx.request.get(`/v1/spaces/pay-space/allocations/${block.id}`);
    expect(admin.body).toMatchObject({ planId: created.body.id, purpose: 'node-subnet of plan intruder' });
  });

  it('shows a token of several labels only the spaces carrying all of them, or none of their keys', async () => {
    const prod = await token({ team: 'payments', env: 'prod' });
    const names = async () => (await prod.get('/v1/spaces')).body.items.map((s: { name: string }) => s.name);
    expect(await names()).toEqual(['corp']);
    expect((await prod.get('/v1/spaces/pay-space')).status).toBe(404);
    const take = await prod.post('/v1/spaces/pay-space/allocations').send({ prefixLength: 28, purpose: 'x' });
    expect(take.status).toBe(404);
    const both = { name: 'pay-prod', cidrs: ['172.17.0.0/16'], labels: { team: 'payments', env: 'prod' } };
    expect((await ctx.request.post('/v1/spaces').send(both)).status).toBe(201);
    expect(await names()).toEqual(['corp', 'pay-prod']);
  });

  it("refuses a taken CIDR without naming another team's purpose, plan or allocation", async () => {
    const taken = await payments
      .post('/v1/spaces/corp/allocations')
      .send({ prefixLength: 24, purpose: 'secret' });
    const clash = await other
      .post('/v1/spaces/corp/allocations')
      .send({ cidr: taken.body.cidr, purpose: 'probe' });
    expect(clash.status).toBe(409);
    expect(clash.body).toMatchObject({
      code: 'CIDR_TAKEN',
      detail: `${taken.body.cidr} overlaps ${taken.body.cidr}, another team's block`,
    });
    const own = await payments
      .post('/v1/spaces/corp/allocations')
      .send({ cidr: taken.body.cidr, purpose: 'x' });
    expect(own.body.detail).toContain(`allocated to "secret" (allocation ${taken.body.id})`);
  });

  it("refuses a subnet clash without naming another team's plan or subnet", async () => {
    const kubenet = {
      name: 'clash',
      network: { plugin: 'kubenet', nodeSubnet: '10.240.0.0/16' },
      nodePools: [{ name: 'system', nodeCount: 3 }],
      labels: { team: 'other' },
    };
    const refused = await other.post('/v1/plans').send(kubenet);
    expect(refused.body.code).toBe('KUBENET_SUBNET_SHARED');
    expect(refused.text).toContain("another team's plan");
    expect(refused.text).not.toContain(plan.id);
    expect(refused.text).not.toContain('prod-weu-1');
    const named = await payments.post('/v1/plans').send({ ...kubenet, labels: { team: 'payments' } });
    expect(named.text).toContain('prod-weu-1'); // the team's own plan is named
  });

  it("keeps a plan's revisions from before it moved to a team away from that team", async () => {
    const moved = await ctx.request
      .post('/v1/plans')
      .send({ ...exampleDesign('moved'), labels: { team: 'other' } });
    const grown = {
      ...exampleDesign('moved'),
      nodePools: [{ ...exampleDesign().nodePools[0], maxCount: 6 }],
    };
    await ctx.request
      .put(`/v1/plans/${moved.body.id}`)
      .set('if-match', '"1"')
      .send({ ...grown, labels: { team: 'payments' } });
    const seen = await payments.get(`/v1/plans/${moved.body.id}/revisions`);
    expect(
      seen.body.items.map((r: { revision: number; changes: unknown[] }) => [r.revision, r.changes]),
    ).toEqual([[2, []]]);
    expect((await payments.get(`/v1/plans/${moved.body.id}/revisions/1`)).body.code).toBe(
      'REVISION_NOT_FOUND',
    );
    expect((await payments.get(`/v1/plans/${moved.body.id}/revisions/2`)).status).toBe(200);
    expect((await ctx.request.get(`/v1/plans/${moved.body.id}/revisions`)).body.items).toHaveLength(2);
    // A page counts none of the other team's revisions: no cursor to an empty page follows.
    const page = await payments.get(`/v1/plans/${moved.body.id}/revisions?limit=1`);
    expect([page.body.items.length, page.body.nextCursor]).toEqual([1, null]);
  });

  it("compares a team's revision only with the one just before it, when the team saw that one", async () => {
    const design = (maxCount: number, team: string) => ({
      ...exampleDesign('away-and-back'),
      nodePools: [{ ...exampleDesign().nodePools[0], maxCount }],
      labels: { team },
    });
    const created = await payments.post('/v1/plans').send(design(5, 'payments'));
    const put = (revision: number, body: object) =>
      ctx.request.put(`/v1/plans/${created.body.id}`).set('if-match', `"${revision}"`).send(body);
    await put(1, design(6, 'other'));
    await put(2, design(7, 'payments'));
    await put(3, design(8, 'payments'));
    const seen = await payments.get(`/v1/plans/${created.body.id}/revisions`);
    expect(
      seen.body.items.map((r: { revision: number; changes: { path: string }[] }) => [
        r.revision,
        r.changes.map((c) => c.path),
      ]),
    ).toEqual([
      [4, ['nodePools[0].maxCount']],
      [3, []],
      [1, []],
    ]);
  });

  it('takes blocks for a plan only from spaces the team sees', async () => {
    const fromTheirs = {
      name: 'sneaky',
      network: { plugin: 'azure-cni-node-subnet', nodeSubnet: { fromSpace: 'pay-space' } },
      nodePools: [{ name: 'system', nodeCount: 3 }],
      labels: { team: 'other' },
    };
    expect((await other.post('/v1/plans').send(fromTheirs)).body.code).toBe('SPACE_NOT_FOUND');
    const { labels: _, ...calculation } = fromTheirs;
    expect((await other.post('/v1/calculations').send(calculation)).body.code).toBe('SPACE_NOT_FOUND');
    const fromShared = {
      ...fromTheirs,
      network: { ...fromTheirs.network, nodeSubnet: { fromSpace: 'corp' } },
    };
    expect((await other.post('/v1/plans').send(fromShared)).status).toBe(201);
  });
});
