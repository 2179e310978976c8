/**
 * The guarantees of one process hold across replicas on one PostgreSQL: each test runs several
 * service instances (their own apps and connection pools) against one database and races them.
 */
import { describe, expect, it } from 'vitest';
import { Cidr } from '../../src/domain/ip/index.js';
import { FreeSpace } from '../../src/domain/space/free-space.js';
import type { Request } from '../http/support/app.js';
import { everyItem, replicas, useReplicaCleanup } from './support.js';

useReplicaCleanup();

const kubenet = (name: string, nodeSubnet: string) => ({
  name,
  network: { plugin: 'kubenet', nodeSubnet },
  nodePools: [{ name: 'system', nodeCount: 3 }],
});

const nodeSubnetPlan = (name: string, nodeSubnet: string, nodeCount = 3) => ({
  name,
  network: { plugin: 'azure-cni-node-subnet', nodeSubnet },
  nodePools: [{ name: 'system', nodeCount }],
});

function expectDisjointInside(cidrs: readonly Cidr[], space: Cidr): void {
  const sorted = [...cidrs].sort(Cidr.compare);
  for (const [i, cidr] of sorted.entries()) {
    expect(space.covers(cidr), `${cidr} inside ${space}`).toBe(true);
    const next = sorted[i + 1];
    if (next !== undefined) expect(cidr.overlaps(next), `${cidr} and ${next}`).toBe(false);
  }
}

describe('several replicas on one PostgreSQL', () => {
  it('never overlap allocations: 4 replicas x 100 concurrent mixed sizes, losers a clean SPACE_EXHAUSTED', async () => {
    const { requests } = await replicas(4);
    const space = Cidr.parse('10.20.0.0/21');
    expect(
      (await requests[0]?.post('/v1/spaces').send({ name: 'shared', cidrs: [String(space)] }))?.status,
    ).toBe(201);
    // 400 requests of /25 to /28 into a /21 (2,048 addresses): far more than fits.
    const answers = await Promise.all(
      requests.flatMap((request, r) =>
        Array.from({ length: 100 }, (_, i) =>
          request
            .post('/v1/spaces/shared/allocations')
            .send({ prefixLength: 25 + ((i + r) % 4), purpose: `replica ${r}` }),
        ),
      ),
    );
    const won = answers.filter((a) => a.status === 201);
    const lost = answers.filter((a) => a.status !== 201);
    expect(new Set(lost.map((a) => `${a.status} ${a.body.code}`))).toEqual(new Set(['409 SPACE_EXHAUSTED']));
    const stored = (
      await everyItem<{ cidr: string }>(requests[1] as Request, '/v1/spaces/shared/allocations')
    ).map((a) => Cidr.parse(a.cidr));
    expect(won.map((a) => a.body.cidr).sort()).toEqual(stored.map(String).sort());
    expectDisjointInside(stored, space);
    // The /28s, the smallest size, took every last block: the space ends full.
    expect(new FreeSpace([space], stored).freeAddresses(4)).toBe(0n);
  });

  it('gives a name to one plan and an If-Match to one writer', async () => {
    const { requests } = await replicas(4);
    const creates = await Promise.all(
      requests.map((request, r) =>
        request.post('/v1/plans').send(nodeSubnetPlan('prod', `10.24${r}.0.0/24`)),
      ),
    );
    expect(creates.map((c) => c.status).sort()).toEqual([201, 409, 409, 409]);
    expect(creates.filter((c) => c.status === 409).map((c) => c.body.code)).toEqual(
      Array(3).fill('PLAN_NAME_TAKEN'),
    );
    const created = creates.find((c) => c.status === 201);
    const subnet = created?.body.spec.network.nodeSubnet as string;
    const replaces = await Promise.all(
      requests.map((request, r) =>
        request
          .put('/v1/plans/prod')
          .set('If-Match', created?.headers.etag as string)
          .send(nodeSubnetPlan('prod', subnet, 4 + r)),
      ),
    );
    expect(replaces.map((c) => c.status).sort()).toEqual([200, 412, 412, 412]);
    const winner = replaces.find((c) => c.status === 200)?.body.spec.nodePools[0].nodeCount;
    expect((await requests[3]?.get('/v1/plans/prod'))?.body).toMatchObject({
      revision: 2,
      spec: { nodePools: [{ nodeCount: winner }] },
    });
  });

  it('lets one kubenet plan have a subnet, however many replicas race for it', async () => {
    const { requests } = await replicas(4);
    const answers = await Promise.all(
      requests.map((request, r) => request.post('/v1/plans').send(kubenet(`kube-${r}`, '10.240.0.0/24'))),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409]);
    expect(answers.filter((a) => a.status === 409).map((a) => a.body.code)).toEqual(
      Array(3).fill('KUBENET_SUBNET_SHARED'),
    );
  });

  it('shares Idempotency-Keys: one key sent to two replicas at once makes one allocation', async () => {
    const { requests } = await replicas(2);
    await requests[0]?.post('/v1/spaces').send({ name: 'corp', cidrs: ['10.40.0.0/16'] });
    for (let round = 0; round < 10; round++) {
      const answers = await Promise.all(
        requests.map((request) =>
          request
            .post('/v1/spaces/corp/allocations')
            .set('Idempotency-Key', `key-${round}`)
            .send({ prefixLength: 24, purpose: 'retried' }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual([201, 201]);
      expect(answers[0]?.body).toEqual(answers[1]?.body);
      expect(answers.map((a) => a.headers['idempotent-replayed']).sort()).toEqual(['true', undefined]);
    }
    const stored = await requests[1]?.get('/v1/spaces/corp/allocations');
    expect(stored?.body.items).toHaveLength(10);
  });

  it('revokes a token on every replica at once', async () => {
    const { requests } = await replicas(2);
    const [a, b] = requests as [Request, Request];
    const issued = await a.post('/v1/tokens').send({ name: 'pipeline', scopes: ['read'] });
    const asPipeline = () => b.get('/v1/plans').set('authorization', `Bearer ${issued.body.token}`);
    expect((await asPipeline()).status).toBe(200); // now cached as verified on B
    expect((await a.delete(`/v1/tokens/${issued.body.id}`)).status).toBe(204);
    expect((await asPipeline()).status).toBe(401);
  });

  it("hears of replica A's commits on replica B without being asked (LISTEN)", async () => {
    const { requests, stores } = await replicas(2);
    const heard = new Promise<void>((resolve) => stores[1]?.onPlanChanges(resolve));
    await requests[0]?.post('/v1/plans').send(nodeSubnetPlan('told', '10.60.0.0/24'));
    await heard;
    expect(await stores[1]?.changeVersion()).toBeGreaterThan(0);
  });

  it('finds on replica B a plan acknowledged by replica A, at once, and forgets it at once', async () => {
    const { requests } = await replicas(2);
    const [a, b] = requests;
    // B's index is built before A writes, so B must notice A's writes to answer.
    expect((await b?.get('/v1/lookup').query({ ip: '10.50.0.4' }))?.body.matches).toEqual([]);
    for (let i = 0; i < 20; i++) {
      const subnet = `10.50.${i}.0/24`;
      const created = await a?.post('/v1/plans').send(nodeSubnetPlan(`plan-${i}`, subnet));
      expect(created?.status).toBe(201);
      const found = await b?.get('/v1/lookup').query({ ip: `10.50.${i}.4` });
      expect(found?.body.matches.map((m: { planName: string }) => m.planName)).toEqual([`plan-${i}`]);
      expect((await a?.delete(`/v1/plans/plan-${i}`))?.status).toBe(204);
      expect((await b?.get('/v1/lookup').query({ ip: `10.50.${i}.4` }))?.body.matches).toEqual([]);
    }
  });

  it("answers on replica B the pods replica A records, each import at once, from B's memory", async () => {
    const { requests } = await replicas(2);
    const [a, b] = requests;
    const created = await a?.post('/v1/plans').send({
      name: 'dyn',
      network: { plugin: 'azure-cni-pod-subnet', nodeSubnet: '10.60.0.0/24', podSubnet: '10.61.0.0/24' },
      nodePools: [{ name: 'system', nodeCount: 3 }],
    });
    expect(created?.status).toBe(201);
    const pods = (...held: [ip: string, name: string][]) => ({
      items: held.map(([ip, name]) => ({
        metadata: { name, namespace: 'shop' },
        spec: { nodeName: 'aks-system-0' },
        status: { podIP: ip },
      })),
    });
    const holder = async (ip: string, at?: string) => {
      const answer = await b?.get('/v1/lookup').query(at === undefined ? { ip } : { ip, at });
      return answer?.body.matches.map(
        (m: { pod?: { name: string }; source: string }) => m.pod?.name ?? m.source,
      );
    };
    expect(await holder('10.61.0.9')).toEqual(['predicted']); // B holds the plan's (empty) records now
    for (let i = 0; i < 5; i++) {
      const at = `2026-11-30T14:0${i}:00Z`;
      const imported = await a
        ?.post('/v1/plans/dyn/pod-imports')
        .query({ observedAt: at })
        .send(pods(['10.61.0.9', `web-${i}`], ['10.61.0.10', 'steady']));
      expect(imported?.status).toBe(200);
      expect(await holder('10.61.0.9')).toEqual([`web-${i}`]);
      expect(await holder('10.61.0.9', '2026-11-30T14:00:30Z')).toEqual(['web-0']);
      expect(await holder('10.61.0.10')).toEqual(['steady']);
    }
  });
});
