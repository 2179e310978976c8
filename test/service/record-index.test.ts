import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PlanInput } from '../../src/domain/design/spec.js';
import { IpAddress } from '../../src/domain/ip/index.js';
import { type LookupAddress, parseLookupAddress } from '../../src/domain/lookup/lookup-address.js';
import type { PodAddress } from '../../src/domain/pods/pod-address.js';
import type { AddressAnswer } from '../../src/service/lookup-service.js';
import { forgetPodHistory } from '../../src/service/pod-service.js';
import { RecordIndex } from '../../src/service/record-index.js';
import { createServices } from '../../src/service/services.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import type { Store } from '../../src/store/store.js';
import { turnsDuring } from '../support/event-loop-turns.js';
import { useTempDirs } from '../support/temp-dirs.js';

const run = promisify(execFile);
const WRITER = new URL('./support/plan-writer.ts', import.meta.url).pathname;
const tempDir = useTempDirs('ipam-records-');
const time = (minute: number) => new Date(Date.UTC(2026, 10, 30, 14, minute)).toISOString();

const DYNAMIC: PlanInput = {
  name: 'dyn',
  network: { plugin: 'azure-cni-pod-subnet', nodeSubnet: '10.240.0.0/24', podSubnet: '10.241.0.0/24' },
  nodePools: [{ name: 'system', nodeCount: 3, maxPods: 30 }],
};

/** Few addresses, pods and nodes, so that pods appear, move and disappear often; some on the host network. */
const podArb: fc.Arbitrary<PodAddress> = fc
  .record({
    host: fc.integer({ min: 1, max: 4 }),
    pod: fc.constantFrom('a', 'b', 'c'),
    node: fc.constantFrom('n0', 'n1', null),
    hostNetwork: fc.boolean(),
  })
  .map(({ host, pod, node, hostNetwork }) => ({
    ip: IpAddress.parse(hostNetwork ? `10.240.0.${3 + host}` : `10.241.0.${host}`),
    namespace: 'shop',
    pod,
    ownerKind: 'ReplicaSet',
    ownerName: 'web',
    node,
    hostNetwork,
  }));
const stepArb = fc.record({
  pods: fc.array(podArb, { maxLength: 6 }),
  /** Minutes after the last import: 0 is an import at the same time, which is allowed. */
  after: fc.constantFrom(0, 10, 10),
  /** Node n0 or n1 recorded (or moved) with this import, at this node IP. */
  node: fc.option(fc.record({ name: fc.constantFrom('n0', 'n1'), host: fc.integer({ min: 4, max: 7 }) }), {
    nil: undefined,
  }),
  asks: fc.array(
    fc.record({
      host: fc.integer({ min: 1, max: 8 }),
      pods: fc.boolean(),
      minute: fc.option(fc.integer({ min: -5, max: 90 })),
    }),
    { minLength: 1, maxLength: 4 },
  ),
});

/** What an answer says, as plain data. */
function said(answer: AddressAnswer | undefined) {
  return {
    matchCount: answer?.matchCount,
    matches: answer?.matches.map((m) => ({
      plan: m.planName,
      role: m.role,
      range: String(m.range),
      pool: m.pool,
      nodeIndex: m.nodeIndex,
      nodeIp: m.nodeIp?.toString(),
      nodeName: m.nodeName,
      source: m.source,
      pod: m.pod,
      interval: m.interval,
    })),
  };
}

function address(text: string): LookupAddress {
  const parsed = parseLookupAddress(text);
  if (parsed === undefined) throw new Error(text);
  return parsed;
}

describe('recorded pods and nodes held in memory', () => {
  it('answer every lookup, at any time, as the store does, while imports come in', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 6 }), async (steps) => {
        const store = openSqliteStore(':memory:');
        // Pages of two rows: every read and catch-up takes several.
        const memory = createServices(store, {
          records: { maxEntries: 1000, retentionDays: 90, pageRows: 2 },
        });
        // A budget of nothing: every plan with records is answered by the store's queries.
        const queried = createServices(store, { records: { maxEntries: 0, retentionDays: 90 } });
        const { plan } = await memory.plans.create(DYNAMIC);
        let minute = 0;
        for (const step of steps) {
          minute += step.after;
          await store.recordPods(plan.id, step.pods, time(minute));
          if (step.node !== undefined) {
            const { name, host } = step.node;
            await store.recordNodes(plan.id, [
              { name, pool: 'system', nodeIp: IpAddress.parse(`10.240.0.${host}`), podCidr: null },
            ]);
          }
          for (const ask of step.asks) {
            const ip = address(ask.pods ? `10.241.0.${ask.host}` : `10.240.0.${ask.host}`);
            const at = ask.minute === null ? undefined : time(ask.minute);
            const [fromMemory] = await memory.lookups.lookup([ip], { limitPerIp: 20, at });
            const [fromStore] = await queried.lookups.lookup([ip], { limitPerIp: 20, at });
            expect(said(fromMemory)).toEqual(said(fromStore));
          }
        }
        expect(queried.lookups.recordStats.entries).toBe(0);
        expect(memory.lookups.recordStats.plans).toBe(1);
        await store.close();
      }),
      { numRuns: 40 },
    );
  });

  it('see the imports another process writes to the same database, each once it is acknowledged', async () => {
    const path = join(tempDir(), 'ipam.db');
    const store = openSqliteStore(path);
    const { plans, lookups } = createServices(store);
    await plans.create(DYNAMIC);
    const holder = async (ip: string, at?: string) => {
      const [answer] = await lookups.lookup([address(ip)], { limitPerIp: 20, at });
      return answer?.matches.map((m) => m.pod?.name ?? `${m.role} ${m.source}`);
    };
    const write = (...args: string[]) =>
      run(process.execPath, ['--import', 'tsx', WRITER, path, 'pods', 'dyn', ...args]);

    await write(time(0), '10.241.0.7/web-1/n0');
    expect(await holder('10.241.0.7')).toEqual(['web-1']);
    await write(time(10), '10.241.0.7/web-2/n1', '10.241.0.8/web-1/n0');
    expect(await holder('10.241.0.7')).toEqual(['web-2']);
    expect(await holder('10.241.0.8')).toEqual(['web-1']);
    expect(await holder('10.241.0.7', time(5))).toEqual(['web-1']);
    await write(time(20));
    expect(await holder('10.241.0.7')).toEqual(['pod predicted']);
    expect(await holder('10.241.0.7', time(15))).toEqual(['web-2']);
    expect(lookups.recordStats).toEqual({ plans: 1, entries: 3 });
    await store.close();
  });

  it('keep within their budget, dropping the least recently used plan, and still answer every plan', async () => {
    const store = openSqliteStore(':memory:');
    const { plans, lookups } = createServices(store, { records: { maxEntries: 5, retentionDays: 90 } });
    const ids = await threePlansWithPods(store, plans);
    const holder = async (ip: string) =>
      (await lookups.lookup([address(ip)], { limitPerIp: 20 }))[0]?.matches[0]?.pod?.name;
    expect(await holder('10.241.0.1')).toBe('pod-0-1');
    expect(await holder('10.243.0.1')).toBe('pod-1-1');
    expect(lookups.recordStats).toEqual({ plans: 2, entries: 4 });
    expect(await holder('10.245.0.1')).toBe('pod-2-1'); // the first plan goes to make room
    expect(lookups.recordStats).toEqual({ plans: 2, entries: 4 });
    expect(await holder('10.241.0.2')).toBe('pod-0-2');
    expect(ids).toHaveLength(3);
    await store.close();
  });

  it('take what an import changes while they read a plan page by page, and keep nothing of a plan deleted meanwhile', async () => {
    const store = openSqliteStore(':memory:');
    const { plans } = createServices(store);
    const { plan } = await plans.create(DYNAMIC);
    const seen = (names: string[]) =>
      names.map((name, k): PodAddress => ({ ...podAt(`10.241.0.${k + 1}`), pod: name }));
    await store.recordPods(plan.id, seen(['a', 'b', 'c', 'd', 'e']), time(0));
    let during: (() => Promise<unknown>) | undefined;
    const source = {
      ...store,
      podIntervalPage: async (planId: string, after: number, limit: number) => {
        const page = await store.podIntervalPage(planId, after, limit);
        const act = during;
        during = undefined;
        await act?.(); // an import commits between two pages
        return page;
      },
      podIntervalsClosedSince: store.podIntervalsClosedSince.bind(store),
      nodes: store.nodes.bind(store),
    };
    const index = new RecordIndex(source, { maxEntries: 100, retentionDays: 90, pageRows: 2 });
    during = () => store.recordPods(plan.id, seen(['a2', 'b', 'c', 'd', 'e', 'f']), time(10));
    const first = await index.of(plan.id, 1, 1);
    // Read half before, half after the import: what it read stale, the next catch-up fixes.
    const reference = async (at: string) =>
      (await store.podsAt(plan.id, [IpAddress.parse('10.241.0.1')], at)).map((i) => i.pod);
    await index.of(plan.id, 2, 2);
    const records = index.current(plan.id, 2);
    expect(first).toBeDefined();
    for (const at of [time(5), time(10), time(15)]) {
      expect(records?.podsAt('10.241.0.1', at).map((i) => i.pod)).toEqual(await reference(at));
    }
    expect(records?.podsAt('10.241.0.6', undefined).map((i) => i.pod)).toEqual(['f']);

    // A plan deleted while it is read: nothing of it is kept.
    during = () => Promise.resolve(index.forget(plan.id));
    expect(await index.of(plan.id, 3, 3)).toBeUndefined();
    expect(index.stats).toEqual({ plans: 0, entries: 0 });
    await store.close();
  });

  it('read whole plans one at a time, so that memory holds the budget and one read at most', async () => {
    const store = openSqliteStore(':memory:');
    const { plans } = createServices(store);
    const ids = await threePlansWithPods(store, plans);
    let reading = 0;
    let most = 0;
    const source = {
      podIntervalPage: async (planId: string, after: number, limit: number) => {
        reading++;
        most = Math.max(most, reading);
        await new Promise((resolve) => setTimeout(resolve, 5));
        reading--;
        return store.podIntervalPage(planId, after, limit);
      },
      podIntervalsClosedSince: store.podIntervalsClosedSince.bind(store),
      nodes: store.nodes.bind(store),
    };
    const index = new RecordIndex(source, { maxEntries: 100, retentionDays: 90, pageRows: 1 });
    const read = await Promise.all(ids.map((id) => index.of(id, 1, 1)));
    expect(read.every((records) => records !== undefined)).toBe(true);
    expect(most).toBe(1);
    expect(index.stats).toEqual({ plans: 3, entries: 6 });
    await store.close();
  });

  it('read pages back to back for a slice of time, letting the event loop in between slices', async () => {
    const store = openSqliteStore(':memory:');
    const { plans } = createServices(store);
    const { plan } = await plans.create(DYNAMIC);
    const pods = Array.from({ length: 40 }, (_, k) => ({ ...podAt(`10.241.0.${k + 1}`), pod: `p${k}` }));
    await store.recordPods(plan.id, pods, time(0));
    const reading = (pageMs: number) => ({
      podIntervalPage: async (planId: string, after: number, limit: number) => {
        for (const until = performance.now() + pageMs; performance.now() < until; ) {
          // a page that takes its time
        }
        return store.podIntervalPage(planId, after, limit);
      },
      podIntervalsClosedSince: store.podIntervalsClosedSince.bind(store),
      nodes: store.nodes.bind(store),
    });
    const turnsReading = async (pageMs: number) => {
      const index = new RecordIndex(reading(pageMs), { maxEntries: 100, retentionDays: 90, pageRows: 2 });
      let records: unknown;
      const turns = await turnsDuring(async () => {
        records = await index.of(plan.id, 1, 1);
      });
      expect(records).toBeDefined();
      return turns;
    };
    // 20 quick pages fit in a slice or two: a pause after each page gave other work 40 turns.
    expect(await turnsReading(0)).toBeLessThan(10);
    // 20 pages of 3 ms take at least 60 ms: at least four slices, each with a pause after it.
    expect(await turnsReading(3)).toBeGreaterThanOrEqual(4);
    await store.close();
  });

  it('read a plan anew when retention deleted a close they had not caught up with', async () => {
    let now = new Date(time(0));
    const store = openSqliteStore(':memory:');
    const memory = createServices(store, { now: () => now, records: { maxEntries: 100, retentionDays: 1 } });
    const queried = createServices(store, { now: () => now, records: { maxEntries: 0, retentionDays: 1 } });
    const { plan } = await memory.plans.create(DYNAMIC);
    const holder = async (services: typeof memory) =>
      (await services.lookups.lookup([address('10.241.0.9')], { limitPerIp: 20 }))[0]?.matches.map(
        (m) => m.pod?.name ?? `${m.role} ${m.source}`,
      );
    await store.recordPods(plan.id, [{ ...podAt('10.241.0.9'), pod: 'old' }], time(0));
    expect(await holder(memory)).toEqual(['old']); // held in memory from here
    await store.recordPods(plan.id, [], time(10)); // 'old' closes at 14:10 ...
    now = new Date(time(3 * 24 * 60));
    expect(await forgetPodHistory(store, 1, now)).toBe(1); // ... and retention deletes it, unseen
    expect(await holder(memory)).toEqual(await holder(queried));
    expect(await holder(memory)).toEqual(['pod predicted']);
    await store.close();
  });

  // Past the memory budget (maxEntries 0), a plan's records are read from the database per address.
  it.each([
    ['held in memory', 100],
    ['read from the database', 0],
  ])(
    'answer nothing retention has expired, even of a plan no import has touched since (%s)',
    async (_, maxEntries) => {
      let now = new Date(time(0));
      const store = openSqliteStore(':memory:');
      const { plans, lookups, pods } = createServices(store, {
        now: () => now,
        records: { maxEntries, retentionDays: 1 },
      });
      const { plan } = await plans.create(DYNAMIC);
      await store.recordPods(plan.id, [{ ...podAt('10.241.0.9'), pod: 'old' }], time(0));
      await store.recordPods(plan.id, [{ ...podAt('10.241.0.9'), pod: 'new' }], time(10));
      const at = async (minute: number) =>
        (await lookups.lookup([address('10.241.0.9')], { limitPerIp: 20, at: time(minute) }))[0]?.matches[0]
          ?.pod?.name;
      expect(await at(5)).toBe('old');
      now = new Date(time(2 * 24 * 60)); // two days on, no import since: 14:10 is past the one day kept
      expect(await at(5)).toBeUndefined();
      expect(await at(15)).toBe('new');
      // The address's history lists what lookups answer: 'old' is gone though not pruned yet.
      const history = await pods.history('dyn', IpAddress.parse('10.241.0.9'), { limit: 10 });
      expect(history.items.map((i) => i.pod)).toEqual(['new']);
      await store.recordPods(plan.id, [{ ...podAt('10.241.0.9'), pod: 'new' }], time(2 * 24 * 60));
      expect(await at(5)).toBeUndefined();
      expect(await at(15)).toBe('new');
      await store.close();
    },
  );
});

function podAt(ip: string): PodAddress {
  return {
    ip: IpAddress.parse(ip),
    namespace: 'shop',
    pod: 'web',
    ownerKind: null,
    ownerName: null,
    node: null,
    hostNetwork: false,
  };
}

/** Three dynamic plans with two pods each: 10.241/10.243/10.245.0.1 and .2. */
async function threePlansWithPods(store: Store, plans: ReturnType<typeof createServices>['plans']) {
  const ids: string[] = [];
  for (let k = 0; k < 3; k++) {
    const { plan } = await plans.create({
      name: `dyn-${k}`,
      network: {
        plugin: 'azure-cni-pod-subnet',
        nodeSubnet: `10.${240 + 2 * k}.0.0/24`,
        podSubnet: `10.${241 + 2 * k}.0.0/24`,
      },
      nodePools: [{ name: 'system', nodeCount: 3, maxPods: 30 }],
    });
    const pods = [1, 2].map((host) => ({
      ip: IpAddress.parse(`10.${241 + 2 * k}.0.${host}`),
      namespace: 'shop',
      pod: `pod-${k}-${host}`,
      ownerKind: null,
      ownerName: null,
      node: null,
      hostNetwork: false,
    }));
    await store.recordPods(plan.id, pods, time(0));
    ids.push(plan.id);
  }
  return ids;
}
