/**
 * The SQLite store decides allocations over its indexed free blocks. Random spaces (IPv4, IPv6
 * and dual-stack, several CIDRs, two spaces side by side) take random sequences of size and
 * exact-CIDR allocations, releases, plans built on blocks and deleted again, and CIDRs added and
 * removed. Before every step the reference, decideAllocation over every current allocation,
 * says what must happen; the store must answer the same block or the same refusal (code and
 * message), and afterwards its stored free blocks must be exactly FreeSpace.blocks().
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import { Cidr, IpAddress, type IpFamily } from '../../src/domain/ip/index.js';
import { type AllocationRequest, decideAllocation } from '../../src/domain/space/allocation-request.js';
import { FreeSpace } from '../../src/domain/space/free-space.js';
import type { StoredAllocation } from '../../src/store/space-store.js';
import { migrate, readMigrations } from '../../src/store/sqlite/migrate.js';
import { MIGRATIONS_DIR } from '../../src/store/sqlite/open-sqlite.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { planWrite, TestClock } from './contract/fixtures.js';

/** 1,024 addresses of each family, so that spaces fill up and blocks merge often. */
const UNIVERSES = {
  4: { base: IpAddress.parse('10.0.0.0').value, width: 32, top: 22 },
  6: { base: IpAddress.parse('fd00::').value, width: 128, top: 118 },
} as const;

const family = fc.constantFrom<IpFamily>(4, 6);

/** A block `depth` levels below a universe, at an aligned position. */
const shape = (maxDepth: number) =>
  fc.record({ family, depth: fc.integer({ min: 0, max: maxDepth }), index: fc.nat() });
type Shape = { family: IpFamily; depth: number; index: number };

function toCidr({ family: f, depth, index }: Shape): Cidr {
  const u = UNIVERSES[f];
  const prefix = u.top + depth;
  const offset = BigInt(index % 2 ** depth) << BigInt(u.width - prefix);
  return Cidr.containing(IpAddress.of(f, u.base + offset), prefix);
}

/** Later shapes that overlap earlier ones are dropped; at least one CIDR is left. */
function spaceOf(shapes: readonly Shape[]): Cidr[] {
  const cidrs: Cidr[] = [];
  for (const c of shapes.map(toCidr)) if (!cidrs.some((s) => s.overlaps(c))) cidrs.push(c);
  return cidrs;
}

/** A family the space has (now and then any family), and a block inside one of its CIDRs. */
type Pick = { any: boolean; family: IpFamily; n: number };
const pick = fc.record({ any: fc.integer({ min: 0, max: 9 }).map((n) => n === 0), family, n: fc.nat() });

type Operation =
  | { kind: 'size'; target: number; pick: Pick; depth: number; avoid: Shape[] }
  | { kind: 'claim'; target: number; pick: Pick; shape: Shape }
  | { kind: 'plan'; target: number; pick: Pick; depth: number }
  | { kind: 'release'; target: number; pick: number }
  | { kind: 'drop-plan'; pick: number }
  | { kind: 'reshape'; target: number; shape: Shape };

const target = fc.integer({ min: 0, max: 1 });
/** Mostly blocks a few levels below the universe; sometimes wider or longer than a family allows. */
const depth = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 5 }), weight: 4 },
  { arbitrary: fc.integer({ min: -3, max: 11 }), weight: 1 },
);
const operation: fc.Arbitrary<Operation> = fc.oneof(
  {
    // Now and then ranges to stay clear of, as a plan's own service and pod CIDRs are.
    arbitrary: fc.record({
      kind: fc.constant('size' as const),
      target,
      pick,
      depth,
      avoid: fc.oneof(fc.constant<Shape[]>([]), fc.array(shape(8), { minLength: 1, maxLength: 3 })),
    }),
    weight: 6,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('claim' as const), target, pick, shape: shape(10) }),
    weight: 3,
  },
  { arbitrary: fc.record({ kind: fc.constant('plan' as const), target, pick, depth }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('release' as const), target, pick: fc.nat() }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('drop-plan' as const), pick: fc.nat() }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('reshape' as const), target, shape: shape(4) }), weight: 1 },
);

/** The family of one of the space's CIDRs, or now and then the family picked regardless. */
function familyOf(space: readonly Cidr[], p: Pick): IpFamily {
  return p.any ? p.family : (space[p.n % space.length]?.family ?? p.family);
}

/**
 * Mostly a block inside one of the space's CIDRs (free, taken or partly taken), now and then
 * any block of the universes (outside, or over several CIDRs).
 */
function claimed(space: readonly Cidr[], p: Pick, s: Shape): Cidr {
  const within = space[p.n % space.length];
  if (p.any || within === undefined) return toCidr(s);
  const depth = Math.min(s.depth, (within.family === 4 ? 32 : 128) - within.prefixLength);
  return within.subnet(within.prefixLength + depth, s.index % 2 ** depth);
}

const scenario = fc.record({
  spaces: fc.tuple(
    fc.array(shape(6), { minLength: 1, maxLength: 4 }),
    fc.array(shape(6), { minLength: 1, maxLength: 4 }),
  ),
  operations: fc.array(operation, { minLength: 1, maxLength: 40, size: 'max' }),
});

/** A fresh store over a migrated in-memory database, and a look at its free blocks. */
function openStore() {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, readMigrations(MIGRATIONS_DIR));
  const clock = new TestClock();
  clock.reset();
  const store = new SqliteStore(db, () => true, clock);
  const storedBlocks = (spaceId: string) =>
    db
      .prepare('SELECT cidr FROM space_free_blocks WHERE space_id = ? ORDER BY family, first_key')
      .pluck()
      .all(spaceId) as string[];
  return { store, storedBlocks };
}

type Outcome = { granted: string } | { refused: string; message: string };

async function outcomeOf(work: () => Cidr | Promise<Cidr>): Promise<Outcome> {
  try {
    return { granted: String(await work()) };
  } catch (error) {
    if (error instanceof DomainError) return { refused: error.code, message: error.message };
    throw error;
  }
}

async function run(spaceShapes: readonly Shape[][], operations: readonly Operation[]): Promise<void> {
  const { store, storedBlocks } = openStore();
  const spaces = store.spaces;
  const ids: string[] = [];
  for (const [i, shapes] of spaceShapes.entries()) {
    const cidrs = spaceOf(shapes);
    ids.push((await spaces.createSpace({ name: `s${i}`, description: null, cidrs, labels: {} })).id);
  }
  const plans: string[] = [];
  let planCount = 0;
  const idOf = (n: number) => ids[n % ids.length] as string;
  /** The space's allocations, lowest address first: the order the reference names a holder in. */
  const holders = async (spaceId: string): Promise<readonly StoredAllocation[]> =>
    (await spaces.allocations(spaceId, { limit: 100_000 })).items;

  /** The store's answer must be the reference's, over the allocations before the step. */
  const expectDecided = async (
    spaceId: string,
    request: AllocationRequest,
    work: () => Promise<Cidr>,
    /** What a refusal's message starts with: a plan's names the space it took the block from. */
    said = '',
  ) => {
    const space = await spaces.getSpace(spaceId);
    const held = await holders(spaceId);
    const expected = await outcomeOf(() => decideAllocation(space?.cidrs ?? [], held, request));
    if ('message' in expected) expected.message = `${said}${expected.message}`;
    expect(await outcomeOf(work)).toEqual(expected);
  };

  for (const op of operations) {
    const cidrsOf = async (spaceId: string) => (await spaces.getSpace(spaceId))?.cidrs ?? [];
    if (op.kind === 'size' || op.kind === 'plan') {
      const spaceId = idOf(op.target);
      const f = familyOf(await cidrsOf(spaceId), op.pick);
      const avoid = op.kind === 'size' ? op.avoid.map(toCidr) : [];
      const request: AllocationRequest = {
        kind: 'size',
        family: f,
        prefixLength: UNIVERSES[f].top + op.depth,
        ...(avoid.length > 0 ? { avoid } : {}),
      };
      if (op.kind === 'size') {
        await expectDecided(spaceId, request, async () => {
          return (await spaces.allocate(spaceId, request, { purpose: 'p' })).allocation.cidr;
        });
      } else {
        const n = planCount++;
        const name = `plan${n}`;
        await expectDecided(
          spaceId,
          request,
          async () => {
            const ask = { space: spaceId, path: 'network.nodeSubnet', request, purpose: name };
            // Each plan's own node subnet, far from the spaces, so plans never collide.
            const write = planWrite(name, `10.${200 + (n >> 8)}.${n & 255}.0/24`);
            const made = await store.createPlanFromSpaces([ask], () => ({ write }), 'commit');
            plans.push(made.plan?.id ?? '');
            return made.allocations[0]?.cidr as Cidr;
          },
          `space ${spaceId}: `,
        );
      }
    } else if (op.kind === 'claim') {
      const spaceId = idOf(op.target);
      const request: AllocationRequest = {
        kind: 'cidr',
        cidr: claimed(await cidrsOf(spaceId), op.pick, op.shape),
      };
      await expectDecided(spaceId, request, async () => {
        return (await spaces.allocate(spaceId, request, { purpose: 'c' })).allocation.cidr;
      });
    } else if (op.kind === 'release') {
      const held = await holders(idOf(op.target));
      const chosen = held[op.pick % Math.max(held.length, 1)];
      if (chosen !== undefined && chosen.planId === null) await spaces.release(idOf(op.target), chosen.id);
    } else if (op.kind === 'drop-plan') {
      const [planId] = plans.splice(op.pick % Math.max(plans.length, 1), 1);
      if (planId !== undefined) expect(await store.deletePlan(planId)).toBe(true);
    } else {
      const space = await spaces.getSpace(idOf(op.target));
      if (space === undefined) throw new Error('the space exists');
      const cidr = toCidr(op.shape);
      const kept = space.cidrs.filter((c) => !c.equals(cidr));
      const cidrs = kept.length < space.cidrs.length ? kept : [...space.cidrs, cidr];
      const allowed =
        cidrs.length > 0 &&
        cidrs.every((a, i) => cidrs.every((b, j) => i === j || !a.overlaps(b))) &&
        !(await holders(space.id)).some((h) => !cidrs.some((c) => c.covers(h.cidr)));
      if (allowed) await spaces.replaceSpace(space.id, space.revision, { ...space, cidrs });
    }
    for (const spaceId of ids) {
      const space = await spaces.getSpace(spaceId);
      const allocated = await spaces.allocatedCidrs(spaceId);
      expect(storedBlocks(spaceId)).toEqual(
        new FreeSpace(space?.cidrs ?? [], allocated).blocks().map(String),
      );
    }
  }
  await store.close();
}

describe('SQLite free blocks against the reference allocator', () => {
  it('decide as decideAllocation and stay FreeSpace.blocks() through random sequences', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, ({ spaces, operations }) => run(spaces, operations)),
      { numRuns: 150 },
    );
  });
});
