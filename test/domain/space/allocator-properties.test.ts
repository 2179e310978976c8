/**
 * Property tests of the allocator against a deliberately slow and simple reference written here:
 * a small universe of 1,024 addresses held as arrays (which space CIDR owns each address, and
 * whether it is allocated), where a block fits when every one of its addresses is free and owned
 * by one space CIDR, and first fit tries aligned blocks from offset 0 upwards.
 *
 * Random sequences of allocations (by size and by exact CIDR) and releases run against both; after
 * every step the real decideAllocation, FreeSpace.blocks, countFitting, firstFit and largestBlock
 * must agree with the reference. Only Cidr and IpAddress are used to turn offsets into CIDRs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../src/domain/errors.js';
import { Cidr, IpAddress, type IpFamily } from '../../../src/domain/ip/index.js';
import {
  type AllocationRequest,
  decideAllocation,
  type Holder,
} from '../../../src/domain/space/allocation-request.js';
import { FreeSpace } from '../../../src/domain/space/free-space.js';

// ---------------------------------------------------------------------------------------------
// The universe: 1,024 addresses from a base, so that a space is one to three blocks inside it.

interface Universe {
  readonly name: string;
  readonly family: IpFamily;
  readonly base: bigint;
  /** Address width of the family. */
  readonly width: number;
  /** Prefix length of the whole universe (width - 10). */
  readonly top: number;
}

const UNIVERSE_SIZE = 1024;

const UNIVERSES: readonly Universe[] = [
  { name: 'IPv4 10.0.0.0/22', family: 4, base: IpAddress.parse('10.0.0.0').value, width: 32, top: 22 },
  { name: 'IPv6 fd00::/118', family: 6, base: IpAddress.parse('fd00::').value, width: 128, top: 118 },
];

/** A block as the reference sees it: an offset into the universe and a prefix length. */
interface Block {
  readonly start: number;
  readonly prefix: number;
}

function blockSize(u: Universe, prefix: number): number {
  return 2 ** (u.width - prefix);
}

function toCidr(u: Universe, block: Block): Cidr {
  return Cidr.containing(IpAddress.of(u.family, u.base + BigInt(block.start)), block.prefix);
}

function toBlock(u: Universe, cidr: Cidr): Block {
  return { start: Number(cidr.first.value - u.base), prefix: cidr.prefixLength };
}

// ---------------------------------------------------------------------------------------------
// The reference allocator

interface RefHolder {
  readonly id: string;
  readonly block: Block;
  readonly purpose: string;
}

type RefDecision =
  | { readonly kind: 'granted'; readonly block: Block }
  | { readonly kind: 'refused'; readonly code: string; readonly detail?: string };

class Reference {
  /** Index of the space CIDR each address belongs to, or -1 outside the space. */
  readonly owner = new Array<number>(UNIVERSE_SIZE).fill(-1);
  /** True for each allocated address. */
  readonly used = new Array<boolean>(UNIVERSE_SIZE).fill(false);
  readonly holders: RefHolder[] = [];
  readonly widest: number;

  constructor(
    readonly u: Universe,
    readonly space: readonly Block[],
  ) {
    space.forEach((b, i) => {
      for (let a = b.start; a < b.start + blockSize(u, b.prefix); a++) this.owner[a] = i;
    });
    this.widest = Math.min(...space.map((b) => b.prefix));
  }

  /** Every address of the block is in one space CIDR (so the block is inside it). */
  inOneSpaceCidr(block: Block): boolean {
    const size = blockSize(this.u, block.prefix);
    if (block.start + size > UNIVERSE_SIZE) return false;
    const owner = this.owner[block.start];
    if (owner === undefined || owner === -1) return false;
    for (let a = block.start; a < block.start + size; a++) if (this.owner[a] !== owner) return false;
    return true;
  }

  fits(block: Block): boolean {
    if (!this.inOneSpaceCidr(block)) return false;
    for (let a = block.start; a < block.start + blockSize(this.u, block.prefix); a++) {
      if (this.used[a]) return false;
    }
    return true;
  }

  /** Every aligned block of this prefix length in the universe, lowest first. */
  candidates(prefix: number): Block[] {
    const size = blockSize(this.u, prefix);
    const blocks: Block[] = [];
    for (let start = 0; start + size <= UNIVERSE_SIZE; start += size) blocks.push({ start, prefix });
    return blocks;
  }

  firstFit(prefix: number): Block | undefined {
    return this.candidates(prefix).find((b) => this.fits(b));
  }

  countFitting(prefix: number): number {
    return this.candidates(prefix).filter((b) => this.fits(b)).length;
  }

  /** The lowest free block of the shortest prefix that has any. */
  largest(): Block | undefined {
    for (let prefix = this.u.top; prefix <= this.u.width; prefix++) {
      const block = this.firstFit(prefix);
      if (block !== undefined) return block;
    }
    return undefined;
  }

  /** The free space as the fewest CIDRs: the maximal wholly free blocks of each space CIDR. */
  freeBlocks(): Block[] {
    const blocks: Block[] = [];
    const visit = (block: Block): void => {
      if (this.fits(block)) {
        blocks.push(block);
        return;
      }
      if (block.prefix === this.u.width) return;
      const half = blockSize(this.u, block.prefix + 1);
      visit({ start: block.start, prefix: block.prefix + 1 });
      visit({ start: block.start + half, prefix: block.prefix + 1 });
    };
    for (const b of this.space) visit(b);
    return blocks.sort((a, b) => a.start - b.start);
  }

  /** A size wider than every space CIDR simply never fits: exhaustion, like any other. */
  decideSize(prefix: number): RefDecision {
    if (prefix > this.u.width) return { kind: 'refused', code: 'PREFIX_LENGTH_INVALID' };
    const block = this.firstFit(prefix);
    if (block !== undefined) return { kind: 'granted', block };
    const largest = this.largest();
    const named =
      largest === undefined
        ? `none (its IPv${this.u.family} ranges are full)`
        : toCidr(this.u, largest).toString();
    return {
      kind: 'refused',
      code: 'SPACE_EXHAUSTED',
      detail: `no free /${prefix} is left; the largest free block is ${named}`,
    };
  }

  decideClaim(block: Block): RefDecision {
    if (!this.inOneSpaceCidr(block)) return { kind: 'refused', code: 'CIDR_OUTSIDE_SPACE' };
    const size = blockSize(this.u, block.prefix);
    const holder = this.holders.find((h) => {
      const hSize = blockSize(this.u, h.block.prefix);
      return h.block.start < block.start + size && block.start < h.block.start + hSize;
    });
    if (holder === undefined) return { kind: 'granted', block };
    const detail = `${toCidr(this.u, block)} overlaps ${toCidr(this.u, holder.block)}, allocated to "${holder.purpose}" (allocation ${holder.id})`;
    return { kind: 'refused', code: 'CIDR_TAKEN', detail };
  }

  hold(holder: RefHolder): void {
    this.mark(holder.block, true);
    this.holders.push(holder);
  }

  release(index: number): void {
    const [holder] = this.holders.splice(index, 1);
    if (holder !== undefined) this.mark(holder.block, false);
  }

  private mark(block: Block, used: boolean): void {
    for (let a = block.start; a < block.start + blockSize(this.u, block.prefix); a++) this.used[a] = used;
  }
}

// ---------------------------------------------------------------------------------------------
// Generated spaces and operations

interface BlockShape {
  readonly depth: number;
  readonly index: number;
}

/** A block `depth` levels below the universe (0-6) at an aligned position. */
const blockShape = fc.record({ depth: fc.integer({ min: 0, max: 6 }), index: fc.nat() });

function shapeToBlock(u: Universe, shape: BlockShape): Block {
  const prefix = u.top + shape.depth;
  return { start: (shape.index % 2 ** shape.depth) * blockSize(u, prefix), prefix };
}

/** One to four CIDRs inside the universe, later ones dropped when they overlap earlier ones. */
function spaceOf(u: Universe, shapes: readonly BlockShape[]): Block[] {
  const space: Block[] = [];
  for (const shape of shapes) {
    const b = shapeToBlock(u, shape);
    const overlaps = space.some(
      (s) => s.start < b.start + blockSize(u, b.prefix) && b.start < s.start + blockSize(u, s.prefix),
    );
    if (!overlaps) space.push(b);
  }
  return space;
}

type Operation =
  /** A size `depth` levels below the space's widest CIDR (above it when negative). */
  | { readonly kind: 'allocate'; readonly depth: number }
  | { readonly kind: 'claim'; readonly shape: BlockShape }
  | { readonly kind: 'release'; readonly pick: number };

/**
 * Mostly large blocks, so that spaces fill up and exhaustion is common; sometimes any size,
 * including wider than the space and longer than the family allows.
 */
const allocateDepth = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 4 }), weight: 4 },
  { arbitrary: fc.integer({ min: -2, max: 11 }), weight: 1 },
);

const operation: fc.Arbitrary<Operation> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('allocate' as const), depth: allocateDepth }), weight: 5 },
  {
    arbitrary: fc.record({
      kind: fc.constant('claim' as const),
      shape: fc.record({ depth: fc.integer({ min: 0, max: 10 }), index: fc.nat() }),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }), weight: 2 },
);

const scenario = fc.record({
  space: fc.array(blockShape, { minLength: 1, maxLength: 4 }),
  operations: fc.array(operation, { minLength: 1, maxLength: 50, size: 'max' }),
});

// ---------------------------------------------------------------------------------------------
// Running both

function decide(space: readonly Cidr[], holders: readonly Holder[], request: AllocationRequest) {
  try {
    return { kind: 'granted' as const, cidr: decideAllocation(space, holders, request) };
  } catch (error) {
    if (error instanceof DomainError) return { kind: 'refused' as const, error };
    throw error;
  }
}

/** The real decision must be exactly the reference's: the same block or the same refusal. */
function expectSameDecision(
  u: Universe,
  real: ReturnType<typeof decide>,
  expected: RefDecision,
): Cidr | undefined {
  if (expected.kind === 'granted') {
    expect(real.kind === 'granted' ? real.cidr.toString() : real.error.message).toBe(
      toCidr(u, expected.block).toString(),
    );
    return real.kind === 'granted' ? real.cidr : undefined;
  }
  expect(real.kind === 'refused' ? real.error.code : `granted ${real.cidr}`).toBe(expected.code);
  if (real.kind === 'refused' && expected.detail !== undefined)
    expect(real.error.message).toBe(expected.detail);
  return undefined;
}

function inside(space: readonly Cidr[], cidr: Cidr): boolean {
  return space.some((s) => s.covers(cidr));
}

/** (b) and (c): holders disjoint and inside; free blocks plus holders tile the space exactly. */
function expectTiling(u: Universe, ref: Reference, space: readonly Cidr[], holders: readonly Holder[]): void {
  const free = new FreeSpace(
    space,
    holders.map((h) => h.cidr),
  );
  const blocks = free.blocks(u.family);

  for (const h of holders) expect(inside(space, h.cidr), `${h.cidr} is inside the space`).toBe(true);
  for (const b of blocks) expect(inside(space, b), `free ${b} is inside the space`).toBe(true);

  const all = [...holders.map((h) => h.cidr), ...blocks].sort((a, b) =>
    a.first.value < b.first.value ? -1 : a.first.value > b.first.value ? 1 : 0,
  );
  for (let i = 1; i < all.length; i++) {
    const [previous, next] = [all[i - 1] as Cidr, all[i] as Cidr];
    expect(previous.last.value < next.first.value, `${previous} and ${next} do not overlap`).toBe(true);
  }
  const total = space.reduce((sum, c) => sum + c.size, 0n);
  expect(all.reduce((sum, c) => sum + c.size, 0n)).toBe(total);
  expect(free.freeAddresses(u.family)).toBe(blocks.reduce((sum, c) => sum + c.size, 0n));

  // The fewest CIDRs, lowest first: exactly the reference's maximal free blocks.
  expect(blocks.map(String)).toEqual(ref.freeBlocks().map((b) => toCidr(u, b).toString()));
  expect(free.blocks().map(String)).toEqual(blocks.map(String));
}

/** (d): countFitting, firstFit and largestBlock agree with the reference for every size. */
function expectCounts(u: Universe, ref: Reference, space: readonly Cidr[], holders: readonly Holder[]): void {
  const free = new FreeSpace(
    space,
    holders.map((h) => h.cidr),
  );
  for (let prefix = u.top - 2; prefix <= u.width; prefix++) {
    expect(free.countFitting(u.family, prefix), `count of /${prefix}`).toBe(BigInt(ref.countFitting(prefix)));
    const first = ref.firstFit(prefix);
    expect(free.firstFit(u.family, prefix)?.toString(), `first fit /${prefix}`).toBe(
      first === undefined ? undefined : toCidr(u, first).toString(),
    );
  }
  const largest = ref.largest();
  expect(free.largestBlock(u.family)?.toString()).toBe(
    largest === undefined ? undefined : toCidr(u, largest).toString(),
  );
}

function run(u: Universe, shapes: readonly BlockShape[], operations: readonly Operation[]): void {
  const spaceBlocks = spaceOf(u, shapes);
  const space = spaceBlocks.map((b) => toCidr(u, b));
  const ref = new Reference(u, spaceBlocks);
  const holders: Holder[] = [];
  let next = 0;

  const grant = (cidr: Cidr): void => {
    const holder = { id: `a${next}`, cidr, purpose: `purpose ${next}` };
    next++;
    holders.push(holder);
    ref.hold({ id: holder.id, block: toBlock(u, cidr), purpose: holder.purpose });
  };

  expectTiling(u, ref, space, holders);
  expectCounts(u, ref, space, holders);
  for (const op of operations) {
    if (op.kind === 'allocate') {
      const prefix = ref.widest + op.depth;
      const real = decide(space, holders, { kind: 'size', family: u.family, prefixLength: prefix });
      const granted = expectSameDecision(u, real, ref.decideSize(prefix));
      if (granted !== undefined) grant(granted);
    } else if (op.kind === 'claim') {
      const block = shapeToBlock(u, op.shape);
      const real = decide(space, holders, { kind: 'cidr', cidr: toCidr(u, block) });
      const granted = expectSameDecision(u, real, ref.decideClaim(block));
      if (granted !== undefined) grant(granted);
    } else if (holders.length > 0) {
      const index = op.pick % holders.length;
      holders.splice(index, 1);
      ref.release(index);
    }
    // (b) the holders never overlap one another.
    for (let i = 0; i < holders.length; i++) {
      for (let j = i + 1; j < holders.length; j++) {
        const [a, b] = [holders[i] as Holder, holders[j] as Holder];
        expect(a.cidr.overlaps(b.cidr), `${a.cidr} and ${b.cidr} overlap`).toBe(false);
      }
    }
    expectTiling(u, ref, space, holders);
    expectCounts(u, ref, space, holders);
  }
}

describe.each(UNIVERSES)('allocator against the reference: $name', (u) => {
  it('decides, tiles and counts exactly as the reference on random allocate/claim/release sequences', () => {
    fc.assert(
      fc.property(scenario, ({ space, operations }) => run(u, space, operations)),
      { numRuns: 100 },
    );
  });

  it('fills a single-CIDR space with /top+3 blocks in address order, then refuses, then reuses a release', () => {
    const space = [toCidr(u, { start: 0, prefix: u.top })];
    const holders: Holder[] = [];
    const prefix = u.top + 3;
    for (let i = 0; i < 8; i++) {
      const cidr = decideAllocation(space, holders, { kind: 'size', family: u.family, prefixLength: prefix });
      expect(cidr.toString()).toBe(toCidr(u, { start: i * 128, prefix }).toString());
      holders.push({ id: `a${i}`, cidr, purpose: 'p' });
    }
    expect(() =>
      decideAllocation(space, holders, { kind: 'size', family: u.family, prefixLength: u.width }),
    ).toThrow(
      `no free /${u.width} is left; the largest free block is none (its IPv${u.family} ranges are full)`,
    );
    holders.splice(5, 1);
    expect(
      decideAllocation(space, holders, { kind: 'size', family: u.family, prefixLength: u.width }).toString(),
    ).toBe(toCidr(u, { start: 5 * 128, prefix: u.width }).toString());
  });
});
