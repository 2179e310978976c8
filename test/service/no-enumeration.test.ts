import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PlanInput } from '../../src/domain/design/spec.js';
import { IpAddress } from '../../src/domain/ip/index.js';
import { fromIpAddress } from '../../src/domain/lookup/lookup-address.js';
import { planDesign } from '../../src/domain/plan/planner.js';
import { createServices } from '../../src/service/services.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';

/**
 * Work is counted as address values built: every address the code touches is an IpAddress,
 * so code that walked addresses or nodes would build millions of them for the big plans.
 */
const network = (nodeSubnet: string) => ({
  plugin: 'azure-cni-node-subnet' as const,
  nodeSubnet,
  serviceCidr: '192.168.0.0/16',
  dnsServiceIp: '192.168.0.10',
});

const DESIGNS: Record<string, PlanInput> = {
  small: {
    name: 'small',
    network: network('10.1.0.0/24'),
    nodePools: [{ name: 'system', nodeCount: 3, maxPods: 30 }],
  },
  slash8: {
    name: 'slash8',
    network: network('10.0.0.0/8'),
    nodePools: [{ name: 'system', nodeCount: 3, maxCount: 999, maxPods: 250, maxSurge: 1 }],
  },
  thousandNodes: {
    name: 'thousand',
    network: network('10.64.0.0/14'),
    nodePools: [{ name: 'system', nodeCount: 999, maxPods: 250, maxSurge: 1 }],
  },
};

/** The last pod address of the plan's last node slot: the deepest point of the layout. */
function deepestPod(design: PlanInput): IpAddress {
  const model = planDesign(design).model;
  const [last] = model.slots({ offset: model.slotCount() - 1, limit: 1 });
  if (last?.podRange == null) throw new Error('the design should fit');
  return last.podRange.last;
}

async function workOf(action: () => Promise<unknown>): Promise<number> {
  const built = [vi.spyOn(IpAddress, 'of'), vi.spyOn(IpAddress, 'ipv4')];
  await action();
  const count = built.reduce((sum, spy) => sum + spy.mock.calls.length, 0);
  for (const spy of built) spy.mockRestore();
  return count;
}

async function lookupWork(name: keyof typeof DESIGNS): Promise<{ work: number; nodeIndex: unknown }> {
  const design = DESIGNS[name] as PlanInput;
  const store = openSqliteStore(':memory:');
  const { plans, lookups } = createServices(store);
  await plans.create(design);
  const address = deepestPod(design);
  await lookups.lookup([fromIpAddress(address)], { limitPerIp: 20 }); // lays the plan out once and caches it
  let result: unknown;
  const work = await workOf(async () => {
    const answers = await lookups.lookup([fromIpAddress(address)], { limitPerIp: 20 });
    // A node IP is built when it is read, as an answer's writer reads it.
    for (const match of answers[0]?.matches ?? []) match.nodeIp?.toString();
    result = answers;
  });
  await store.close();
  const [answer] = result as { matches: { nodeIndex: number }[] }[];
  return { work, nodeIndex: answer?.matches[0]?.nodeIndex };
}

describe('answers cost the same for a /8 or 1,000 nodes at maxPods 250 as for a small plan', () => {
  afterEach(() => vi.restoreAllMocks());

  it('lookup of the deepest pod address', async () => {
    const small = await lookupWork('small');
    const slash8 = await lookupWork('slash8');
    const thousand = await lookupWork('thousandNodes');
    expect(small.work).toBeGreaterThan(0); // the counter sees the work it compares
    expect(slash8.nodeIndex).toBe(999);
    expect(thousand.nodeIndex).toBe(999);
    expect(slash8.work).toBe(small.work);
    expect(thousand.work).toBe(small.work);
  });

  it('a page of node slots at the end of the plan', async () => {
    const pageWork = async (design: PlanInput) => {
      const model = planDesign(design).model;
      const offset = model.slotCount() - 3;
      return workOf(async () => model.slots({ offset, limit: 3 }));
    };
    const small = await pageWork(DESIGNS.small as PlanInput);
    expect(small).toBeGreaterThan(0);
    expect(await pageWork(DESIGNS.slash8 as PlanInput)).toBe(small);
    expect(await pageWork(DESIGNS.thousandNodes as PlanInput)).toBe(small);
  });

  it('capacity', async () => {
    const capacityWork = async (design: PlanInput) => {
      const model = planDesign(design).model;
      return workOf(async () => model.capacity());
    };
    const small = await capacityWork(DESIGNS.small as PlanInput);
    expect(await capacityWork(DESIGNS.slash8 as PlanInput)).toBe(small);
    expect(await capacityWork(DESIGNS.thousandNodes as PlanInput)).toBe(small);
  });
});
