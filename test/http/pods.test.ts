/**
 * Recorded pods over HTTP: a dynamic pod-subnet plan, whose lookups name no node until pods are
 * recorded, then the pod, its node and slot, at any time asked.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import { useTempDirs } from '../support/temp-dirs.js';
import { createPlan, testApp, useTestApp } from './support/app.js';
import { collectText } from './support/collect-text.js';

const ctx = useTestApp();
const tempDir = useTempDirs('ipam-pods-http-');

const design = {
  name: 'dyn',
  network: { plugin: 'azure-cni-pod-subnet', nodeSubnet: '10.240.0.0/24', podSubnet: '10.241.0.0/22' },
  nodePools: [{ name: 'system', nodeCount: 3 }],
};

const pods = (entries: [string, string, string][]) => ({
  apiVersion: 'v1',
  kind: 'List',
  items: entries.map(([name, ip, node]) => ({
    metadata: {
      name,
      namespace: 'shop',
      ownerReferences: [{ kind: 'ReplicaSet', name: 'web-7d9f', controller: true }],
    },
    spec: { nodeName: node },
    status: { podIP: ip },
  })),
});
const nodes = {
  items: [0, 1].map((i) => ({
    metadata: { name: `aks-system-${i}`, labels: { 'kubernetes.azure.com/agentpool': 'system' } },
    status: { addresses: [{ type: 'InternalIP', address: `10.240.0.${4 + i}` }] },
  })),
};

describe('recorded pods', () => {
  it("names a pod's node, pool, slot and node IP as the plan predicts them when its node is not recorded", async () => {
    const cni = {
      name: 'cni',
      network: { plugin: 'azure-cni-node-subnet', nodeSubnet: '10.250.0.0/24' },
      nodePools: [{ name: 'system', nodeCount: 2 }],
    };
    await createPlan(ctx.request, cni);
    const imported = await ctx.request
      .post('/v1/plans/cni/pod-imports')
      .send(pods([['web-1', '10.250.0.8', 'aks-system-unrecorded']]));
    expect(imported.status, imported.text).toBe(200);
    const [match] = (await ctx.request.get('/v1/lookup?ip=10.250.0.8')).body.matches;
    // Node 0 is .4 with its 30 pods at .5-.34 (the node subnet plugin's default maxPods).
    expect(match).toMatchObject({
      source: 'recorded',
      pool: 'system',
      nodeIndex: 0,
      nodeIp: '10.250.0.4',
      nodeName: 'aks-system-unrecorded',
    });
  });

  it('names the pool of a recorded node for its pods as for the node: another pool, or no slot', async () => {
    // system: 2 nodes of 31 addresses (.4-.34, .35-.65); batch: 1 node (.66-.96). bat-x is
    // recorded in system's slot 1, out-1 outside every slot (.200).
    const cni = {
      name: 'pools',
      network: { plugin: 'azure-cni-node-subnet', nodeSubnet: '10.251.0.0/24' },
      nodePools: [
        { name: 'system', nodeCount: 2, maxSurge: 0 },
        { name: 'batch', nodeCount: 1, maxSurge: 0, mode: 'User' },
      ],
    };
    await createPlan(ctx.request, cni);
    const node = (name: string, pool: string, ip: string) => ({
      metadata: { name, labels: { 'kubernetes.azure.com/agentpool': pool } },
      status: { addresses: [{ type: 'InternalIP', address: ip }] },
    });
    const recorded = await ctx.request
      .post('/v1/plans/pools/node-imports')
      .send({ items: [node('bat-x', 'batch', '10.251.0.35'), node('out-1', 'system', '10.251.0.200')] });
    expect(recorded.status, recorded.text).toBe(200);
    const imported = await ctx.request.post('/v1/plans/pools/pod-imports').send(
      pods([
        ['on-bat-x', '10.251.0.40', 'bat-x'],
        ['on-out-1', '10.251.0.20', 'out-1'],
      ]),
    );
    expect(imported.status, imported.text).toBe(200);
    const first = async (ip: string) => (await ctx.request.get(`/v1/lookup?ip=${ip}`)).body.matches[0];
    for (const [nodeIp, podIp, pool] of [
      ['10.251.0.35', '10.251.0.40', 'batch'],
      ['10.251.0.200', '10.251.0.20', 'system'],
    ]) {
      const [nodeMatch, podMatch] = [await first(nodeIp as string), await first(podIp as string)];
      expect(nodeMatch).toMatchObject({ pool, source: 'recorded' });
      expect(podMatch).toMatchObject({ pool, nodeIp, source: 'recorded' });
      expect(podMatch.nodeIndex).toBe(nodeMatch.nodeIndex);
    }
  });

  it("answers a large import's pods at once, written off the event loop into a database file", async () => {
    const service = await testApp(openSqliteStore(join(tempDir(), 'ipam.db')));
    try {
      await createPlan(service.request, {
        ...design,
        network: { ...design.network, podSubnet: '10.241.0.0/20' },
      });
      const list = pods(
        Array.from({ length: 3_000 }, (_, k): [string, string, string] => [
          `web-${k}`,
          `10.241.${k >> 8}.${k & 255}`,
          `aks-system-${k % 3}`,
        ]),
      );
      // Looked up first, the plan's records are held in memory: the import must reach them.
      const before = await service.request.get('/v1/lookup?ip=10.241.11.183');
      expect(before.body.matches).toMatchObject([{ source: 'predicted' }]);
      const imported = await service.request.post('/v1/plans/dyn/pod-imports').send(list);
      expect(imported.status, imported.text).toBe(200);
      expect(imported.body).toMatchObject({ seen: 3_000, opened: 3_000, closed: 0 });
      const found = await service.request.get('/v1/lookup?ip=10.241.11.183');
      expect(found.body.matches).toMatchObject([{ source: 'recorded', pod: { name: 'web-2999' } }]);
    } finally {
      await service.app.close();
    }
  });

  it('answers at most limitPerIp of the pods an import recorded at one address, counting them all', async () => {
    await createPlan(ctx.request, design);
    const sharing = Array.from({ length: 30 }, (_, k): [string, string, string] => [
      `web-${k}`,
      '10.241.0.9',
      'aks-system-0',
    ]);
    expect((await ctx.request.post('/v1/plans/dyn/pod-imports').send(pods(sharing))).status).toBe(200);
    const single = await ctx.request.get('/v1/lookup?ip=10.241.0.9&limitPerIp=5');
    expect([single.body.matches.length, single.body.matchCount, single.body.truncated]).toEqual([
      5,
      30,
      true,
    ]);
    expect(single.body.matches[0]).toMatchObject({ role: 'pod', source: 'recorded', pod: { name: 'web-0' } });
    const batch = await ctx.request
      .post('/v1/lookup')
      .send({ ips: Array(50).fill('10.241.0.9'), limitPerIp: 1 });
    expect(batch.body.results.map((r: { matches: unknown[] }) => r.matches.length)).toEqual(
      Array(50).fill(1),
    );
    expect(batch.body.results[49]).toMatchObject({ matchCount: 30, truncated: true });
  });

  it('answers a service IP as the service, whatever a pod list said held it', async () => {
    await createPlan(ctx.request, design);
    // The default service CIDR is 10.0.0.0/16 with DNS at 10.0.0.10: no pod can hold either.
    const imported = await ctx.request.post('/v1/plans/dyn/pod-imports').send(
      pods([
        ['odd', '10.0.0.10', 'aks-system-0'],
        ['web-1', '10.241.0.57', 'aks-system-0'],
      ]),
    );
    expect(imported.status, imported.text).toBe(200);
    const dns = await ctx.request.get('/v1/lookup?ip=10.0.0.10');
    expect(dns.body.matches).toEqual([
      { planId: expect.any(String), planName: 'dyn', range: '10.0.0.0/16', role: 'dns-service' },
    ]);
    // The same import's pod in the pod subnet is still answered from the records.
    const pod = await ctx.request.get('/v1/lookup?ip=10.241.0.57');
    expect(pod.body.matches).toEqual([
      expect.objectContaining({ source: 'recorded', pod: expect.anything() }),
    ]);
  });

  it('answers who held an address at a time, the prediction before anything was recorded', async () => {
    await createPlan(ctx.request, design);
    const before = await ctx.request.get('/v1/lookup?ip=10.241.0.57');
    expect(before.body.matches.map((m: { role: string; nodeName?: string }) => [m.role, m.nodeName])).toEqual(
      [['pod', undefined]],
    );

    expect((await ctx.request.post('/v1/plans/dyn/node-imports').send(nodes)).status).toBe(200);
    const first = await ctx.request
      .post('/v1/plans/dyn/pod-imports?observedAt=2026-11-30T14:00:00Z')
      .send(pods([['web-1', '10.241.0.57', 'aks-system-0']]));
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ observedAt: '2026-11-30T14:00:00.000Z', seen: 1, opened: 1, closed: 0 });
    await ctx.request
      .post('/v1/plans/dyn/pod-imports?observedAt=2026-11-30T15:00:00Z')
      .send(pods([['web-2', '10.241.0.57', 'aks-system-1']]));

    const at1403 = await ctx.request.get('/v1/lookup?ip=10.241.0.57&at=2026-11-30T14:03:00Z');
    expect(at1403.status).toBe(200);
    expect(at1403.body.matches).toEqual([
      {
        planId: expect.any(String),
        planName: 'dyn',
        role: 'pod',
        range: '10.241.0.0/22',
        pool: 'system',
        nodeIndex: 0,
        nodeIp: '10.240.0.4',
        nodeName: 'aks-system-0',
        source: 'recorded',
        pod: { namespace: 'shop', name: 'web-1', ownerKind: 'ReplicaSet', ownerName: 'web-7d9f' },
        interval: { from: '2026-11-30T14:00:00.000Z', to: '2026-11-30T15:00:00.000Z' },
      },
    ]);
    const latest = await ctx.request.post('/v1/lookup').send({ ips: ['10.241.0.57'] });
    expect(
      latest.body.results[0].matches.map((m: { pod: { name: string }; nodeIndex: number }) => [
        m.pod.name,
        m.nodeIndex,
      ]),
    ).toEqual([['web-2', 1]]);
    const early = await ctx.request.get('/v1/lookup?ip=10.241.0.57&at=2026-11-30T13:00:00Z');
    expect(early.body.matches.map((m: { source?: string; pod?: unknown }) => [m.source, m.pod])).toEqual([
      ['predicted', undefined],
    ]);

    const history = await ctx.request.get('/v1/plans/dyn/addresses/10.241.0.57/history?limit=1');
    expect(history.body.items.map((i: { pod: string; to: string | null }) => [i.pod, i.to])).toEqual([
      ['web-2', null],
    ]);
    const rest = await ctx.request.get(
      `/v1/plans/dyn/addresses/10.241.0.57/history?cursor=${history.body.nextCursor}`,
    );
    expect(rest.body.items.map((i: { pod: string }) => i.pod)).toEqual(['web-1']);
    // Paged as every list is: a Link to the next page while there is one.
    expect(history.headers.link).toBe(
      `</v1/plans/dyn/addresses/10.241.0.57/history?limit=1&cursor=${history.body.nextCursor}>; rel="next"`,
    );
    expect(rest.headers.link).toBeUndefined();
    // The IPv4-mapped form a dual-stack socket logs is the same address, as in a lookup.
    const mapped = await ctx.request.get('/v1/plans/dyn/addresses/::ffff:10.241.0.57/history?limit=1');
    expect([mapped.status, mapped.body.items]).toEqual([200, history.body.items]);
    // An address in the path that does not parse is 400, as for ?ip= in a lookup.
    const bad = await ctx.request.get('/v1/plans/dyn/addresses/10.241.0.999/history');
    expect([bad.status, bad.body.code, bad.body.errors?.[0]?.path]).toEqual([400, 'IP_INVALID', 'ip']);
  });

  it('streams a flow log whose lines carry their own times', async () => {
    await createPlan(ctx.request, design);
    await ctx.request.post('/v1/plans/dyn/node-imports').send(nodes);
    await ctx.request
      .post('/v1/plans/dyn/pod-imports?observedAt=2026-11-30T14:00:00Z')
      .send(pods([['web-1', '10.241.0.57', 'aks-system-0']]));
    await ctx.request
      .post('/v1/plans/dyn/pod-imports?observedAt=2026-11-30T15:00:00Z')
      .send(pods([['web-2', '10.241.0.57', 'aks-system-1']]));
    const lines = [
      { ip: '10.241.0.57', at: '2026-11-30T14:30:00Z' },
      { ip: '10.241.0.57', at: '2026-11-30T15:30:00Z' },
      { ip: '10.241.0.57', at: 'half past two' },
      { ip: '10.241.0.57' },
    ];
    const res = await ctx.request
      .post('/v1/lookup')
      .set('content-type', 'application/x-ndjson')
      .buffer(true)
      .parse(collectText)
      .send(lines.map((l) => JSON.stringify(l)).join('\n'));

    const answers = (res.body as string)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(answers.map((a) => a.matches?.[0]?.pod?.name ?? a.error)).toEqual([
      'web-1',
      'web-2',
      '"at" is not an RFC 3339 time with a zone',
      'web-2',
    ]);
  });

  it('refuses a bad document at once, an import back in time, and a time that is not RFC 3339', async () => {
    await createPlan(ctx.request, design);
    const bad = await ctx.request
      .post('/v1/plans/dyn/pod-imports')
      .send({ items: [{ metadata: { namespace: 'x' } }, 7] });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual([
      'items[0].metadata.name',
      'items[1]',
    ]);
    await ctx.request.post('/v1/plans/dyn/pod-imports?observedAt=2026-11-30T14:00:00Z').send(pods([]));
    const back = await ctx.request
      .post('/v1/plans/dyn/pod-imports?observedAt=2026-11-30T13:00:00Z')
      .send(pods([]));
    expect([back.status, back.body.code]).toEqual([422, 'OBSERVED_AT_INVALID']);
    // A time ahead of the clock would lock out every import until then (422); no calendar
    // overflows, and text that is no time is a query problem (400).
    for (const [observedAt, status, code] of [
      ['9999-12-31T23:59:59Z', 422, 'OBSERVED_AT_INVALID'],
      ['2026-02-30T00:00:00Z', 400, 'INVALID_VALUE'],
      ['2026-11-30T24:00:00Z', 400, 'INVALID_VALUE'],
      ['yesterday', 400, 'INVALID_VALUE'],
    ] as const) {
      const refused = await ctx.request
        .post(`/v1/plans/dyn/pod-imports?observedAt=${observedAt}`)
        .send(pods([]));
      expect([refused.status, refused.body.code, refused.body.errors?.[0]?.path]).toEqual([
        status,
        code,
        'observedAt',
      ]);
    }
    const later = await ctx.request
      .post('/v1/plans/dyn/pod-imports?observedAt=2026-11-30T15:00:00Z')
      .send(pods([]));
    expect(later.status).toBe(200);
    // A client clock a little ahead is recorded at the server's now, and locks nothing out.
    const ahead = new Date(Date.now() + 120_000).toISOString();
    const drifted = await ctx.request.post(`/v1/plans/dyn/pod-imports?observedAt=${ahead}`).send(pods([]));
    expect(drifted.status).toBe(200);
    expect(drifted.body.observedAt <= new Date().toISOString()).toBe(true);
    expect((await ctx.request.post('/v1/plans/dyn/pod-imports').send(pods([]))).status).toBe(200);
    // In the query it is 400 (GET, a streamed POST, a JSON POST); in a JSON body, 422.
    const notATime = await ctx.request.get('/v1/lookup?ip=10.241.0.57&at=yesterday');
    expect([notATime.status, notATime.body.code, notATime.body.errors?.[0]?.path]).toEqual([
      400,
      'INVALID_VALUE',
      'at',
    ]);
    const streamed = await ctx.request
      .post('/v1/lookup?at=2026-02-30T14:03:00Z')
      .set('content-type', 'text/plain')
      .send('10.241.0.57\n');
    expect([streamed.status, streamed.body.errors?.[0]?.path]).toEqual([400, 'at']);
    const batchQuery = await ctx.request.post('/v1/lookup?at=nope').send({ ips: ['10.241.0.57'] });
    expect([batchQuery.status, batchQuery.body.errors?.[0]?.path]).toEqual([400, 'at']);
    const inBody = await ctx.request.post('/v1/lookup').send({ ips: ['10.241.0.57'], at: 'nope' });
    expect([inBody.status, inBody.body.code, inBody.body.errors?.[0]?.path]).toEqual([
      422,
      'OBSERVED_AT_INVALID',
      'at',
    ]);
  });

  it('refuses wrong types and a pod listed twice as problems at their paths, recording nothing', async () => {
    await createPlan(ctx.request, design);
    const wrong = {
      metadata: { name: 'a', namespace: 'n' },
      spec: { nodeName: 123, hostNetwork: 'true' },
      status: { podIP: '10.60.0.8', podIPs: { ip: '10.60.0.9' } },
    };
    const twice = pods([
      ['web-1', '10.241.0.57', 'aks-system-0'],
      ['web-1', '10.241.0.58', 'aks-system-0'],
    ]);
    const res = await ctx.request.post('/v1/plans/dyn/pod-imports').send({ items: [wrong, ...twice.items] });
    expect([res.status, res.headers['content-type'], res.body.code]).toEqual([
      422,
      'application/problem+json; charset=utf-8',
      'KUBECTL_PODS_INVALID',
    ]);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([
      'items[0].spec.nodeName',
      'items[0].spec.hostNetwork',
      'items[0].status.podIPs',
      'items[2].metadata.name',
    ]);
    const history = await ctx.request.get('/v1/plans/dyn/addresses/10.241.0.57/history');
    expect(history.body.items).toEqual([]);
  });

  it('lists the first 100 problems of a document with thousands of bad items, and stops reading there', async () => {
    await createPlan(ctx.request, design);
    for (const route of ['pod-imports', 'node-imports']) {
      // A node list is refused past 5,000 nodes (AKS's limit) before it is read at all.
      const items = Array(route === 'node-imports' ? 5_000 : 50_000).fill(1);
      const res = await ctx.request.post(`/v1/plans/dyn/${route}`).send({ items });
      expect(res.status).toBe(422);
      expect(res.body.errors).toHaveLength(100);
      expect(res.body.errors.at(-1).path).toBe('items[99]');
      expect(res.body.detail).toMatch(/^more than 100 problems \(the first 100 are listed\), first: /);
    }
  });
});
