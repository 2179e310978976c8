/**
 * GET /metrics: the headroom a plan's capacity report states, as Prometheus series, filtered by
 * team and capped; request metrics; scope. Expected figures are worked out by hand below.
 */
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../../src/store/sqlite/open-sqlite.js';
import { testApp, useTestApp, withToken } from '../support/app.js';

const ctx = useTestApp();

/** The value of one series, by its name and exact labels; undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort()
    .join(',');
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match === null || match[1] !== name) continue;
    const got = (match[2] ?? '')
      .split(/,(?=[a-z_]+=")/)
      .filter((p) => p !== '')
      .sort()
      .join(',');
    if (got === wanted) return Number(match[3]);
  }
  return undefined;
}

const series = (text: string, name: string) =>
  text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));

// /24 node subnet, Azure CNI node subnet: 251 usable; 3 nodes at maxPods 30 take 3 x 31 = 93 now;
// surge "10%" of 3 rounds up to 1 node: 4 x 31 = 124 during an upgrade -> free 127, 124/251.
const small = {
  name: 'small',
  network: { plugin: 'azure-cni-node-subnet', nodeSubnet: '10.240.0.0/24' },
  nodePools: [{ name: 'system', nodeCount: 3, maxPods: 30 }],
};
// /27: 27 usable; 3 nodes need 93: exhausted.
const tight = {
  name: 'tight',
  labels: { team: 'payments' },
  network: { plugin: 'azure-cni-node-subnet', nodeSubnet: '10.241.0.0/27' },
  nodePools: [{ name: 'system', nodeCount: 3, maxPods: 30 }],
};

describe('GET /metrics', () => {
  it("states each range's headroom and the plan's verdict as the capacity report does", async () => {
    expect((await ctx.request.post('/v1/plans').send(small)).status).toBe(201);
    const res = await ctx.request.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    // Sent in pieces, with the length one body would have.
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(res.text)));
    expect([res.text.endsWith('\n'), res.text.endsWith('\n\n')]).toEqual([true, false]);
    const range = { plan: 'small', range_kind: 'node-subnet', cidr: '10.240.0.0/24' };
    expect(sample(res.text, 'aksip_range_usable_addresses', range)).toBe(251);
    expect(sample(res.text, 'aksip_range_required_addresses', { ...range, stage: 'current' })).toBe(93);
    expect(sample(res.text, 'aksip_range_required_addresses', { ...range, stage: 'at_max_count' })).toBe(93);
    expect(sample(res.text, 'aksip_range_required_addresses', { ...range, stage: 'during_upgrade' })).toBe(
      124,
    );
    expect(sample(res.text, 'aksip_range_free_addresses', range)).toBe(127);
    expect(sample(res.text, 'aksip_range_utilization_ratio', range)).toBeCloseTo(124 / 251, 2);
    expect(sample(res.text, 'aksip_plan_verdict', { plan: 'small', verdict: 'ok' })).toBe(1);
    expect(sample(res.text, 'aksip_plan_verdict', { plan: 'small', verdict: 'exhausted' })).toBe(0);
    expect(sample(res.text, 'aksip_pool_node_slots', { plan: 'small', pool: 'system' })).toBe(4);
    expect(series(res.text, 'aksip_pool_recorded_nodes')).toEqual([]);
    expect(sample(res.text, 'aksip_plans', { verdict: 'ok' })).toBe(1);
  });

  it('keeps per-plan series to METRICS_MAX_PLANS, nearest exhaustion first, and counts every plan', async () => {
    const { app, request } = await testApp(openSqliteStore(':memory:'), { metrics: { maxPlans: 1 } });
    try {
      await request.post('/v1/plans').send(small);
      await request.post('/v1/plans').send(tight);
      const { text } = await request.get('/metrics');
      expect(series(text, 'aksip_plan_verdict').map((l) => /plan="(\w+)"/.exec(l)?.[1])).toEqual(
        Array(3).fill('tight'),
      );
      expect(sample(text, 'aksip_plans', { verdict: 'ok' })).toBe(1);
      expect(sample(text, 'aksip_plans', { verdict: 'exhausted' })).toBe(1);
      expect(sample(text, 'aksip_plans_reported')).toBe(1);
    } finally {
      await app.close();
    }
  });

  it('keeps space series to METRICS_MAX_PLANS too, the fullest spaces first', async () => {
    const { app, request } = await testApp(openSqliteStore(':memory:'), { metrics: { maxPlans: 3 } });
    try {
      // An IPv6 /48 with one /64 taken is 1/65,536 full: still fuller than an empty space.
      for (const [name, cidr, length, blocks] of [
        ['first', '10.0.0.0/22', 24, 1],
        ['second', '10.0.0.0/22', 24, 0],
        ['six', 'fd00::/48', 64, 1],
        ['third', '10.0.0.0/22', 24, 3],
      ] as const) {
        await request.post('/v1/spaces').send({ name, cidrs: [cidr] });
        for (let i = 0; i < blocks; i++)
          await request.post(`/v1/spaces/${name}/allocations`).send({ prefixLength: length, purpose: 'a' });
      }
      const { text } = await request.get('/metrics');
      const spaces = series(text, 'aksip_space_utilization_ratio').map((l) => /space="(\w+)"/.exec(l)?.[1]);
      expect(spaces).toEqual(['third', 'first', 'six']);
    } finally {
      await app.close();
    }
  });

  it("shows a team token its team's plans only, and counts recorded nodes by pool", async () => {
    await ctx.request.post('/v1/plans').send(small);
    const created = await ctx.request.post('/v1/plans').send(tight);
    await ctx.request
      .put(`/v1/plans/${created.body.id}/nodes/n1`)
      .send({ pool: 'system', nodeIp: '10.241.0.4' });
    const issued = await ctx.request
      .post('/v1/tokens')
      .send({ name: 'payments', scopes: ['read'], labels: { team: 'payments' } });
    const { text } = await withToken(ctx.request, issued.body.token).get('/metrics');
    expect(series(text, 'aksip_plan_verdict').every((l) => l.includes('plan="tight"'))).toBe(true);
    expect(sample(text, 'aksip_plans', { verdict: 'ok' })).toBe(0);
    expect(sample(text, 'aksip_pool_recorded_nodes', { plan: 'tight', pool: 'system' })).toBe(1);
  });

  it('states the free addresses and use of each space', async () => {
    await ctx.request.post('/v1/spaces').send({ name: 'corp', cidrs: ['10.0.0.0/22'] });
    await ctx.request.post('/v1/spaces/corp/allocations').send({ prefixLength: 24, purpose: 'a' });
    const { text } = await ctx.request.get('/metrics');
    expect(sample(text, 'aksip_space_free_addresses', { space: 'corp', family: 'ipv4' })).toBe(768);
    expect(sample(text, 'aksip_space_utilization_ratio', { space: 'corp', family: 'ipv4' })).toBe(0.25);
  });

  it('times requests by route, method and status class', async () => {
    await ctx.request.get('/v1/plans/nope');
    const { text } = await ctx.request.get('/metrics');
    expect(
      sample(text, 'aksip_http_request_duration_seconds_count', {
        route: '/v1/plans/:id',
        method: 'GET',
        status_class: '4xx',
      }),
    ).toBe(1);
    expect(sample(text, 'aksip_http_requests_in_flight')).toBe(1); // the scrape itself
    expect(sample(text, 'aksip_database_errors_total')).toBe(0);
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('needs a read token, unless METRICS_PUBLIC', async () => {
    expect((await withToken(ctx.request, '').get('/metrics').unset('authorization')).status).toBe(401);
    const { app, request } = await testApp(openSqliteStore(':memory:'), { metrics: { public: true } });
    try {
      expect((await request.get('/metrics').unset('authorization')).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});
