import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DomainError, notFound } from '../../src/domain/errors.js';
import { IpAddress } from '../../src/domain/ip/index.js';
import type { RealNode } from '../../src/domain/nodes/real-node.js';
import { OnDemandWorker } from '../../src/on-demand-worker.js';
import type { StoredPlan } from '../../src/store/plan-store.js';
import { ImportWriter } from '../../src/store/sqlite/import-writer.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import { openSqliteConnection } from '../../src/store/sqlite/sqlite-connection.js';
import type { Store } from '../../src/store/store.js';
import { useTempDirs } from '../support/temp-dirs.js';
import { planWrite, podsOnOneNode } from './contract/fixtures.js';

const tempDir = useTempDirs('ipam-import-writer-');
const T = (hour: number) => new Date(Date.UTC(2026, 10, 30, hour)).toISOString();
const pods = podsOnOneNode;

let store: Store | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await store?.close();
  store = undefined;
});

async function fileStoreWithPlan() {
  const path = join(tempDir(), 'ipam.db');
  store = openSqliteStore(path);
  const { id } = await store.createPlan(planWrite('alpha', '10.240.0.0/16'));
  return { store, path, planId: id };
}

const importEntries = async (s: Store) =>
  (await s.audit.entries({ limit: 100 })).items.filter((e) => e.action === 'pods.import');

describe("a SQLite file's large pod imports", () => {
  it("are written on the import writer's thread; small ones and in-memory stores write their own", async () => {
    const writes = vi.spyOn(ImportWriter.prototype, 'write');
    const { store: file, planId } = await fileStoreWithPlan();
    await file.recordPods(planId, pods(1_999), T(10));
    expect(writes).not.toHaveBeenCalled();
    expect((await file.recordPods(planId, pods(2_000), T(11))).opened).toBe(1);
    expect(writes).not.toHaveBeenCalled();
    // 1,000 closed and 1,000 opened: 2,000 rows.
    const moved = pods(2_000).map((p, k) => (k < 1_000 ? { ...p, pod: `${p.pod}-b` } : p));
    expect(await file.recordPods(planId, moved, T(12))).toMatchObject({ opened: 1_000, closed: 1_000 });
    expect(writes).toHaveBeenCalledTimes(1);
    // Written there, not left to the store.
    await expect(writes.mock.results[0]?.value).resolves.toMatchObject({ opened: 1_000, closed: 1_000 });
    const memory = openSqliteStore(':memory:');
    const other = (await memory.createPlan(planWrite('beta', '10.240.0.0/16'))).id;
    expect((await memory.recordPods(other, pods(3_000), T(10))).opened).toBe(3_000);
    expect(writes).toHaveBeenCalledTimes(1);
    await memory.close();
  });

  it("make the store's other writes wait for them, so none waits for SQLite's lock on the event loop", async () => {
    const { store: file, planId } = await fileStoreWithPlan();
    const write = ImportWriter.prototype.write;
    let started: () => void = () => {};
    const writing = new Promise<void>((resolve) => {
      started = resolve;
    });
    const order: string[] = [];
    vi.spyOn(ImportWriter.prototype, 'write').mockImplementation(function (this: ImportWriter, ...args) {
      started();
      return write.apply(this, args).finally(() => order.push('import written'));
    });
    const imported = file.recordPods(planId, pods(5_000), T(10));
    await writing;
    const created = file.createPlan(planWrite('beta')).then(() => order.push('plan created'));
    await Promise.all([imported, created]);
    expect(order).toEqual(['import written', 'plan created']);
  });

  it('are checked again and written by the store itself when the plan changed after their check', async () => {
    const { store: file, path, planId } = await fileStoreWithPlan();
    const write = ImportWriter.prototype.write;
    const sent = vi.spyOn(ImportWriter.prototype, 'write').mockImplementation(function (
      this: ImportWriter,
      ...args
    ) {
      // Another process changes the plan once this one has checked it.
      const other = openSqliteConnection(path);
      other.prepare('UPDATE plans SET revision = revision + 1 WHERE id = ?').run(planId);
      other.close();
      return write.apply(this, args);
    });
    const firstRevisionOnly = (plan: StoredPlan) => {
      if (plan.revision > 1) throw notFound.plan('alpha');
    };
    const refused = file.recordPods(planId, pods(3_000), T(10), undefined, firstRevisionOnly);
    await expect(refused).rejects.toMatchObject({ code: 'PLAN_NOT_FOUND' });
    expect(await importEntries(file)).toHaveLength(0);
    expect(await file.podsAt(planId, [IpAddress.parse('10.240.1.0')])).toEqual([]);
    // Changed under it at every attempt: sent three times, then written by the store itself.
    expect((await file.recordPods(planId, pods(3_000), T(10))).opened).toBe(3_000);
    expect(sent).toHaveBeenCalledTimes(4);
    await expect(sent.mock.results[3]?.value).resolves.toBe('compare-again');
    expect(await importEntries(file)).toHaveLength(1);
    const held = await file.podsAt(planId, [IpAddress.parse('10.240.1.0'), IpAddress.parse('10.240.12.183')]);
    expect(held.map((i) => i.pod)).toEqual(['web-0', 'web-2999']);
  });

  it("fail, writing nothing, when the writer's thread ends; the next import starts another", async () => {
    const { store: file, planId } = await fileStoreWithPlan();
    const run = OnDemandWorker.prototype.run;
    vi.spyOn(OnDemandWorker.prototype, 'run').mockImplementationOnce(function (this: OnDemandWorker, work) {
      return run.call(this, (thread) => {
        const writing = work(thread);
        void thread.terminate(); // the thread dies while the rows are still being sent
        return writing;
      });
    });
    await expect(file.recordPods(planId, pods(12_000), T(10))).rejects.toThrow(/import writer exited/);
    expect(await importEntries(file)).toHaveLength(0);
    expect(await file.podsAt(planId, [IpAddress.parse('10.240.1.0')])).toEqual([]);
    expect((await file.recordPods(planId, pods(12_000), T(10))).opened).toBe(12_000);
    expect(await importEntries(file)).toHaveLength(1);
  });

  it("take node lists too; a refusal is the store's own, as for a small list", async () => {
    const writes = vi.spyOn(ImportWriter.prototype, 'write');
    const { store: file, planId } = await fileStoreWithPlan();
    const nodes = (count: number): RealNode[] =>
      Array.from({ length: count }, (_, i) => ({
        name: `aks-system-${i}`,
        pool: 'system',
        nodeIp: IpAddress.parse(`10.250.${i >> 8}.${i & 255}`),
        podCidr: null,
      }));
    await file.recordNodes(planId, nodes(1_999), undefined, 'nodes.import', T(10));
    expect(writes).not.toHaveBeenCalled();
    await file.recordNodes(planId, nodes(2_000), undefined, 'nodes.import', T(11));
    expect(writes).toHaveBeenCalledTimes(1);
    await expect(writes.mock.results[0]?.value).resolves.toBe(true);
    const late = file.recordNodes(planId, nodes(2_000), undefined, 'nodes.import', T(9));
    await expect(late).rejects.toBeInstanceOf(DomainError);
    await expect(late).rejects.toMatchObject({ code: 'OBSERVED_AT_INVALID' });
    expect(writes).toHaveBeenCalledTimes(2);
    expect(await file.nodes(planId)).toHaveLength(2_000);
  });

  it('are written one at a time, however many wait, each compared again after another', async () => {
    const { store: file, planId } = await fileStoreWithPlan();
    const second = (await file.createPlan(planWrite('beta', '10.240.0.0/16'))).id;
    const write = ImportWriter.prototype.write;
    let writing = 0;
    let most = 0;
    let started: () => void = () => {};
    const first = new Promise<void>((resolve) => {
      started = resolve;
    });
    vi.spyOn(ImportWriter.prototype, 'write').mockImplementation(function (this: ImportWriter, ...args) {
      most = Math.max(most, ++writing);
      started();
      return write.apply(this, args).finally(() => writing--);
    });
    const before = file.recordPods(planId, pods(12_000), T(10));
    await first;
    // Two more wait behind it; the second of them is of the first plan, compared before its write.
    const replaced = pods(3_000).map((p) => ({ ...p, pod: `${p.pod}-b` }));
    const waiting = [file.recordPods(second, pods(3_000), T(10)), file.recordPods(planId, replaced, T(11))];
    await before;
    const [other, again] = await Promise.all(waiting);
    expect(most).toBe(1);
    expect(other).toMatchObject({ opened: 3_000 });
    // Compared before the first import was written: compared again, it closes all 12,000.
    expect(again).toMatchObject({ opened: 3_000, closed: 12_000 });
  });

  it('are compared again and sent anew when another process imported into the plan in the meantime', async () => {
    const { store: file, path, planId } = await fileStoreWithPlan();
    await file.recordPods(planId, pods(3_000), T(10));
    const write = ImportWriter.prototype.write;
    const sent = vi.spyOn(ImportWriter.prototype, 'write').mockImplementationOnce(async function (
      this: ImportWriter,
      ...args
    ) {
      // Another process imports an empty list after this import's comparison: every pod is gone.
      const other = openSqliteStore(path);
      await other.recordPods(planId, [], T(11));
      await other.close();
      return write.apply(this, args);
    });
    const replaced = pods(3_000).map((p) => ({ ...p, pod: `${p.pod}-b` }));
    expect(await file.recordPods(planId, replaced, T(12))).toMatchObject({ opened: 3_000, closed: 0 });
    // Handed back, compared again, and written on the thread the second time.
    await expect(sent.mock.results[0]?.value).resolves.toBe('compare-again');
    await expect(sent.mock.results[2]?.value).resolves.toMatchObject({ opened: 3_000, closed: 0 });
    const first = IpAddress.parse('10.240.1.0');
    expect((await file.podsAt(planId, [first], T(11))).map((i) => [i.pod, i.to])).toEqual([]);
    const history = await file.addressHistory(planId, first, { limit: 10 });
    expect(history.items.map((i) => [i.pod, i.from, i.to])).toEqual([
      ['web-0-b', T(12), null],
      ['web-0', T(10), T(11)],
    ]);
  });

  it('fail once the store is closed, starting no thread', async () => {
    const { store: file, planId } = await fileStoreWithPlan();
    const writer = (file as unknown as { importWriter: ImportWriter }).importWriter;
    await writer.close();
    const started = vi.spyOn(OnDemandWorker.prototype, 'run');
    await expect(file.recordPods(planId, pods(3_000), T(10))).rejects.toThrow(/import writer is closed/);
    expect(started).toHaveBeenCalledTimes(1);
    await expect(started.mock.results[0]?.value).rejects.toThrow(/is closed/);
  });
});
