/**
 * Property tests of the Azure CNI node-subnet planner against a deliberately simple reference
 * written here on plain numbers: offsets from each subnet's base, blocks of 1 + maxPods.
 * Only IpAddress/Cidr are used from src, to turn numbers into addresses and back.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NodePoolInput, PlanInput } from '../../src/domain/design/spec.js';
import { Cidr, IpAddress } from '../../src/domain/ip/index.js';
import { type PlannedDesign, planDesign } from '../../src/domain/plan/planner.js';

// ---------------------------------------------------------------------------------------------
// Generated designs

/** A subnet of length 16-26 at an aligned position inside 10.<octet>.0.0/16. */
interface SubnetShape {
  readonly prefix: number;
  readonly position: number;
}

interface PoolShape {
  readonly maxPods: number;
  readonly nodeCount: number;
  readonly extraMax: number | undefined;
  readonly maxSurge: number | string;
  readonly ownSubnet: SubnetShape | undefined;
}

interface DesignShape {
  readonly cluster: SubnetShape;
  readonly pools: PoolShape[];
  readonly internalLoadBalancers: number;
  readonly privateEndpoints: number;
  readonly privateCluster: boolean;
  /** Distinct second octets, one per subnet, never 0 (10.0.0.0/16 is the service CIDR). */
  readonly octets: number[];
  /** Raw numbers turned into sample offsets inside each subnet. */
  readonly samples: number[];
}

/** Prefix lengths /16-/26, biased towards the larger subnets so that ok, at-risk and exhausted all occur. */
const prefixLength = fc.oneof(
  { arbitrary: fc.integer({ min: 16, max: 21 }), weight: 2 },
  { arbitrary: fc.integer({ min: 22, max: 26 }), weight: 1 },
);
const subnetShape = fc.record({ prefix: prefixLength, position: fc.nat() });

const poolShape = fc.record({
  maxPods: fc.integer({ min: 10, max: 250 }),
  nodeCount: fc.integer({ min: 0, max: 40 }),
  extraMax: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
  maxSurge: fc.oneof(
    fc.integer({ min: 0, max: 3 }),
    fc.integer({ min: 0, max: 100 }).map((p) => `${p}%`),
  ),
  ownSubnet: fc.option(subnetShape, { nil: undefined, freq: 3 }),
});

const designShape: fc.Arbitrary<DesignShape> = fc.record({
  cluster: subnetShape,
  pools: fc.array(poolShape, { minLength: 1, maxLength: 4 }),
  internalLoadBalancers: fc.integer({ min: 0, max: 5 }),
  privateEndpoints: fc.integer({ min: 0, max: 5 }),
  privateCluster: fc.boolean(),
  octets: fc.uniqueArray(fc.integer({ min: 1, max: 255 }), { minLength: 5, maxLength: 5 }),
  samples: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
});

const TEN = 10 * 2 ** 24;

function subnetText(shape: SubnetShape, octet: number): { base: number; prefix: number } {
  const size = 2 ** (32 - shape.prefix);
  const index = shape.position % 2 ** (shape.prefix - 16);
  return { base: TEN + octet * 2 ** 16 + index * size, prefix: shape.prefix };
}

const addressOf = (n: number): IpAddress => IpAddress.of(4, BigInt(n));
const numberOf = (address: IpAddress): number => Number(address.value);
const cidrText = (base: number, prefix: number) => `${addressOf(base).toString()}/${prefix}`;

/** The 30-pod rule: a pool with maxPods under 30 needs enough nodes to hold 30 pods; pool 0 needs a node. */
function nodeCountFor(pool: PoolShape, index: number): number {
  const minimum = Math.max(index === 0 ? 1 : 0, pool.maxPods < 30 ? Math.ceil(30 / pool.maxPods) : 0);
  return Math.max(pool.nodeCount, minimum);
}

function toInput(shape: DesignShape): PlanInput {
  const cluster = subnetText(shape.cluster, shape.octets[0] ?? 1);
  return {
    name: 'prop',
    network: {
      plugin: 'azure-cni-node-subnet',
      nodeSubnet: cidrText(cluster.base, cluster.prefix),
      privateCluster: shape.privateCluster,
    },
    nodePools: shape.pools.map((pool, i): NodePoolInput => {
      const nodeCount = nodeCountFor(pool, i);
      const input: NodePoolInput = {
        name: `pool${i}`,
        nodeCount,
        maxPods: pool.maxPods,
        maxSurge: pool.maxSurge,
      };
      if (pool.extraMax !== undefined) input.maxCount = nodeCount + pool.extraMax;
      if (pool.ownSubnet !== undefined) {
        const own = subnetText(pool.ownSubnet, shape.octets[i + 1] ?? 1);
        input.nodeSubnet = cidrText(own.base, own.prefix);
      }
      return input;
    }),
    reservations: {
      internalLoadBalancers: shape.internalLoadBalancers,
      privateEndpoints: shape.privateEndpoints,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The reference model

interface RefBlock {
  readonly pool: string;
  readonly index: number;
  /** Absolute address numbers: node IP, and one past the last pod IP. */
  readonly start: number;
  readonly end: number;
  readonly fits: boolean;
}

interface RefSubnet {
  readonly text: string;
  readonly base: number;
  readonly prefix: number;
  readonly size: number;
  readonly blocks: RefBlock[];
  readonly reservationsStart: number;
  readonly lbs: number;
  readonly reserved: number;
  readonly current: number;
  readonly atMax: number;
  readonly during: number;
  readonly maxPerNode: number;
}

interface RefPool {
  readonly name: string;
  readonly subnet: string;
  readonly perNode: number;
  readonly current: number;
  readonly atMax: number;
  readonly slots: number;
}

function refPools(input: PlanInput): RefPool[] {
  return input.nodePools.map((p) => {
    const atMax = Math.max(p.nodeCount, p.maxCount ?? p.nodeCount);
    const surgeSpec = p.maxSurge ?? '10%';
    // Rounded up, and never more than the nodes an upgrade has to upgrade.
    const asked =
      typeof surgeSpec === 'number'
        ? surgeSpec
        : Math.floor((atMax * Number(surgeSpec.slice(0, -1)) + 99) / 100);
    const surge = Math.min(asked, atMax);
    return {
      name: p.name,
      subnet: p.nodeSubnet ?? input.network?.nodeSubnet ?? '',
      perNode: 1 + (p.maxPods ?? 30),
      current: p.nodeCount,
      atMax,
      slots: atMax + surge,
    };
  });
}

function referenceLayout(input: PlanInput): RefSubnet[] {
  const pools = refPools(input);
  const order = [...new Set(pools.map((p) => p.subnet))];
  return order.map((text, subnetIndex) => {
    const [address = '', length = '0'] = text.split('/');
    const base = numberOf(IpAddress.parse(address));
    const prefix = Number(length);
    const size = 2 ** (32 - prefix);
    const usableEnd = base + size - 1;
    const mine = pools.filter((p) => p.subnet === text);
    // Reservations belong to the first pool's subnet, which is the first in use order.
    const hosts = subnetIndex === 0;
    const lbs = hosts ? (input.reservations?.internalLoadBalancers ?? 0) : 0;
    const reserved = hosts
      ? lbs + (input.reservations?.privateEndpoints ?? 0) + (input.network?.privateCluster ? 1 : 0)
      : 0;
    // Creation order: every pool's current nodes, the reservations, then growth and surge.
    const blocks: RefBlock[] = [];
    let next = base + 4;
    const place = (pool: RefPool, from: number, to: number) => {
      for (let index = from; index < to; index++) {
        // A node whose addresses do not fit is never created: the next one takes them.
        const fits = next + pool.perNode <= usableEnd;
        blocks.push({ pool: pool.name, index, start: next, end: next + pool.perNode, fits });
        if (fits) next += pool.perNode;
      }
    };
    for (const pool of mine) place(pool, 0, pool.current);
    const reservationsStart = next;
    next += reserved;
    for (const pool of mine) place(pool, pool.current, pool.slots);
    const total = (count: (p: RefPool) => number) =>
      mine.reduce((sum, p) => sum + count(p) * p.perNode, reserved);
    return {
      text,
      base,
      prefix,
      size,
      blocks,
      reservationsStart,
      lbs,
      reserved,
      current: total((p) => p.current),
      atMax: total((p) => p.atMax),
      during: total((p) => p.slots),
      maxPerNode: Math.max(...mine.map((p) => p.perNode)),
    };
  });
}

/** The role of an address of `subnet` by the layout rules of aks-networking.md section 2. */
function referenceRole(subnet: RefSubnet, n: number): { role: string; block?: RefBlock } {
  const offset = n - subnet.base;
  if (offset < 4 || offset >= subnet.size - 1) return { role: 'azure-reserved' };
  const block = subnet.blocks.find((b) => b.fits && b.start <= n && n < b.end);
  if (block !== undefined) return { role: n === block.start ? 'node' : 'pod', block };
  const position = n - subnet.reservationsStart;
  if (position >= 0 && position < subnet.reserved) {
    return { role: position < subnet.lbs ? 'load-balancer' : 'private-endpoint' };
  }
  return { role: 'unassigned' };
}

function referenceCapacity(subnet: RefSubnet) {
  const usable = subnet.size - 5;
  const room = usable - subnet.reserved;
  let recommended: number | null = null;
  for (let prefix = 29; prefix >= 2; prefix--) {
    if (2 ** (32 - prefix) - 5 >= subnet.during) {
      recommended = prefix;
      break;
    }
  }
  // Rounded to thousandths, but never across a verdict's line: 79.95% (ok) reads 0.799, not 0.8.
  const verdict = subnet.during > usable ? 'exhausted' : subnet.during * 5 >= usable * 4 ? 'at-risk' : 'ok';
  const rounded = Math.round((subnet.during * 1000) / usable) / 1000;
  const utilization =
    verdict === 'ok' && rounded >= 0.8 ? 0.799 : verdict === 'exhausted' && rounded <= 1 ? 1.001 : rounded;
  return {
    cidr: subnet.text,
    total: subnet.size,
    usable,
    required: { current: subnet.current, atMaxCount: subnet.atMax, duringUpgrade: subnet.during },
    free: usable - subnet.during,
    utilization,
    nodeSlots: room > 0 ? Math.floor(room / subnet.maxPerNode) : 0,
    verdict,
    recommendedPrefixLength: recommended,
  };
}

// ---------------------------------------------------------------------------------------------
// Helpers on the planner's answers

function planned(shape: DesignShape): { input: PlanInput; result: PlannedDesign; reference: RefSubnet[] } {
  const input = toInput(shape);
  return { input, result: planDesign(input), reference: referenceLayout(input) };
}

function lookupOne(result: PlannedDesign, n: number) {
  return result.model.lookup(addressOf(n)).map((m) => ({
    role: m.role,
    range: m.range.toString(),
    pool: m.pool,
    nodeIndex: m.nodeIndex,
    nodeIp: m.nodeIp === undefined ? undefined : numberOf(m.nodeIp),
  }));
}

const RUNS = { numRuns: 150 };

// ---------------------------------------------------------------------------------------------

describe('node-subnet layout properties', () => {
  it('generates only designs the planner accepts', () => {
    fc.assert(
      fc.property(designShape, (shape) => {
        expect(() => planDesign(toInput(shape))).not.toThrow();
      }),
      RUNS,
    );
  });

  it('places every slot where the reference does; fitting blocks stay inside the usable part and never overlap', () => {
    fc.assert(
      fc.property(designShape, (shape) => {
        const { result, reference } = planned(shape);
        const expected = reference.flatMap((s) => s.blocks.map((b) => ({ block: b, subnet: s })));
        const slots = result.model.slots({ offset: 0, limit: result.model.slotCount() });
        expect(slots).toHaveLength(expected.length);

        const fitting: { start: number; end: number }[] = [];
        for (const slot of slots) {
          const match = expected.find((e) => e.block.pool === slot.pool && e.block.index === slot.index);
          expect(match, `${slot.pool}#${slot.index}`).toBeDefined();
          if (match === undefined) continue;
          const { block, subnet } = match;
          expect(slot.fits).toBe(block.fits);
          if (!slot.fits) {
            expect(slot.nodeIp).toBeNull();
            continue;
          }
          const nodeIp = numberOf(slot.nodeIp as IpAddress);
          const lastPod = numberOf(slot.podRange?.last as IpAddress);
          expect(nodeIp).toBe(block.start);
          expect(numberOf(slot.podRange?.first as IpAddress)).toBe(nodeIp + 1);
          expect(lastPod).toBe(block.end - 1);
          expect(slot.podRange?.count).toBe(block.end - block.start - 1);
          // Inside the subnet, after the 4 leading reserved and before the trailing one.
          expect(nodeIp).toBeGreaterThanOrEqual(subnet.base + 4);
          expect(lastPod).toBeLessThanOrEqual(subnet.base + subnet.size - 2);
          fitting.push({ start: nodeIp, end: lastPod + 1 });
        }
        fitting.sort((a, b) => a.start - b.start);
        for (let i = 1; i < fitting.length; i++) {
          expect(fitting[i]?.start).toBeGreaterThanOrEqual(fitting[i - 1]?.end ?? 0);
        }
      }),
      RUNS,
    );
  });

  it('counts slots per pool as maximum + surge', () => {
    fc.assert(
      fc.property(designShape, (shape) => {
        const { input, result } = planned(shape);
        for (const pool of refPools(input)) expect(result.model.slotCount(pool.name)).toBe(pool.slots);
      }),
      RUNS,
    );
  });

  it('looks up sampled addresses of every fitting block to exactly its node and role', () => {
    fc.assert(
      fc.property(designShape, fc.nat(), (shape, salt) => {
        const { result, reference } = planned(shape);
        for (const subnet of reference) {
          for (const block of subnet.blocks.filter((b) => b.fits)) {
            const width = block.end - block.start;
            const middle = block.start + 1 + ((salt + block.index) % (width - 1));
            for (const n of [block.start, block.start + 1, middle, block.end - 1]) {
              expect(lookupOne(result, n)).toEqual([
                {
                  role: n === block.start ? 'node' : 'pod',
                  range: subnet.text,
                  pool: block.pool,
                  nodeIndex: block.index,
                  nodeIp: block.start,
                },
              ]);
            }
          }
        }
      }),
      RUNS,
    );
  });

  it('gives addresses outside every fitting block the reference role, never node or pod', () => {
    fc.assert(
      fc.property(designShape, (shape) => {
        const { result, reference } = planned(shape);
        for (const subnet of reference) {
          const last = subnet.size - 1;
          const offsets = [
            0,
            3,
            4,
            last - 1,
            last,
            subnet.reservationsStart - subnet.base,
            subnet.reservationsStart - subnet.base + subnet.lbs,
            subnet.reservationsStart - subnet.base + subnet.reserved,
            ...shape.samples.map((s) => s % subnet.size),
          ].filter((o) => o >= 0 && o < subnet.size);
          for (const offset of offsets) {
            const n = subnet.base + offset;
            const expected = referenceRole(subnet, n);
            const matches = lookupOne(result, n);
            if (expected.block === undefined) {
              expect(matches, `${addressOf(n)}`).toEqual([{ role: expected.role, range: subnet.text }]);
            } else {
              expect(matches.map((m) => [m.role, m.pool, m.nodeIndex])).toEqual([
                [expected.role, expected.block.pool, expected.block.index],
              ]);
            }
          }
          // Just outside the subnet: no node or pod of this subnet.
          for (const n of [subnet.base - 1, subnet.base + subnet.size]) {
            const inOther = reference.some((s) => s !== subnet && n >= s.base && n < s.base + s.size);
            if (inOther) continue;
            for (const match of lookupOne(result, n)) expect(['node', 'pod']).not.toContain(match.role);
          }
        }
      }),
      RUNS,
    );
  });

  it('reports the capacity of every node subnet as the reference formula does', () => {
    fc.assert(
      fc.property(designShape, (shape) => {
        const { input, result, reference } = planned(shape);
        const report = result.model.capacity();
        const subnets = report.ranges.filter((r) => r.kind === 'node-subnet');
        expect(subnets.map((r) => r.cidr.toString())).toEqual(reference.map((s) => s.text));
        subnets.forEach((range, i) => {
          const subnet = reference[i];
          if (subnet === undefined) return;
          expect({
            cidr: range.cidr.toString(),
            total: Number(range.total),
            usable: Number(range.usable),
            required: {
              current: Number(range.required.current),
              atMaxCount: Number(range.required.atMaxCount),
              duringUpgrade: Number(range.required.duringUpgrade),
            },
            free: Number(range.free),
            utilization: range.utilization,
            nodeSlots: Number(range.nodeSlots),
            verdict: range.verdict,
            recommendedPrefixLength: range.recommendedPrefixLength,
          }).toEqual(referenceCapacity(subnet));
        });
        const verdicts = reference.map((s) => referenceCapacity(s).verdict);
        const worst = verdicts.includes('exhausted')
          ? 'exhausted'
          : verdicts.includes('at-risk')
            ? 'at-risk'
            : 'ok';
        expect(report.verdict).toBe(worst);
        // The recommendation is the cluster's subnet's where a pool uses it, else the first pool's.
        const cluster = reference.find((s) => s.text === input.network?.nodeSubnet) ?? reference[0];
        expect(report.recommendation.nodeSubnetPrefixLength).toBe(
          cluster === undefined ? null : referenceCapacity(cluster).recommendedPrefixLength,
        );
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Text round trips

/** Dotted quad of a 32-bit number, written independently of src. */
function dottedQuad(n: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => ((n >> shift) & 0xffn).toString()).join('.');
}

/** Node's WHATWG URL parser serialises IPv6 hosts in RFC 5952 form: an independent oracle. */
function rfc5952(fullForm: string): string {
  return new URL(`http://[${fullForm}]/`).hostname.slice(1, -1);
}

const masked = (value: bigint, bits: number, prefix: number) =>
  (value >> BigInt(bits - prefix)) << BigInt(bits - prefix);

/** IPv6 values with many zero groups, so that "::" compression is exercised. */
const ipv6Value = fc
  .array(fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff })), {
    minLength: 8,
    maxLength: 8,
  })
  .map((groups) => groups.reduce((value, g) => (value << 16n) | BigInt(g), 0n));

describe('text round trips', () => {
  it('parse(format(x)) is the identity for random IPv4 CIDRs', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }),
        fc.integer({ min: 0, max: 32 }),
        (value, prefix) => {
          const network = masked(value, 32, prefix);
          const text = `${dottedQuad(network)}/${prefix}`;
          const parsed = Cidr.parse(text);
          expect(parsed.network.value).toBe(network);
          expect(parsed.prefixLength).toBe(prefix);
          expect(parsed.toString()).toBe(text);
          expect(Cidr.parse(parsed.toString()).equals(parsed)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('parse(format(x)) is the identity for random IPv6 CIDRs, and the format is RFC 5952', () => {
    fc.assert(
      fc.property(ipv6Value, fc.integer({ min: 0, max: 128 }), fc.boolean(), (value, prefix, upper) => {
        const network = masked(value, 128, prefix);
        // Any accepted spelling: all 8 groups, zero-padded, in either case.
        const groups = Array.from({ length: 8 }, (_, i) =>
          ((network >> BigInt((7 - i) * 16)) & 0xffffn).toString(16).padStart(4, '0'),
        );
        const full = upper ? groups.join(':').toUpperCase() : groups.join(':');
        const parsed = Cidr.parse(`${full}/${prefix}`);
        expect(parsed.network.value).toBe(network);
        expect(parsed.toString()).toBe(`${rfc5952(full.toLowerCase())}/${prefix}`);
        const again = Cidr.parse(parsed.toString());
        expect(again.equals(parsed)).toBe(true);
        expect(again.toString()).toBe(parsed.toString());
      }),
      { numRuns: 500 },
    );
  });

  it('a CIDR with host bits set is refused with the masked suggestion', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }),
        fc.integer({ min: 0, max: 31 }),
        (value, prefix) => {
          const network = masked(value, 32, prefix);
          fc.pre(network !== value);
          expect(() => Cidr.parse(`${dottedQuad(value)}/${prefix}`)).toThrow(
            `did you mean ${dottedQuad(network)}/${prefix}?`,
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
