import { beforeEach, describe, expect, it } from 'vitest';
import { notFound } from '../../../src/domain/errors.js';
import { Cidr } from '../../../src/domain/ip/index.js';
import { IDEMPOTENCY_WINDOW_MS, type SpaceStore, type StoredSpace } from '../../../src/store/space-store.js';
import { type CurrentStore, exactly, rejection, size, spaceWrite, type TestClock } from './fixtures.js';

const key = (k: string, fingerprint = 'f1') => ({ purpose: 'p', idempotency: { key: k, fingerprint } });

/** Spaces, their allocations, and idempotent allocation. */
export function spaceContract(current: CurrentStore, clock: TestClock): void {
  describe('spaces', () => {
    let spaces: SpaceStore;
    beforeEach(() => {
      spaces = current().spaces;
    });

    it('creates a space at revision 1, reads it by id and by name, and refuses a second of the name', async () => {
      const created = await spaces.createSpace({
        ...spaceWrite('hub', '10.0.0.0/16'),
        labels: { env: 'prod' },
      });
      expect(created).toMatchObject({ name: 'hub', revision: 1, labels: { env: 'prod' } });
      expect(await spaces.getSpace(created.id)).toEqual(created);
      expect(await spaces.getSpace('hub')).toEqual(created);
      expect(await spaces.getSpace('nope')).toBeUndefined();
      expect((await rejection(spaces.createSpace(spaceWrite('hub', '10.1.0.0/16')))).code).toBe(
        'SPACE_NAME_TAKEN',
      );
    });

    it('lists spaces in creation order, by page, name and label', async () => {
      await spaces.createSpace({ ...spaceWrite('a', '10.0.0.0/16'), labels: { env: 'prod' } });
      await spaces.createSpace(spaceWrite('b', '10.1.0.0/16'));
      await spaces.createSpace({ ...spaceWrite('c', '10.2.0.0/16'), labels: { env: 'prod' } });
      const first = await spaces.listSpaces({ limit: 2 });
      expect(first.items.map((s) => s.name)).toEqual(['a', 'b']);
      const rest = await spaces.listSpaces({ limit: 2, cursor: first.nextCursor ?? '' });
      expect([rest.items.map((s) => s.name), rest.nextCursor]).toEqual([['c'], null]);
      const prod = await spaces.listSpaces({ limit: 10, labels: [{ key: 'env', value: 'prod' }] });
      expect(prod.items.map((s) => s.name)).toEqual(['a', 'c']);
      expect((await spaces.listSpaces({ limit: 10, name: 'b' })).items.map((s) => s.name)).toEqual(['b']);
    });

    it('never gives a new space a place a cursor has passed, even after the newest were deleted', async () => {
      await spaces.createSpace(spaceWrite('a', '10.0.0.0/16'));
      const b = await spaces.createSpace(spaceWrite('b', '10.1.0.0/16'));
      const c = await spaces.createSpace(spaceWrite('c', '10.2.0.0/16'));
      const page = await spaces.listSpaces({ limit: 2 });
      await spaces.deleteSpace(c.id);
      await spaces.deleteSpace(b.id);
      await spaces.createSpace(spaceWrite('d', '10.3.0.0/16'));
      const rest = await spaces.listSpaces({ limit: 10, cursor: page.nextCursor ?? '' });
      expect(rest.items.map((s) => s.name)).toEqual(['d']);
    });

    it('replaces at the expected revision only, and keeps CIDRs that hold allocations', async () => {
      const { id } = await spaces.createSpace(spaceWrite('hub', '10.0.0.0/16', '10.9.0.0/16'));
      await spaces.allocate(id, exactly('10.9.0.0/24'), { purpose: 'p' });
      const dropsHeld = await rejection(spaces.replaceSpace(id, 1, spaceWrite('hub', '10.0.0.0/16')));
      expect(dropsHeld.code).toBe('SPACE_CIDR_IN_USE');
      const replaced = await spaces.replaceSpace(id, 1, spaceWrite('core', '10.9.0.0/16'));
      expect(replaced).toMatchObject({ name: 'core', revision: 2 });
      expect(replaced.cidrs.map(String)).toEqual(['10.9.0.0/16']);
      expect((await rejection(spaces.replaceSpace(id, 1, spaceWrite('core', '10.9.0.0/16')))).code).toBe(
        'REVISION_MISMATCH',
      );
    });

    it('widens or narrows a CIDR that holds allocations as long as they stay covered', async () => {
      const { id } = await spaces.createSpace(spaceWrite('hub', '10.9.0.0/16'));
      await spaces.allocate(id, exactly('10.9.0.0/24'), { purpose: 'p' });
      const widened = await spaces.replaceSpace(id, 1, spaceWrite('hub', '10.8.0.0/15'));
      expect(widened.cidrs.map(String)).toEqual(['10.8.0.0/15']);
      const { allocation } = await spaces.allocate(id, exactly('10.8.0.0/24'), { purpose: 'q' });
      expect(String(allocation.cidr)).toBe('10.8.0.0/24');
      await spaces.release(id, allocation.id);
      const narrowed = await spaces.replaceSpace(id, 2, spaceWrite('hub', '10.9.0.0/20'));
      expect(narrowed.cidrs.map(String)).toEqual(['10.9.0.0/20']);
      const leavesOut = await rejection(spaces.replaceSpace(id, 3, spaceWrite('hub', '10.9.8.0/21')));
      expect([leavesOut.code, leavesOut.message]).toEqual([
        'SPACE_CIDR_IN_USE',
        expect.stringContaining('10.9.0.0/24'),
      ]);
    });

    it('refuses to delete a space with allocations, then deletes it once they are released', async () => {
      const { id } = await spaces.createSpace(spaceWrite('hub', '10.0.0.0/16'));
      const { allocation } = await spaces.allocate(id, size(24), { purpose: 'p' });
      expect((await rejection(spaces.deleteSpace(id))).code).toBe('SPACE_IN_USE');
      await spaces.release(id, allocation.id);
      expect((await rejection(spaces.deleteSpace(id, 7))).code).toBe('REVISION_MISMATCH');
      await spaces.deleteSpace(id, 1);
      expect(await spaces.getSpace(id)).toBeUndefined();
      expect((await rejection(spaces.deleteSpace(id))).code).toBe('SPACE_NOT_FOUND');
    });

    it("runs the caller's check on the space in the write's unit of work; a refusal writes nothing", async () => {
      const { id } = await spaces.createSpace(spaceWrite('hub', '10.0.0.0/16'));
      const seen: string[] = [];
      const refuse = (space: StoredSpace) => {
        seen.push(space.id);
        throw notFound.space('hub');
      };
      const refused = await rejection(spaces.allocate(id, size(24), { purpose: 'p', check: refuse }));
      expect(refused.code).toBe('SPACE_NOT_FOUND');
      expect((await spaces.allocations(id, { limit: 10 })).items).toEqual([]);
      const { allocation } = await spaces.allocate(id, size(24), { purpose: 'p', check: () => {} });
      const released = await rejection(
        spaces.release(id, allocation.id, undefined, (_, space) => refuse(space)),
      );
      expect(released.code).toBe('SPACE_NOT_FOUND');
      await spaces.release(id, allocation.id);
      expect((await rejection(spaces.deleteSpace(id, undefined, undefined, refuse))).code).toBe(
        'SPACE_NOT_FOUND',
      );
      expect(seen).toEqual([id, id, id]);
      expect((await spaces.getSpace(id))?.name).toBe('hub');
      await spaces.deleteSpace(id, undefined, undefined, () => {});
      expect(await spaces.getSpace(id)).toBeUndefined();
    });

    it('allocates first fit, exact CIDRs, and refuses overlaps and exhaustion', async () => {
      const { id } = await spaces.createSpace(spaceWrite('hub', '10.0.0.0/22'));
      const cidrOf = async (request: Parameters<SpaceStore['allocate']>[1]) =>
        String((await spaces.allocate(id, request, { purpose: 'p' })).allocation.cidr);
      expect(await cidrOf(exactly('10.0.1.0/24'))).toBe('10.0.1.0/24');
      expect(await cidrOf(size(24))).toBe('10.0.0.0/24');
      expect(await cidrOf(size(23))).toBe('10.0.2.0/23');
      expect((await rejection(cidrOf(exactly('10.0.1.128/25')))).code).toBe('CIDR_TAKEN');
      expect((await rejection(cidrOf(size(28)))).code).toBe('SPACE_EXHAUSTED');
      expect((await rejection(spaces.allocate('nope', size(24), { purpose: 'p' }))).code).toBe(
        'SPACE_NOT_FOUND',
      );
      expect((await spaces.allocatedCidrs(id)).map(String)).toEqual([
        '10.0.0.0/24',
        '10.0.1.0/24',
        '10.0.2.0/23',
      ]);
    });

    it('places a block clear of the ranges to avoid, past each in turn, else where it would go', async () => {
      const { id } = await spaces.createSpace(spaceWrite('wide', '10.0.0.0/14'));
      const cidrOf = async (request: Parameters<SpaceStore['allocate']>[1]) =>
        String((await spaces.allocate(id, request, { purpose: 'p' })).allocation.cidr);
      const avoiding = (prefixLength: number, ...ranges: string[]) => ({
        ...size(prefixLength),
        avoid: ranges.map((r) => Cidr.parse(r)),
      });
      // 10.1.0.0/24 is taken, so past 10.0.0.0/16 the first free /24 is 10.1.1.0, inside the free
      // /24 beside it (a block starting below where the search resumes).
      expect(await cidrOf(exactly('10.1.0.0/24'))).toBe('10.1.0.0/24');
      expect(await cidrOf(avoiding(24, '10.0.0.0/16'))).toBe('10.1.1.0/24');
      // Past two ranges, one met after the other; a range outside the space changes nothing.
      expect(await cidrOf(avoiding(16, '10.0.0.0/16', '10.1.0.0/16', '192.168.0.0/16'))).toBe('10.2.0.0/16');
      // Nothing clear of 10.0.0.0/14: the block goes where it would without.
      expect(await cidrOf(avoiding(24, '10.0.0.0/8'))).toBe('10.0.0.0/24');
    });

    it('reads the free blocks lowest first by family, the first `limit`, and counts each prefix length', async () => {
      const { id } = await spaces.createSpace(spaceWrite('hub', 'fd00::/126', '10.0.0.0/24'));
      await spaces.allocate(id, exactly('10.0.0.0/26'), { purpose: 'p' });
      await spaces.allocate(id, exactly('10.0.0.128/28'), { purpose: 'p' });
      await spaces.allocate(id, exactly('fd00::1/128'), { purpose: 'p' });
      const read = async (query: Parameters<SpaceStore['freeBlocksOf']>[1]) => {
        const { cidrs, listed, counts } = await spaces.freeBlocksOf(id, query);
        expect(cidrs.map(String)).toEqual(['fd00::/126', '10.0.0.0/24']);
        const sorted = [...counts].sort((a, b) => a.family - b.family || a.prefixLength - b.prefixLength);
        return { listed: listed.map(String), counts: sorted };
      };
      const counts = [
        { family: 4, prefixLength: 26, count: 2 },
        { family: 4, prefixLength: 27, count: 1 },
        { family: 4, prefixLength: 28, count: 1 },
        { family: 6, prefixLength: 127, count: 1 },
        { family: 6, prefixLength: 128, count: 1 },
      ];
      expect(await read({ limit: 100 })).toEqual({
        listed: [
          '10.0.0.64/26',
          '10.0.0.144/28',
          '10.0.0.160/27',
          '10.0.0.192/26',
          'fd00::/128',
          'fd00::2/127',
        ],
        counts,
      });
      expect(await read({ limit: 2 })).toEqual({ listed: ['10.0.0.64/26', '10.0.0.144/28'], counts });
      expect(await read({ family: 6, limit: 1 })).toEqual({ listed: ['fd00::/128'], counts });
      expect(await read({ limit: 0 })).toEqual({ listed: [], counts });
      expect((await rejection(spaces.freeBlocksOf('nope', { limit: 0 }))).code).toBe('SPACE_NOT_FOUND');
    });

    it('gives released blocks back whole in any order, and never joins two ranges of the space', async () => {
      const { id } = await spaces.createSpace(spaceWrite('hub', '10.0.0.0/23', '10.0.2.0/23'));
      const take = async (request: Parameters<SpaceStore['allocate']>[1]) =>
        (await spaces.allocate(id, request, { purpose: 'p' })).allocation;
      const quarters = [
        await take(size(25)),
        await take(size(25)),
        await take(size(25)),
        await take(size(25)),
      ];
      expect(quarters.map((a) => String(a.cidr))).toEqual([
        '10.0.0.0/25',
        '10.0.0.128/25',
        '10.0.1.0/25',
        '10.0.1.128/25',
      ]);
      for (const i of [2, 0, 3, 1]) await spaces.release(id, quarters[i]?.id ?? '');
      expect(String((await take(size(23))).cidr)).toBe('10.0.0.0/23');
      const wider = await rejection(take(size(22)));
      expect([wider.code, wider.message]).toEqual([
        'SPACE_EXHAUSTED',
        'no free /22 is left; the largest free block is 10.0.2.0/23',
      ]);
      // Partly outside the space and partly taken: outside is what the request got wrong.
      expect((await rejection(take(exactly('10.0.0.0/22')))).code).toBe('CIDR_OUTSIDE_SPACE');
      expect((await rejection(take(exactly('10.0.1.0/24')))).message).toMatch(
        /^10.0.1.0\/24 overlaps 10.0.0.0\/23/,
      );
    });

    it('pages allocations lowest address first, and reads one only in its own space', async () => {
      const a = await spaces.createSpace(spaceWrite('a', '10.0.0.0/16'));
      const b = await spaces.createSpace(spaceWrite('b', '10.1.0.0/16'));
      for (const cidr of ['10.0.3.0/24', '10.0.1.0/24', '10.0.2.0/24']) {
        await spaces.allocate(a.id, exactly(cidr), { purpose: cidr });
      }
      const first = await spaces.allocations(a.id, { limit: 2 });
      expect(first.items.map((x) => String(x.cidr))).toEqual(['10.0.1.0/24', '10.0.2.0/24']);
      const rest = await spaces.allocations(a.id, { limit: 2, cursor: first.nextCursor ?? '' });
      expect([rest.items.map((x) => String(x.cidr)), rest.nextCursor]).toEqual([['10.0.3.0/24'], null]);
      const one = first.items[0];
      expect(one && (await spaces.allocation(a.id, one.id))).toEqual(one);
      expect(one && (await spaces.allocation(b.id, one.id))).toBeUndefined();
      expect((await rejection(spaces.allocations(a.id, { limit: 2, cursor: 'x' }))).code).toBe(
        'CURSOR_INVALID',
      );
      // A key the stores never issue (a NUL, upper-case hex) would compare in each database's own
      // way, and PostgreSQL refuses a NUL outright: refused before any query.
      const crafted = (k: string) =>
        Buffer.from(JSON.stringify({ f: 4, k, l: 'allocations' })).toString('base64url');
      for (const k of ['a\u0000b', `${'0'.repeat(24)}0AFA0000`, '']) {
        const refused = await rejection(spaces.allocations(a.id, { limit: 2, cursor: crafted(k) }));
        expect([k, refused.code]).toEqual([k, 'CURSOR_INVALID']);
      }
    });

    it('releases an allocation once; its block is free again', async () => {
      const { id } = await spaces.createSpace(spaceWrite('hub', '10.0.0.0/24'));
      const { allocation } = await spaces.allocate(id, size(24), { purpose: 'p' });
      await spaces.release(id, allocation.id);
      expect((await rejection(spaces.release(id, allocation.id))).code).toBe('ALLOCATION_NOT_FOUND');
      expect(String((await spaces.allocate(id, size(24), { purpose: 'p' })).allocation.cidr)).toBe(
        '10.0.0.0/24',
      );
    });

    it('replays an Idempotency-Key for 24 hours while its block is held, and refuses it for another request', async () => {
      const { id } = await spaces.createSpace(spaceWrite('hub', '10.0.0.0/16'));
      const first = await spaces.allocate(id, size(24), key('k'));
      expect(first.replayed).toBe(false);
      const again = await spaces.allocate(id, size(24), key('k'));
      expect(again).toEqual({ allocation: first.allocation, replayed: true });
      await spaces.release(id, first.allocation.id);
      // Released, its block may be someone else's: the key is refused, not replayed.
      const other = await spaces.allocate(id, size(24), { purpose: 'p' });
      expect(other.allocation.cidr).toEqual(first.allocation.cidr);
      expect((await rejection(spaces.allocate(id, size(24), key('k')))).code).toBe(
        'IDEMPOTENCY_KEY_RELEASED',
      );
      expect((await rejection(spaces.allocate(id, size(24), key('k', 'f2')))).code).toBe(
        'IDEMPOTENCY_KEY_REUSED',
      );
      clock.advance(IDEMPOTENCY_WINDOW_MS + 1);
      const later = await spaces.allocate(id, size(24), key('k', 'f2'));
      expect(later.replayed).toBe(false);
      expect(later.allocation.id).not.toBe(first.allocation.id);
    });

    it("takes an Idempotency-Key for its caller's across spaces: another space is another request", async () => {
      const hub = await spaces.createSpace(spaceWrite('hub', '10.0.0.0/16'));
      const spoke = await spaces.createSpace(spaceWrite('spoke', '10.1.0.0/16'));
      await spaces.allocate(hub.id, size(24), key('k'));
      expect((await rejection(spaces.allocate(spoke.id, size(24), key('k')))).code).toBe(
        'IDEMPOTENCY_KEY_REUSED',
      );
      expect(await spaces.allocatedCidrs(spoke.id)).toEqual([]);
      expect((await spaces.allocate(hub.id, size(24), key('k'))).replayed).toBe(true);
    });
  });
}
