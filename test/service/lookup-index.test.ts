import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { PlanInput } from '../../src/domain/design/spec.js';
import { IpAddress } from '../../src/domain/ip/index.js';
import { fromIpAddress, parseLookupAddress } from '../../src/domain/lookup/lookup-address.js';
import { planDesign } from '../../src/domain/plan/planner.js';
import type { AddressAnswer } from '../../src/service/lookup-service.js';
import { createServices } from '../../src/service/services.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import { useTempDirs } from '../support/temp-dirs.js';

const run = promisify(execFile);
const WRITER = new URL('./support/plan-writer.ts', import.meta.url).pathname;
const tempDir = useTempDirs('ipam-index-');

/** Small designs of every plugin, placed in 10.x so that they overlap each other often. */
const designArb = (name: string) =>
  fc
    .record({
      plugin: fc.constantFrom(
        'azure-cni-node-subnet',
        'azure-cni-overlay',
        'kubenet',
        'azure-cni-pod-subnet',
      ),
      second: fc.integer({ min: 0, max: 3 }),
      nodeCount: fc.integer({ min: 1, max: 6 }),
      maxPods: fc.constantFrom(10, 30),
      podCidr: fc.constantFrom('10.244.0.0/16', '10.244.0.0/20', '10.245.0.0/22'),
    })
    .map(({ plugin, second, nodeCount, maxPods, podCidr }): PlanInput => {
      const nodeSubnet = `10.${240 + second}.0.0/24`;
      const network =
        plugin === 'azure-cni-pod-subnet'
          ? { plugin, nodeSubnet, podSubnet: `10.${250 + second}.0.0/22` }
          : plugin === 'azure-cni-node-subnet'
            ? { plugin, nodeSubnet }
            : { plugin, nodeSubnet, podCidr };
      return {
        name,
        network,
        nodePools: [{ name: 'system', nodeCount, maxPods: Math.max(maxPods, 30 / nodeCount) }],
      };
    });

/** Addresses in and around the ranges the designs use. */
const addressArb = fc
  .tuple(
    fc.constantFrom(0, 240, 241, 242, 243, 244, 245, 250, 251),
    fc.integer({ min: 0, max: 3 }),
    fc.nat(255),
  )
  .map(([b, c, d]) => IpAddress.parse(b === 0 ? `10.0.${c}.${d}` : `10.${b}.${c}.${d}`));

describe('the lookup index answers as the domain does over every plan', () => {
  it('matches, their order and matchCount, for random plans and addresses, at any limitPerIp', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .array(fc.nat(), { minLength: 1, maxLength: 6 })
          .chain((seeds) => fc.tuple(...seeds.map((_, i) => designArb(`plan-${i}`)))),
        fc.array(addressArb, { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 1, max: 4 }),
        async (designs, addresses, limitPerIp) => {
          const store = openSqliteStore(':memory:');
          const { plans, lookups } = createServices(store);
          const stored: { id: string; design: ReturnType<typeof planDesign> }[] = [];
          for (const design of designs) {
            try {
              stored.push({ id: (await plans.create(design)).plan.id, design: planDesign(design) });
            } catch {
              // a design the rules refuse (or that shares a kubenet subnet) is simply not stored
            }
          }
          // One by one first, while no design is cached yet; then the batch, which they must equal.
          const single: AddressAnswer[] = [];
          for (const address of addresses)
            single.push(await lookups.lookupOne(fromIpAddress(address), { limitPerIp }));
          const answers = await lookups.lookup(addresses.map(fromIpAddress), { limitPerIp });
          expect(single).toEqual(answers);
          answers.forEach((answer, i) => {
            const address = addresses[i] as IpAddress;
            const reference = [...stored]
              .sort((a, b) => (a.id < b.id ? -1 : 1))
              .flatMap(({ id, design }) =>
                design.model.lookup(address).map((m) => [id, m.role, m.nodeIndex ?? null, String(m.range)]),
              );
            const got = answer.matches.map((m) => [m.planId, m.role, m.nodeIndex ?? null, String(m.range)]);
            expect(got).toEqual(reference.slice(0, limitPerIp));
            expect(answer.matchCount).toBe(reference.length);
            expect(answer.truncated).toBe(reference.length > limitPerIp);
          });
          await store.close();
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('the lookup index is never stale', () => {
  it('sees plans another process creates and deletes in the same database', async () => {
    const path = join(tempDir(), 'ipam.db');
    const store = openSqliteStore(path);
    const { plans, lookups } = createServices(store);
    await plans.create({
      name: 'local',
      network: { plugin: 'azure-cni-node-subnet', nodeSubnet: '10.240.0.0/24' },
      nodePools: [{ name: 'system', nodeCount: 3, maxPods: 30 }],
    });
    const at = async (ip: string) => {
      const address = parseLookupAddress(ip);
      if (address === undefined) throw new Error(ip);
      // A single lookup answers at once only when the index is current; else after catching up.
      const single = lookups.lookupOne(address, { limitPerIp: 20, receivedAt: performance.now() });
      const [answer] = await lookups.lookup([address], { limitPerIp: 20 });
      expect(await single).toEqual(answer);
      return answer?.matches.map((m) => `${m.planName} ${m.role}`);
    };
    const atOnce = (ip: string) =>
      lookups.lookupOne(parseLookupAddress(ip) ?? fail(ip), {
        limitPerIp: 20,
        receivedAt: performance.now(),
      });
    expect(await at('10.240.0.4')).toEqual(['local node']);
    expect(await at('10.241.0.4')).toEqual([]);

    expect(atOnce('10.240.0.4')).not.toBeInstanceOf(Promise);
    // The request's arrival reaches the store: a version read before it must not serve it.
    const asked = vi.spyOn(store, 'changeVersion');
    await lookups.lookupOne(parseLookupAddress('10.240.0.4') ?? fail('10.240.0.4'), {
      limitPerIp: 20,
      receivedAt: 4321.5,
    });
    expect(asked).toHaveBeenCalledWith(4321.5);
    asked.mockRestore();

    await run(process.execPath, ['--import', 'tsx', WRITER, path, 'create', 'remote', '10.241.0.0/24']);
    // The index is behind the other process's write: the answer waits for it to catch up.
    const behind = atOnce('10.241.0.4');
    expect(behind).toBeInstanceOf(Promise);
    expect((await behind).matches.map((m) => m.planName)).toEqual(['remote']);
    expect(atOnce('10.241.0.4')).not.toBeInstanceOf(Promise);
    expect(await at('10.241.0.4')).toEqual(['remote node']);
    await run(process.execPath, ['--import', 'tsx', WRITER, path, 'delete', 'local']);
    expect(await at('10.240.0.4')).toEqual([]);
    expect(await at('10.241.0.5')).toEqual(['remote pod']);
    await store.close();
  });
});

function fail(ip: string): never {
  throw new Error(`${ip} should parse`);
}
