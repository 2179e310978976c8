/**
 * Property tests of the kubenet, overlay (single and dual-stack) and pod-subnet planners
 * against a deliberately simple reference written here on plain bigints: slot k of the
 * cluster takes block k of each pod CIDR; static slots take ceil((maxPods + 1) / 16) /28s
 * from block 1 on; capacities are the documented formulas. Only IpAddress/Cidr are used from
 * src, to turn numbers into text and back.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NodePoolInput, PlanInput } from '../../../src/domain/design/spec.js';
import type { IpFamily } from '../../../src/domain/ip/family.js';
import { Cidr, IpAddress } from '../../../src/domain/ip/index.js';
import { type PlannedDesign, planDesign } from '../../../src/domain/plan/planner.js';

const RUNS = { numRuns: 120 };

// ---------------------------------------------------------------------------------------------
// Numbers, addresses and the documented arithmetic

const addressOf = (family: IpFamily, n: bigint): IpAddress => IpAddress.of(family, n);
const cidrText = (family: IpFamily, base: bigint, prefix: number) => `${addressOf(family, base)}/${prefix}`;
const numberOf = (text: string): bigint => IpAddress.parse(text).value;
const pow2 = (bits: number): bigint => 1n << BigInt(bits);

function baseOf(text: string): { base: bigint; prefix: number; size: bigint; family: IpFamily } {
  const [address = '', length = '0'] = text.split('/');
  const family: IpFamily = address.includes(':') ? 6 : 4;
  const prefix = Number(length);
  return { base: numberOf(address), prefix, size: pow2((family === 4 ? 32 : 128) - prefix), family };
}

const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;

/** required / usable to three decimals, halves rounded up; 0 for nothing in nothing. */
// A range with no usable address is exhausted whatever it must hold: nothing more fits in it.
/** required / usable to three decimals, never rounded onto the other side of a verdict's line. */
function refUtilization(required: bigint, usable: bigint): number {
  if (usable === 0n) return Number.POSITIVE_INFINITY;
  const rounded = Number((required * 2000n + usable) / (usable * 2n)) / 1000;
  const verdict = refVerdict(required, usable);
  if (verdict === 'ok' && rounded >= 0.8) return 0.799;
  if (verdict === 'exhausted' && rounded <= 1) return 1.001;
  return rounded;
}

function refVerdict(required: bigint, usable: bigint): string {
  if (required > usable || usable === 0n) return 'exhausted';
  return required * 5n >= usable * 4n ? 'at-risk' : 'ok';
}

// ---------------------------------------------------------------------------------------------
// Generated pools

interface PoolShape {
  readonly maxPods: number;
  readonly nodeCount: number;
  readonly extraMax: number | undefined;
  readonly maxSurge: number | string;
}

const poolShape: fc.Arbitrary<PoolShape> = fc.record({
  maxPods: fc.oneof(fc.integer({ min: 10, max: 250 }), fc.constantFrom(15, 16, 30, 31, 32, 47, 48, 250)),
  nodeCount: fc.integer({ min: 0, max: 30 }),
  extraMax: fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
  maxSurge: fc.oneof(
    fc.integer({ min: 0, max: 3 }),
    fc.integer({ min: 0, max: 100 }).map((p) => `${p}%`),
  ),
});

/** At most 3 pools of 60 + 100% surge: 360 slots, inside kubenet's 400. */
const poolShapes = fc.array(poolShape, { minLength: 1, maxLength: 3 });

/** Pool 0 needs a node; a pool with maxPods under 30 needs room for 30 pods. */
function poolInputs(shapes: readonly PoolShape[]): NodePoolInput[] {
  return shapes.map((shape, i) => {
    const minimum = Math.max(i === 0 ? 1 : 0, shape.maxPods < 30 ? Math.ceil(30 / shape.maxPods) : 0);
    const nodeCount = Math.max(shape.nodeCount, minimum);
    const pool: NodePoolInput = {
      name: `pool${i}`,
      nodeCount,
      maxPods: shape.maxPods,
      maxSurge: shape.maxSurge,
    };
    if (shape.extraMax !== undefined) pool.maxCount = nodeCount + shape.extraMax;
    return pool;
  });
}

interface RefPool {
  readonly name: string;
  readonly maxPods: number;
  readonly current: bigint;
  readonly atMax: bigint;
  /** maximum + surge: the pool's slots. */
  readonly slots: number;
}

function refPools(pools: readonly NodePoolInput[]): RefPool[] {
  return pools.map((p) => {
    const atMax = Math.max(p.nodeCount, p.maxCount ?? p.nodeCount);
    const surgeSpec = p.maxSurge ?? '10%';
    const asked =
      typeof surgeSpec === 'number' ? surgeSpec : Math.ceil((atMax * Number(surgeSpec.slice(0, -1))) / 100);
    const surge = Math.min(asked, atMax); // never more than the nodes to upgrade
    return {
      name: p.name,
      maxPods: p.maxPods ?? 0,
      current: BigInt(p.nodeCount),
      atMax: BigInt(atMax),
      slots: atMax + surge,
    };
  });
}

/** Slots listed as the API lists them: by pool in spec order, then by index. */
function inPlanOrder<T extends { pool: string; index: number }>(slots: T[], pools: readonly RefPool[]): T[] {
  const position = (name: string) => pools.findIndex((p) => p.name === name);
  return slots.sort((a, b) => position(a.pool) - position(b.pool) || a.index - b.index);
}

/** The slots of `pools` in creation order: every pool's current nodes, then growth and surge. */
function creationOrder(pools: readonly RefPool[]): { pool: RefPool; index: number }[] {
  const order: { pool: RefPool; index: number }[] = [];
  for (const pool of pools) for (let i = 0; i < Number(pool.current); i++) order.push({ pool, index: i });
  for (const pool of pools)
    for (let i = Number(pool.current); i < pool.slots; i++) order.push({ pool, index: i });
  return order;
}

const sumOver = (pools: readonly RefPool[], count: (p: RefPool) => bigint) =>
  pools.reduce((sum, p) => sum + count(p), 0n);

function allSlots(planned: PlannedDesign) {
  return planned.model.slots({ offset: 0, limit: planned.model.slotCount() });
}

function lookupPlain(planned: PlannedDesign, address: IpAddress) {
  return planned.model.lookup(address).map((m) => ({
    role: m.role,
    range: m.range.toString(),
    pool: m.pool,
    nodeIndex: m.nodeIndex,
    nodeIp: m.nodeIp?.toString(),
  }));
}

/** Sorted by first address, each block ends before the next begins. */
function expectDisjoint(blocks: readonly Cidr[]): void {
  const sorted = [...blocks].sort((a, b) => (a.first.value < b.first.value ? -1 : 1));
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1] as Cidr;
    const current = sorted[i] as Cidr;
    expect(current.first.value, `${previous} and ${current}`).toBeGreaterThan(previous.last.value);
  }
}

// ---------------------------------------------------------------------------------------------
// kubenet and overlay: one node IP and one block per pod CIDR per slot

interface PodCidrShape {
  readonly plugin: 'kubenet' | 'azure-cni-overlay';
  readonly dualStack: boolean;
  readonly podPrefix: number;
  readonly podPosition: number;
  readonly v6Prefix: number;
  readonly v6Position: number;
  readonly nodePrefix: number;
  readonly pools: PoolShape[];
  readonly salt: number;
}

const podCidrShape: fc.Arbitrary<PodCidrShape> = fc.record({
  plugin: fc.constantFrom('kubenet' as const, 'azure-cni-overlay' as const),
  dualStack: fc.boolean(),
  podPrefix: fc.integer({ min: 14, max: 24 }),
  podPosition: fc.nat(),
  v6Prefix: fc.integer({ min: 72, max: 80 }),
  v6Position: fc.nat(),
  nodePrefix: fc.integer({ min: 22, max: 29 }),
  pools: poolShapes,
  salt: fc.nat(),
});

const RFC6598 = numberOf('100.64.0.0');
const V6_BASE = numberOf('fd12:3456:789a::');

interface PodCidrCase {
  readonly input: PlanInput;
  readonly pools: RefPool[];
  readonly node: ReturnType<typeof baseOf>;
  /** IPv4 first; the IPv6 one with dual-stack. */
  readonly podCidrs: ReturnType<typeof baseOf>[];
  readonly perNode: bigint[];
}

/** A pod CIDR at an aligned place in 100.64.0.0/10 (and a /72-/80 in fd12:3456:789a::/64). */
function podCidrCase(shape: PodCidrShape): PodCidrCase {
  const v4 = RFC6598 + BigInt(shape.podPosition % 2 ** (shape.podPrefix - 10)) * pow2(32 - shape.podPrefix);
  const v6 = V6_BASE + BigInt(shape.v6Position % 2 ** (shape.v6Prefix - 64)) * pow2(128 - shape.v6Prefix);
  const podCidr = cidrText(4, v4, shape.podPrefix);
  const dualStack = shape.dualStack && shape.plugin === 'azure-cni-overlay';
  const nodeSubnet = `10.240.0.0/${shape.nodePrefix}`;
  const nodePools = poolInputs(shape.pools);
  const network: PlanInput['network'] = dualStack
    ? {
        plugin: shape.plugin,
        nodeSubnet,
        ipFamilies: ['ipv4', 'ipv6'],
        podCidrs: [podCidr, cidrText(6, v6, shape.v6Prefix)],
      }
    : { plugin: shape.plugin, nodeSubnet, podCidr };
  const podCidrs = (network.podCidrs ?? [podCidr]).map(baseOf);
  return {
    input: { name: 'prop', network, nodePools },
    pools: refPools(nodePools),
    node: baseOf(nodeSubnet),
    podCidrs,
    perNode: podCidrs.map((c) => pow2(c.family === 4 ? 8 : 48)),
  };
}

interface RefPodCidrSlot {
  readonly pool: string;
  readonly index: number;
  readonly slot: number;
  readonly nodeIp: bigint | null;
  /** First address of the slot's block in each pod CIDR, null past its end. */
  readonly blocks: (bigint | null)[];
  readonly fits: boolean;
}

function refPodCidrSlots(c: PodCidrCase): RefPodCidrSlot[] {
  const slots = creationOrder(c.pools).map(({ pool, index }, slot) => {
    const k = BigInt(slot);
    // Azure keeps 4 leading addresses and the last: node k is base + 4 + k while it fits.
    const nodeIp = k < c.node.size - 5n ? c.node.base + 4n + k : null;
    // A node without its IP is never created, and a node gets a block of every family or none:
    // the controller gives blocks to the first slots the smallest pod CIDR holds.
    const held = c.podCidrs.map((p, f) => p.size / (c.perNode[f] as bigint));
    const nodes = held.reduce((min, n) => (n < min ? n : min));
    const blocks = c.podCidrs.map((p, f) =>
      nodeIp !== null && k < nodes ? p.base + k * (c.perNode[f] as bigint) : null,
    );
    return {
      pool: pool.name,
      index,
      slot,
      nodeIp,
      blocks,
      fits: nodeIp !== null && !blocks.includes(null),
    };
  });
  return inPlanOrder(slots, c.pools);
}

describe('kubenet and overlay properties', () => {
  it('generates only designs the planner accepts', () => {
    fc.assert(
      fc.property(podCidrShape, (shape) => {
        expect(() => planDesign(podCidrCase(shape).input)).not.toThrow();
      }),
      RUNS,
    );
  });

  it('places each slot where the reference does: node IP .4 + k, block k of each pod CIDR', () => {
    fc.assert(
      fc.property(podCidrShape, (shape) => {
        const c = podCidrCase(shape);
        const planned = planDesign(c.input);
        const expected = refPodCidrSlots(c).map((r) => {
          const text = r.blocks.map((b, f) =>
            b === null
              ? null
              : cidrText(c.podCidrs[f]?.family ?? 4, b, c.podCidrs[f]?.family === 4 ? 24 : 80),
          );
          return {
            pool: r.pool,
            index: r.index,
            fits: r.fits,
            nodeIp: r.nodeIp === null ? null : addressOf(4, r.nodeIp).toString(),
            podCidr: text[0],
            // The list of a slot that does not fit is checked in dual-stack.test.ts.
            ...(text.length > 1 && r.fits ? { podCidrs: text } : {}),
          };
        });
        const actual = allSlots(planned).map((s) => ({
          pool: s.pool,
          index: s.index,
          fits: s.fits,
          nodeIp: s.nodeIp?.toString() ?? null,
          podCidr: s.podCidr?.toString() ?? null,
          ...(s.podCidrs === undefined || !s.fits ? {} : { podCidrs: s.podCidrs.map(String) }),
        }));
        expect(actual).toEqual(expected);
      }),
      RUNS,
    );
  });

  it('keeps every block of a fitting slot inside its pod CIDR, the right size, and disjoint from the others', () => {
    fc.assert(
      fc.property(podCidrShape, (shape) => {
        const c = podCidrCase(shape);
        const planned = planDesign(c.input);
        const byFamily = new Map<IpFamily, Cidr[]>([
          [4, []],
          [6, []],
        ]);
        for (const slot of allSlots(planned).filter((s) => s.fits)) {
          const blocks = slot.podCidrs ?? (slot.podCidr ? [slot.podCidr] : []);
          expect(blocks).toHaveLength(c.podCidrs.length);
          for (const block of blocks) {
            // A fitting slot has every block.
            if (block === null) throw new Error(`slot ${slot.pool}[${slot.index}] fits without a block`);
            const range = c.podCidrs.find((p) => p.family === block.family);
            expect(range, `${block} has a pod CIDR of its family`).toBeDefined();
            const podCidr = Cidr.parse(cidrText(block.family, range?.base ?? 0n, range?.prefix ?? 0));
            expect(block.prefixLength).toBe(block.family === 4 ? 24 : 80);
            expect(podCidr.covers(block), `${block} in ${podCidr}`).toBe(true);
            byFamily.get(block.family)?.push(block);
          }
        }
        for (const blocks of byFamily.values()) expectDisjoint(blocks);
      }),
      RUNS,
    );
  });

  it('looks up sampled pod addresses of every slot to its node, or unassigned where the slot does not fit', () => {
    fc.assert(
      fc.property(podCidrShape, (shape) => {
        const c = podCidrCase(shape);
        const planned = planDesign(c.input);
        const slots = refPodCidrSlots(c);
        c.podCidrs.forEach((range, f) => {
          const per = c.perNode[f] as bigint;
          const rangeText = cidrText(range.family, range.base, range.prefix);
          for (const slot of slots) {
            const block = slot.blocks[f];
            if (block === null || block === undefined) continue;
            const offset = (BigInt(shape.salt) * 7919n + BigInt(slot.slot)) % per;
            for (const n of [block, block + offset, block + per - 1n]) {
              const expected = slot.fits
                ? {
                    role: 'pod',
                    range: rangeText,
                    pool: slot.pool,
                    nodeIndex: slot.index,
                    nodeIp: addressOf(4, slot.nodeIp as bigint).toString(),
                  }
                : { role: 'unassigned', range: rangeText };
              expect(
                lookupPlain(planned, addressOf(range.family, n)),
                `${addressOf(range.family, n)}`,
              ).toEqual([{ pool: undefined, nodeIndex: undefined, nodeIp: undefined, ...expected }]);
            }
          }
          // Past the last slot's block, while still inside the pod CIDR: no node.
          const next = BigInt(slots.length) * per;
          if (next < range.size) {
            expect(lookupPlain(planned, addressOf(range.family, range.base + next))).toEqual([
              {
                role: 'unassigned',
                range: rangeText,
                pool: undefined,
                nodeIndex: undefined,
                nodeIp: undefined,
              },
            ]);
          }
        });
      }),
      RUNS,
    );
  });

  it('looks up each fitting node IP to its slot, and the node IP of a slot without blocks to none', () => {
    fc.assert(
      fc.property(podCidrShape, (shape) => {
        const c = podCidrCase(shape);
        const planned = planDesign(c.input);
        for (const slot of refPodCidrSlots(c)) {
          if (slot.nodeIp === null) continue;
          const nodeIp = addressOf(4, slot.nodeIp).toString();
          const range = cidrText(4, c.node.base, c.node.prefix);
          // A node that would have no pod CIDR block is never created: its address is no node's.
          if (!slot.fits) {
            expect(lookupPlain(planned, addressOf(4, slot.nodeIp))).toEqual([{ role: 'unassigned', range }]);
            continue;
          }
          expect(lookupPlain(planned, addressOf(4, slot.nodeIp))).toEqual([
            {
              role: 'node',
              range: cidrText(4, c.node.base, c.node.prefix),
              pool: slot.pool,
              nodeIndex: slot.index,
              nodeIp,
            },
          ]);
        }
      }),
      RUNS,
    );
  });

  it('reports pod CIDR capacity by the formula: whole range usable, (max + surge) x block, 2^(24-p) slots', () => {
    fc.assert(
      fc.property(podCidrShape, (shape) => {
        const c = podCidrCase(shape);
        const planned = planDesign(c.input);
        const actual = planned.model.capacity().ranges.filter((r) => r.kind === 'pod-cidr');
        const expected = c.podCidrs.map((range, f) => {
          const per = c.perNode[f] as bigint;
          const perNodePrefix = range.family === 4 ? 24 : 80;
          const during = sumOver(c.pools, (p) => BigInt(p.slots) * per);
          let bits = 0;
          while (2 ** bits < c.pools.reduce((sum, p) => sum + p.slots, 0)) bits++;
          return {
            kind: 'pod-cidr',
            cidr: cidrText(range.family, range.base, range.prefix),
            total: range.size,
            azureReserved: 0n,
            usable: range.size,
            required: {
              current: sumOver(c.pools, (p) => p.current * per),
              atMaxCount: sumOver(c.pools, (p) => p.atMax * per),
              duringUpgrade: during,
            },
            free: range.size - during,
            utilization: refUtilization(during, range.size),
            nodeSlots: range.size / per,
            verdict: refVerdict(during, range.size),
            recommendedPrefixLength: Math.max(perNodePrefix - bits, 0),
          };
        });
        expect(actual.map(({ explain: _explain, ...r }) => ({ ...r, cidr: r.cidr.toString() }))).toEqual(
          expected,
        );
        expect(planned.model.capacity().recommendation.podCidrPrefixLength).toBe(
          expected[0]?.recommendedPrefixLength,
        );
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Azure CNI pod subnet: static /28 blocks and dynamic batches

interface PodSubnetShape {
  readonly prefix: number;
  readonly position: number;
  readonly pools: PoolShape[];
  /** Per pool: whether it brings a pod subnet of its own, and its prefix. */
  readonly own: (number | undefined)[];
  readonly salt: number;
}

const podSubnetShape: fc.Arbitrary<PodSubnetShape> = fc.record({
  prefix: fc.integer({ min: 18, max: 27 }),
  position: fc.nat(),
  pools: poolShapes,
  own: fc.array(fc.option(fc.integer({ min: 20, max: 28 }), { nil: undefined, freq: 3 }), {
    minLength: 3,
    maxLength: 3,
  }),
  salt: fc.nat(),
});

interface PodSubnetCase {
  readonly input: PlanInput;
  readonly pools: RefPool[];
  /** Pod subnets in first-use order with the pools that use them. */
  readonly groups: { text: string; range: ReturnType<typeof baseOf>; pools: RefPool[] }[];
}

/** Cluster pod subnet inside 10.241.0.0/16; pool i's own in 10.(242 + i).0.0/16. Nodes in 10.240.0.0/20. */
function podSubnetCase(shape: PodSubnetShape, allocation: 'static-block' | 'dynamic'): PodSubnetCase {
  const aligned = (octet: number, prefix: number, position: number) =>
    cidrText(
      4,
      numberOf(`10.${octet}.0.0`) + BigInt(position % 2 ** (prefix - 16)) * pow2(32 - prefix),
      prefix,
    );
  const podSubnet = aligned(241, shape.prefix, shape.position);
  const nodePools = poolInputs(shape.pools).map((pool, i) => {
    const own = shape.own[i];
    return own === undefined ? pool : { ...pool, podSubnet: aligned(242 + i, own, shape.salt + i) };
  });
  const pools = refPools(nodePools);
  const groups: PodSubnetCase['groups'] = [];
  nodePools.forEach((p, i) => {
    const text = p.podSubnet ?? podSubnet;
    const group = groups.find((g) => g.text === text);
    const pool = pools[i] as RefPool;
    if (group === undefined) groups.push({ text, range: baseOf(text), pools: [pool] });
    else group.pools.push(pool);
  });
  return {
    input: {
      name: 'prop',
      network: {
        plugin: 'azure-cni-pod-subnet',
        podIpAllocation: allocation,
        nodeSubnet: '10.240.0.0/20',
        podSubnet,
      },
      nodePools,
    },
    pools,
    groups,
  };
}

const BLOCK = 16n;
const blocksPerNode = (maxPods: number) => ceilDiv(BigInt(maxPods) + 1n, BLOCK);

interface RefStaticSlot {
  readonly pool: string;
  readonly index: number;
  readonly subnet: string;
  /** Index of the slot's first /28 in its pod subnet, and how many it takes. */
  readonly firstBlock: bigint;
  readonly count: bigint;
  readonly fits: boolean;
  readonly nodeIp: bigint;
}

/** In creation order within each pod subnet; node IPs in creation order of the whole cluster. */
function refStaticSlots(c: PodSubnetCase): RefStaticSlot[] {
  const nodeBase = numberOf('10.240.0.0');
  const clusterOrder = creationOrder(c.pools);
  const ordinal = (pool: RefPool, index: number) =>
    clusterOrder.findIndex((s) => s.pool === pool && s.index === index);
  const bySubnet = c.groups.flatMap((group) => {
    const lastAssignable = group.range.size / BLOCK - 2n; // blocks 1 .. size/16 - 2
    let next = 1n;
    return creationOrder(group.pools).map(({ pool, index }) => {
      const count = blocksPerNode(pool.maxPods);
      const firstBlock = next;
      // A slot whose blocks do not fit takes none: the next node created takes the next free.
      const fits = firstBlock + count - 1n <= lastAssignable;
      if (fits) next += count;
      return {
        pool: pool.name,
        index,
        subnet: group.text,
        firstBlock,
        count,
        fits,
        nodeIp: nodeBase + 4n + BigInt(ordinal(pool, index)),
      };
    });
  });
  return inPlanOrder(bySubnet, c.pools);
}

describe('static block properties', () => {
  it('generates only designs the planner accepts', () => {
    fc.assert(
      fc.property(podSubnetShape, (shape) => {
        expect(() => planDesign(podSubnetCase(shape, 'static-block').input)).not.toThrow();
      }),
      RUNS,
    );
  });

  it('gives each slot the reference blocks: ceil((maxPods + 1) / 16) /28s in slot order from block 1', () => {
    fc.assert(
      fc.property(podSubnetShape, (shape) => {
        const c = podSubnetCase(shape, 'static-block');
        const planned = planDesign(c.input);
        const expected = refStaticSlots(c).map((r) => {
          const base = baseOf(r.subnet).base;
          return {
            pool: r.pool,
            index: r.index,
            fits: r.fits,
            nodeIp: addressOf(4, r.nodeIp).toString(),
            podBlocks: r.fits
              ? Array.from({ length: Number(r.count) }, (_, i) =>
                  cidrText(4, base + (r.firstBlock + BigInt(i)) * BLOCK, 28),
                )
              : null,
          };
        });
        const actual = allSlots(planned).map((s) => ({
          pool: s.pool,
          index: s.index,
          fits: s.fits,
          nodeIp: s.nodeIp?.toString() ?? null,
          podBlocks: s.podBlocks === null || s.podBlocks === undefined ? null : s.podBlocks.map(String),
        }));
        expect(actual).toEqual(expected);
      }),
      RUNS,
    );
  });

  it('keeps blocks disjoint, inside their pod subnet, and never in its first or last /28', () => {
    fc.assert(
      fc.property(podSubnetShape, (shape) => {
        const c = podSubnetCase(shape, 'static-block');
        const planned = planDesign(c.input);
        const blocks: Cidr[] = [];
        for (const slot of allSlots(planned)) {
          for (const block of slot.podBlocks ?? []) {
            const group = c.groups.find((g) => Cidr.parse(g.text).covers(block));
            expect(group, `${block} in a pod subnet`).toBeDefined();
            if (group === undefined) continue;
            const subnet = Cidr.parse(group.text);
            expect(block.prefixLength).toBe(28);
            expect(block.equals(subnet.subnet(28, 0))).toBe(false);
            expect(block.equals(subnet.subnet(28, group.range.size / BLOCK - 1n))).toBe(false);
            expect(block.contains(subnet.first)).toBe(false);
            expect(block.contains(subnet.last)).toBe(false);
            blocks.push(block);
          }
        }
        expectDisjoint(blocks);
      }),
      RUNS,
    );
  });

  it('looks up sampled pod addresses to their node; Azure reserved and unassigned elsewhere', () => {
    fc.assert(
      fc.property(podSubnetShape, (shape) => {
        const c = podSubnetCase(shape, 'static-block');
        const planned = planDesign(c.input);
        const slots = refStaticSlots(c);
        for (const group of c.groups) {
          const { base, size } = group.range;
          const range = group.text;
          const mine = slots.filter((s) => s.subnet === group.text && s.fits);
          // Past the last block handed out: Azure's last address, or nobody's.
          const handedOut = mine.reduce(
            (end, s) => (s.firstBlock + s.count > end ? s.firstBlock + s.count : end),
            1n,
          );
          const after = base + handedOut * BLOCK;
          if (after < base + size) {
            expect(lookupPlain(planned, addressOf(4, after))[0]?.role).toBe(
              after === base + size - 1n ? 'azure-reserved' : 'unassigned',
            );
          }
          for (const slot of mine) {
            const start = base + slot.firstBlock * BLOCK;
            const width = slot.count * BLOCK;
            for (const n of [start, start + (BigInt(shape.salt) % width), start + width - 1n]) {
              expect(lookupPlain(planned, addressOf(4, n)), `${addressOf(4, n)}`).toEqual([
                {
                  role: 'pod',
                  range,
                  pool: slot.pool,
                  nodeIndex: slot.index,
                  nodeIp: addressOf(4, slot.nodeIp).toString(),
                },
              ]);
            }
          }
          // The first and last /28 are nobody's: Azure's five addresses, the rest unassigned.
          for (const offset of [0n, 3n, 4n, 15n, size - 16n, size - 2n, size - 1n]) {
            if (offset < 0n) continue;
            const role = offset < 4n || offset === size - 1n ? 'azure-reserved' : 'unassigned';
            expect(
              lookupPlain(planned, addressOf(4, base + offset)),
              `${addressOf(4, base + offset)}`,
            ).toEqual([{ role, range, pool: undefined, nodeIndex: undefined, nodeIp: undefined }]);
          }
        }
      }),
      RUNS,
    );
  });

  it('reports capacity by the formula: usable (size / 16 - 2) x 16, blocks x 16 per node', () => {
    fc.assert(
      fc.property(podSubnetShape, (shape) => {
        const c = podSubnetCase(shape, 'static-block');
        const planned = planDesign(c.input);
        const expected = c.groups.map((group) => {
          const assignable = group.range.size / BLOCK > 2n ? group.range.size / BLOCK - 2n : 0n;
          const usable = assignable * BLOCK;
          const per = (p: RefPool) => blocksPerNode(p.maxPods) * BLOCK;
          const during = sumOver(group.pools, (p) => BigInt(p.slots) * per(p));
          const widest = group.pools.reduce(
            (max, p) => (blocksPerNode(p.maxPods) > max ? blocksPerNode(p.maxPods) : max),
            1n,
          );
          // The smallest pod subnet (down to /12) whose verdict for this requirement is not exhausted.
          const usableAt = (prefix: number) => {
            const blocks = pow2(32 - prefix) / BLOCK;
            return blocks > 2n ? (blocks - 2n) * BLOCK : 0n;
          };
          let recommended: number | null = null;
          for (let prefix = 29; prefix >= 12 && recommended === null; prefix--)
            if (refVerdict(during, usableAt(prefix)) !== 'exhausted') recommended = prefix;
          return {
            kind: 'pod-subnet',
            cidr: group.text,
            total: group.range.size,
            azureReserved: 5n,
            usable,
            required: {
              current: sumOver(group.pools, (p) => p.current * per(p)),
              atMaxCount: sumOver(group.pools, (p) => p.atMax * per(p)),
              duringUpgrade: during,
            },
            free: usable - during,
            utilization: refUtilization(during, usable),
            nodeSlots: assignable / widest,
            verdict: refVerdict(during, usable),
            recommendedPrefixLength: recommended,
          };
        });
        const actual = planned.model
          .capacity()
          .ranges.filter((r) => r.kind === 'pod-subnet')
          .map(({ explain: _e, ...r }) => ({ ...r, cidr: r.cidr.toString() }));
        expect(actual).toEqual(expected);
      }),
      RUNS,
    );
  });
});

describe('dynamic allocation properties', () => {
  it('reports capacity by the formula: at most 16 x ceil(maxPods / 16), at least 16 per node', () => {
    fc.assert(
      fc.property(podSubnetShape, (shape) => {
        const c = podSubnetCase(shape, 'dynamic');
        const planned = planDesign(c.input);
        const expected = c.groups.map((group) => {
          const usable = group.range.size - 5n;
          const most = (p: RefPool) => ceilDiv(BigInt(p.maxPods), BLOCK) * BLOCK;
          const during = sumOver(group.pools, (p) => BigInt(p.slots) * most(p));
          const widest = group.pools.reduce((max, p) => (most(p) > max ? most(p) : max), BLOCK);
          let recommended: number | null = null;
          for (let prefix = 29; prefix >= 2; prefix--) {
            if (pow2(32 - prefix) - 5n >= during) {
              recommended = prefix;
              break;
            }
          }
          return {
            kind: 'pod-subnet',
            cidr: group.text,
            total: group.range.size,
            azureReserved: 5n,
            usable,
            required: {
              current: sumOver(group.pools, (p) => p.current * most(p)),
              atMaxCount: sumOver(group.pools, (p) => p.atMax * most(p)),
              duringUpgrade: during,
            },
            requiredAtLeast: {
              current: sumOver(group.pools, (p) => p.current * BLOCK),
              atMaxCount: sumOver(group.pools, (p) => p.atMax * BLOCK),
              duringUpgrade: sumOver(group.pools, (p) => BigInt(p.slots) * BLOCK),
            },
            free: usable - during,
            utilization: refUtilization(during, usable),
            nodeSlots: usable / widest,
            verdict: refVerdict(during, usable),
            recommendedPrefixLength: recommended,
          };
        });
        const actual = planned.model
          .capacity()
          .ranges.filter((r) => r.kind === 'pod-subnet')
          .map(({ explain: _e, ...r }) => ({ ...r, cidr: r.cidr.toString() }));
        expect(actual).toEqual(expected);
      }),
      RUNS,
    );
  });

  it('names no node for any pod subnet address but Azure reserved ones, and no pod field on slots', () => {
    fc.assert(
      fc.property(podSubnetShape, (shape) => {
        const c = podSubnetCase(shape, 'dynamic');
        const planned = planDesign(c.input);
        for (const group of c.groups) {
          const { base, size } = group.range;
          for (const offset of [0n, 3n, 4n, BigInt(shape.salt) % size, size - 2n, size - 1n]) {
            const reserved = offset < 4n || offset === size - 1n;
            const [match, ...rest] = planned.model.lookup(addressOf(4, base + offset));
            expect(rest).toEqual([]);
            expect(match?.role).toBe(reserved ? 'azure-reserved' : 'pod');
            expect(match?.range.toString()).toBe(group.text);
            expect([match?.pool, match?.nodeIndex, match?.nodeIp]).toEqual([undefined, undefined, undefined]);
            expect(match?.note !== undefined).toBe(!reserved);
          }
        }
        for (const slot of allSlots(planned)) {
          expect([slot.podBlocks, slot.podCidr, slot.podRange]).toEqual([undefined, undefined, undefined]);
        }
      }),
      RUNS,
    );
  });
});
