/**
 * Node and pod imports past the size parsed off the event loop answer as the same lists would
 * below it: the worker hands back what the readers read, and nothing they read is lost.
 */
import { describe, expect, it } from 'vitest';
import { PARSE_IN_WORKER_BYTES } from '../../src/http/json-body.js';
import { MAX_ITEM_VALUES, MAX_LIST_ITEMS } from '../../src/http/list-protocol.js';
import { DEFAULT_TIMEOUTS } from '../../src/http/timeouts.js';
import { createPlan, testApp, useTestApp } from './support/app.js';

const ctx = useTestApp();

/** What kubectl writes that no reader reads, enough of it to take a list past the threshold. */
const images = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ names: [`mcr.microsoft.com/image-${i}:${'0'.repeat(200)}`] }));
const bulk = () => images(Math.ceil(PARSE_IN_WORKER_BYTES / 2 / 230));

const design = (name: string) => ({
  name,
  network: { plugin: 'azure-cni-pod-subnet', nodeSubnet: '10.240.0.0/24', podSubnet: '10.241.0.0/22' },
  nodePools: [{ name: 'system', nodeCount: 3 }],
});

const nodes = (padded: boolean) => ({
  apiVersion: 'v1',
  kind: 'List',
  items: [0, 1, 2].map((i) => ({
    metadata: {
      name: `aks-system-${i}`,
      labels: { 'kubernetes.azure.com/agentpool': 'system', 'kubernetes.io/os': 'linux' },
    },
    spec: { providerID: `azure:///vmss/${i}` },
    status: {
      addresses: [
        { type: 'Hostname', address: `aks-system-${i}` },
        { type: 'InternalIP', address: `10.240.0.${4 + i}` },
      ],
      ...(padded && i < 2 ? { images: bulk() } : {}),
    },
  })),
});

const pods = (padded: boolean) => ({
  items: ['web-1', 'web-2', 'job-1'].map((name, i) => ({
    metadata: {
      name,
      namespace: 'shop',
      ownerReferences: [{ kind: 'ReplicaSet', name: 'web-7d9f', controller: true }],
      ...(padded ? { annotations: { bulk: JSON.stringify(bulk()) } } : {}),
    },
    spec: { nodeName: 'aks-system-0', containers: [{ name: 'app' }] },
    status: { phase: i === 2 ? 'Succeeded' : 'Running', podIP: `10.241.0.${10 + i}` },
  })),
});

describe('imports of large lists', () => {
  it('record the nodes and pods of a list parsed off the event loop as of the same list below it', async () => {
    for (const name of ['small', 'large']) await createPlan(ctx.request, design(name));
    const padded = { small: false, large: true } as const;
    const answers = { small: [] as unknown[], large: [] as unknown[] };
    for (const name of ['small', 'large'] as const) {
      const nodeList = JSON.stringify(nodes(padded[name]));
      const podList = JSON.stringify(pods(padded[name]));
      // The large plan's lists are past the threshold, the small one's far below it.
      expect(nodeList.length > PARSE_IN_WORKER_BYTES).toBe(padded[name]);
      expect(podList.length > PARSE_IN_WORKER_BYTES).toBe(padded[name]);
      const sent = (path: string, body: string) =>
        ctx.request.post(`/v1/plans/${name}/${path}`).set('content-type', 'application/json').send(body);
      const recordedNodes = await sent('node-imports?observedAt=2026-12-01T10:00:00Z', nodeList);
      const recordedPods = await sent('pod-imports?observedAt=2026-12-01T10:00:00Z', podList);
      const lookup = await ctx.request.get(`/v1/lookup?ip=10.241.0.11&plan=${name}`);
      const [match] = lookup.body.matches;
      expect([recordedNodes.status, recordedPods.status], recordedNodes.text + recordedPods.text).toEqual([
        200, 200,
      ]);
      // The pod's owner and node, as the records say them.
      answers[name].push(recordedNodes.body, recordedPods.body, { ...match, planId: 0, planName: 0 });
    }
    expect(answers.large).toEqual(answers.small);
    expect(answers.small[1]).toMatchObject({ seen: 2, opened: 2 });
    expect(answers.small[2]).toMatchObject({
      source: 'recorded',
      nodeName: 'aks-system-0',
      pod: { ownerKind: 'ReplicaSet' },
    });
  });

  it('refuse a bad item of a large list at its path, as of a small one', async () => {
    await createPlan(ctx.request, design('bad'));
    const list = nodes(true);
    (list.items[1] as { metadata: { name: unknown } }).metadata.name = 42;
    const res = await ctx.request.post('/v1/plans/bad/node-imports').send(list);
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ code: 'KUBECTL_NODES_INVALID', path: 'items[1].metadata.name' }),
    ]);
  });

  it('refuse a list of more than MAX_LIST_ITEMS items, or with an item too heavy to cross, naming where', async () => {
    await createPlan(ctx.request, design('hostile'));
    const send = (body: string) =>
      ctx.request.post('/v1/plans/hostile/pod-imports').set('content-type', 'application/json').send(body);
    const tooLong = await send(`{"items":[${'0,'.repeat(MAX_LIST_ITEMS)}0]}`);
    expect(tooLong.status, tooLong.text).toBe(422);
    expect(tooLong.body.errors).toEqual([
      expect.objectContaining({ code: 'VALUE_OUT_OF_RANGE', path: 'items' }),
    ]);
    expect(tooLong.body.detail).toContain('1000000');
    const podIPs = Array.from({ length: MAX_ITEM_VALUES }, () => ({ ip: '10.241.0.10' }));
    const heavy = pods(false);
    (heavy.items[2] as { status: object }).status = { podIPs };
    const tooHeavy = await send(JSON.stringify(heavy));
    expect(tooHeavy.status, tooHeavy.text).toBe(422);
    expect(tooHeavy.body.errors).toEqual([
      expect.objectContaining({ code: 'ITEM_TOO_LARGE', path: 'items[2]' }),
    ]);
    // Nothing recorded.
    expect(
      (await ctx.request.get('/v1/lookup?ip=10.241.0.10&plan=hostile')).body.matches[0],
    ).not.toHaveProperty('pod');
  });

  it("are answered when the worker takes longer than the connection's idle timeout", async () => {
    // A fresh service starts its worker on the first large list: far longer than 20 ms here.
    const quick = await testApp(undefined, { timeouts: { ...DEFAULT_TIMEOUTS, idleMs: 20 } });
    try {
      await createPlan(quick.request, design('idle'));
      const res = await quick.request.post('/v1/plans/idle/node-imports').send(nodes(true));
      expect(res.status, res.text).toBe(200);
    } finally {
      await quick.app.close();
    }
  });
});
