import { beforeEach, describe, expect, it } from 'vitest';
import { notFound } from '../../../src/domain/errors.js';
import { Cidr, IpAddress } from '../../../src/domain/ip/index.js';
import type { RealNode } from '../../../src/domain/nodes/real-node.js';
import type { StoredPlan } from '../../../src/store/plan-store.js';
import type { Store } from '../../../src/store/store.js';
import { type CurrentStore, planWrite, rejection } from './fixtures.js';

const node = (name: string, nodeIp: string | null, podCidr: string | null = null): RealNode => ({
  name,
  pool: 'system',
  nodeIp: nodeIp === null ? null : IpAddress.parse(nodeIp),
  podCidr: podCidr === null ? null : Cidr.parse(podCidr),
});
const names = (nodes: readonly RealNode[]) => nodes.map((n) => n.name);

/** Real nodes recorded against a plan. */
export function nodeContract(current: CurrentStore): void {
  describe('recorded nodes', () => {
    let store: Store;
    let planId: string;
    beforeEach(async () => {
      store = current();
      planId = (await store.createPlan(planWrite('alpha'))).id;
    });

    it('records nodes by name, updating one recorded again, and lists them by name', async () => {
      await store.recordNodes(planId, [node('b', '10.240.0.5'), node('a', '10.240.0.4')]);
      await store.recordNodes(planId, [node('b', '10.240.0.9')]);
      const recorded = await store.nodes(planId);
      expect(names(recorded)).toEqual(['a', 'b']);
      expect(String(recorded[1]?.nodeIp)).toBe('10.240.0.9');
      expect((await rejection(store.recordNodes('missing', [node('x', null)]))).code).toBe('PLAN_NOT_FOUND');
    });

    it("runs the caller's check on the plan in the write's transaction; a refusal writes nothing", async () => {
      const seen: string[] = [];
      const refuse = (plan: StoredPlan) => {
        seen.push(plan.id);
        throw notFound.plan('alpha');
      };
      const audited = (await store.audit.entries({ limit: 100 })).items.length;
      for (const write of [
        () =>
          store.recordNodes(planId, [node('a', '10.240.0.4')], undefined, 'nodes.record', undefined, refuse),
        () =>
          store.recordNodes(planId, [node('a', '10.240.0.4')], undefined, 'nodes.import', undefined, refuse),
      ]) {
        expect((await rejection(write())).code).toBe('PLAN_NOT_FOUND');
      }
      expect(seen).toEqual([planId, planId]);
      expect(await store.nodes(planId)).toEqual([]);
      expect((await store.audit.entries({ limit: 100 })).items).toHaveLength(audited);
      await store.recordNodes(
        planId,
        [node('a', '10.240.0.4')],
        undefined,
        'nodes.record',
        undefined,
        () => {},
      );
      expect(names(await store.nodes(planId))).toEqual(['a']);
    });

    it("takes an import for the cluster's whole node list: the nodes it does not name are gone", async () => {
      await store.recordNodes(planId, [node('a', '10.240.0.4'), node('b', '10.240.0.5')]);
      const importAt = (nodes: RealNode[], at: string) =>
        store.recordNodes(planId, nodes, undefined, 'nodes.import', at);
      await importAt([node('a', '10.240.0.4'), node('c', '10.240.0.5')], '2026-12-01T11:00:00.000Z');
      expect(names(await store.nodes(planId))).toEqual(['a', 'c']);
      expect(names(await store.nodesAt(planId, [IpAddress.parse('10.240.0.5')], []))).toEqual(['c']);
      // One record leaves the others alone.
      await store.recordNodes(planId, [node('d', null)]);
      expect(names(await store.nodes(planId))).toEqual(['a', 'c', 'd']);
      const late = await rejection(importAt([node('a', '10.240.0.4')], '2026-12-01T10:59:59.000Z'));
      expect(late.code).toBe('OBSERVED_AT_INVALID');
      expect(names(await store.nodes(planId))).toEqual(['a', 'c', 'd']);
      await importAt([], '2026-12-01T12:00:00.000Z');
      expect(await store.nodes(planId)).toEqual([]);
      // An empty list leaves no node to date it, but a delayed older list still cannot roll back.
      const older = await rejection(importAt([node('a', '10.240.0.4')], '2026-12-01T11:30:00.000Z'));
      expect(older.code).toBe('OBSERVED_AT_INVALID');
      expect(await store.nodes(planId)).toEqual([]);
    });

    it('records an import of hundreds of nodes whole, and updates each on the next', async () => {
      // 450: two full statements of 200 rows and 50 more, on stores that write rows in statements.
      const list = (octet: number) =>
        Array.from({ length: 450 }, (_, i) =>
          node(`n${String(i).padStart(3, '0')}`, `10.${octet}.${i >> 8}.${i & 255}`),
        );
      await store.recordNodes(planId, list(240), undefined, 'nodes.import', '2026-12-01T10:00:00.000Z');
      await store.recordNodes(planId, list(241), undefined, 'nodes.import', '2026-12-01T11:00:00.000Z');
      const recorded = await store.nodes(planId);
      expect(recorded.map((n) => [n.name, String(n.nodeIp)])).toEqual(
        list(241).map((n) => [n.name, String(n.nodeIp)]),
      );
    });

    it('takes thousands of nodes as it takes a few: checked, refused, replaced, audited and logged', async () => {
      // 2,500: past the rows a SQLite file's store writes on its import writer's thread.
      const list = (count: number, octet: number) =>
        Array.from({ length: count }, (_, i) => ({
          ...node(`n${String(i).padStart(4, '0')}`, `10.${octet}.${i >> 8}.${i & 255}`),
          ...(i === 0 ? { ipv6PodCidr: Cidr.parse('fd12:3456:789a::/80') } : {}),
        }));
      const at = (hour: number) => new Date(Date.UTC(2026, 11, 1, hour)).toISOString();
      const importAt = (nodes: RealNode[], hour: number) =>
        store.recordNodes(planId, nodes, undefined, 'nodes.import', at(hour));
      const audited = (await store.audit.entries({ limit: 100 })).items.length;
      const before = await store.changeVersion();
      await importAt(list(2_500, 240), 10);
      expect((await store.indexChangesSince(before))?.plans.map((p) => p.id)).toEqual([planId]);
      const refuse = () => {
        throw notFound.plan('alpha');
      };
      const refused = store.recordNodes(planId, list(2_000, 241), undefined, 'nodes.import', at(11), refuse);
      expect((await rejection(refused)).code).toBe('PLAN_NOT_FOUND');
      expect((await rejection(importAt(list(2_000, 241), 9))).code).toBe('OBSERVED_AT_INVALID');
      expect(await store.nodes(planId)).toHaveLength(2_500);
      await store.recordNodes(planId, list(2_000, 242));
      expect(String((await store.nodes(planId))[1_999]?.nodeIp)).toBe('10.242.7.207');
      await importAt(list(2_000, 241), 11);
      const recorded = await store.nodes(planId);
      expect(recorded.map((n) => [n.name, String(n.nodeIp)])).toEqual(
        list(2_000, 241).map((n) => [n.name, String(n.nodeIp)]),
      );
      expect(String(recorded[0]?.ipv6PodCidr)).toBe('fd12:3456:789a::/80');
      const entries = (await store.audit.entries({ limit: 100 })).items;
      expect(entries.slice(0, entries.length - audited).map((e) => e.action)).toEqual([
        'nodes.import',
        'nodes.record',
        'nodes.import',
      ]);
    });

    it('finds a dual-stack node by its IPv6 pod CIDR, and keeps it', async () => {
      const dual = {
        ...node('d', '10.240.0.9', '10.244.3.0/24'),
        ipv6PodCidr: Cidr.parse('fd00:0:0:0:3::/80'),
      };
      await store.recordNodes(planId, [dual, node('v4', '10.240.0.10', '10.244.4.0/24')]);
      const found = await store.nodesAt(planId, [], [IpAddress.parse('fd00::3:0:0:9')]);
      expect(names(found)).toEqual(['d']);
      expect(String(found[0]?.ipv6PodCidr)).toBe('fd00::3:0:0:0/80');
      expect((await store.nodes(planId)).find((n) => n.name === 'v4')?.ipv6PodCidr).toBeUndefined();
    });

    it('finds nodes by node IP and by the pod CIDR holding an address', async () => {
      await store.recordNodes(planId, [
        node('a', '10.240.0.4', '10.244.0.0/24'),
        node('b', '10.240.0.5', '10.244.1.0/24'),
        node('c', null, null),
      ]);
      const at = (ips: string[], pods: string[]) =>
        store.nodesAt(planId, ips.map(IpAddress.parse), pods.map(IpAddress.parse)).then(names);
      expect(await at(['10.240.0.5'], [])).toEqual(['b']);
      expect(await at([], ['10.244.0.200'])).toEqual(['a']);
      expect(await at(['10.240.0.4'], ['10.244.1.1', '10.245.0.1'])).toEqual(['a', 'b']);
      expect(await at(['10.240.0.99'], [])).toEqual([]);
    });

    it('knows which plans have recorded nodes, and forgets them with the plan', async () => {
      const other = (await store.createPlan(planWrite('beta', '10.241.0.0/24'))).id;
      await store.recordNodes(planId, [node('a', '10.240.0.4')]);
      expect(await store.plansWithNodes([planId, other, 'missing'])).toEqual(new Set([planId]));
      await store.recordNodes(planId, [node('b', null), { ...node('c', null), pool: 'user' }]);
      expect(await store.recordedNodesPerPool([planId, other])).toEqual(
        new Map([
          [
            planId,
            new Map([
              ['system', 2],
              ['user', 1],
            ]),
          ],
        ]),
      );
      await store.deletePlan(planId);
      expect(await store.plansWithNodes([planId])).toEqual(new Set());
      expect(await store.nodes(planId)).toEqual([]);
    });
  });
}
