import { bitsOf, Cidr, IpAddress, type IpFamily } from '../../domain/ip/index.js';
import type { AllocationRequest, Holder } from '../../domain/space/allocation-request.js';
import type { FreeBlockCount } from '../../domain/space/free-block-tally.js';
import {
  avoidingWithin,
  blockStart,
  buddyOf,
  clearanceStarts,
  coalesce,
  type FreeBlocks,
  placeAllocation,
} from '../../domain/space/free-blocks.js';
import { FreeSpace } from '../../domain/space/free-space.js';
import { addressKey, addressOfKey } from '../address-keys.js';
import type { FreeBlockQuery, FreeBlocksRead, StoredSpace } from '../space-store.js';
import type { Sql } from './sql.js';

interface BlockRow {
  prefix_length: number;
  first_key: string;
  last_key: string;
}

/**
 * The free blocks of each space (space_free_blocks), kept in step with its allocations. The
 * domain decides synchronously over the blocks it may ask about, so each decision first reads
 * exactly those in one query (the lowest block of every prefix length, or the blocks at the
 * addresses it will probe): a few index probes whatever the number of allocations.
 */
export class PgFreeBlocks {
  /** Decides the request over the space's free blocks and carves the block it grants. */
  async place(
    sql: Sql,
    space: StoredSpace,
    asked: AllocationRequest,
    firstOverlapping: (cidr: Cidr) => Promise<Holder | undefined>,
  ): Promise<Cidr> {
    let free: FreeBlocks;
    let holder: Holder | undefined;
    const request = avoidingWithin(space.cidrs, asked);
    if (request.kind === 'size') {
      free = await this.lowestOfEachPrefix(sql, space.id, request.family);
      if (request.avoid?.length) free = await this.clearOf(sql, space.id, request, free);
    } else {
      free = await this.covering(sql, space.id, request.cidr);
      if (free.holding(request.cidr) === undefined) holder = await firstOverlapping(request.cidr);
    }
    const placement = placeAllocation(space.cidrs, free, { firstOverlapping: () => holder }, request);
    await this.remove(sql, space.id, placement.from);
    await this.add(sql, space.id, placement.remainder);
    return placement.cidr;
  }

  /** Frees an allocated block, merged with its free buddies. */
  async release(sql: Sql, spaceId: string, cidr: Cidr): Promise<void> {
    const space = (
      await sql.rows<{ cidr: string }>('SELECT cidr FROM space_cidrs WHERE space_id = $1 ORDER BY position', [
        spaceId,
      ])
    ).map((c) => Cidr.parse(c.cidr));
    const { merged, absorbed } = coalesce(space, await this.buddiesOf(sql, spaceId, cidr), cidr);
    for (const block of absorbed) await this.remove(sql, spaceId, block);
    await this.add(sql, spaceId, [merged]);
  }

  /** Replaces the space's blocks with its CIDRs less `allocated` (a new space, or new CIDRs). */
  async rebuild(
    sql: Sql,
    spaceId: string,
    cidrs: readonly Cidr[],
    allocated: readonly Cidr[],
  ): Promise<void> {
    await sql.run('DELETE FROM space_free_blocks WHERE space_id = $1', [spaceId]);
    await this.add(sql, spaceId, new FreeSpace(cidrs, allocated).blocks());
    await sql.run('UPDATE spaces SET free_blocks_built = 1 WHERE id = $1', [spaceId]);
  }

  /** The first free blocks asked for and the count of each prefix length. */
  async read(
    sql: Sql,
    spaceId: string,
    { family, limit }: FreeBlockQuery,
  ): Promise<Omit<FreeBlocksRead, 'cidrs'>> {
    const listed =
      limit === 0
        ? []
        : await sql.rows<{ cidr: string }>(
            `SELECT cidr FROM space_free_blocks WHERE space_id = $1 AND ($2::smallint IS NULL OR family = $2)
             ORDER BY family, first_key LIMIT $3`,
            [spaceId, family ?? null, limit],
          );
    const counts = await sql.rows<FreeBlockCount>(
      `SELECT family, prefix_length AS "prefixLength", COUNT(*)::int AS count FROM space_free_blocks
       WHERE space_id = $1 GROUP BY family, prefix_length`,
      [spaceId],
    );
    return { listed: listed.map((r) => Cidr.parse(r.cidr)), counts };
  }

  /**
   * For a size request that avoids ranges: besides the lowest blocks, the blocks the domain may
   * probe right after each avoided range (the one holding the first aligned block there, and the
   * lowest of each prefix length from there), read ahead in one query per avoided range.
   */
  private async clearOf(
    sql: Sql,
    spaceId: string,
    request: AllocationRequest & { kind: 'size' },
    lowest: FreeBlocks,
  ): Promise<FreeBlocks> {
    const { family, prefixLength } = request;
    const end = 1n << BigInt(bitsOf(family));
    const starts = clearanceStarts(family, request.avoid ?? [])
      .map((at) => blockStart(family, prefixLength, at))
      .filter((start) => start > 0n && start < end);
    const from = new Map<bigint, Map<number, string>>();
    const held: BlockRow[] = [];
    for (const start of starts) {
      const key = addressKey(IpAddress.of(family, start));
      const rows = await sql.rows<{ p: number; first_key: string | null; last_key: string | null }>(
        `SELECT p, (SELECT first_key FROM space_free_blocks WHERE space_id = $1 AND family = $2
                      AND prefix_length = p AND first_key >= $4 ORDER BY first_key LIMIT 1) AS first_key,
                   NULL AS last_key
         FROM generate_series(0, $3::int) AS p
         UNION ALL
         SELECT prefix_length, first_key, last_key FROM (
           SELECT prefix_length, first_key, last_key FROM space_free_blocks
           WHERE space_id = $1 AND family = $2 AND first_key <= $4 ORDER BY first_key DESC LIMIT 1) AS below`,
        [spaceId, family, bitsOf(family), key],
      );
      const lowestFrom = new Map<number, string>();
      for (const r of rows) {
        if (r.last_key !== null && r.first_key !== null)
          held.push({ prefix_length: r.p, first_key: r.first_key, last_key: r.last_key });
        else if (r.first_key !== null) lowestFrom.set(r.p, r.first_key);
      }
      from.set(start, lowestFrom);
    }
    const around = known(family, held);
    return {
      lowestWithPrefix: (f, p, at) => {
        if (at === undefined) return lowest.lowestWithPrefix(f, p);
        const found = f === family ? from.get(at) : undefined;
        if (found === undefined) throw new Error(`the blocks from ${at} were not read ahead`);
        const key = found.get(p);
        return key === undefined ? undefined : Cidr.containing(addressOfKey(f, key), p);
      },
      holding: (cidr) => around.holding(cidr),
    };
  }

  /** The lowest free block of every prefix length of the family: one probe each, one query. */
  private async lowestOfEachPrefix(sql: Sql, spaceId: string, family: IpFamily): Promise<FreeBlocks> {
    const rows = await sql.rows<{ p: number; first_key: string | null }>(
      `SELECT p, (SELECT first_key FROM space_free_blocks
                  WHERE space_id = $1 AND family = $2 AND prefix_length = p ORDER BY first_key LIMIT 1) AS first_key
       FROM generate_series(0, $3::int) AS p`,
      [spaceId, family, bitsOf(family)],
    );
    const lowest = new Map(rows.flatMap((r) => (r.first_key === null ? [] : [[r.p, r.first_key] as const])));
    return {
      lowestWithPrefix: (f, p) => {
        const key = f === family ? lowest.get(p) : undefined;
        return key === undefined ? undefined : Cidr.containing(addressOfKey(f, key), p);
      },
      holding: () => {
        throw new Error('a size request asks only for the lowest blocks');
      },
    };
  }

  /** The free block starting at or below `cidr`: the only one that can cover it. */
  private async covering(sql: Sql, spaceId: string, cidr: Cidr): Promise<FreeBlocks> {
    const rows = await sql.rows<BlockRow>(
      `SELECT prefix_length, first_key, last_key FROM space_free_blocks
       WHERE space_id = $1 AND family = $2 AND first_key <= $3 ORDER BY first_key DESC LIMIT 1`,
      [spaceId, cidr.family, addressKey(cidr.first)],
    );
    return known(cidr.family, rows);
  }

  /** The free blocks that start at a buddy of `cidr` or of one of its ancestors. */
  private async buddiesOf(sql: Sql, spaceId: string, cidr: Cidr): Promise<FreeBlocks> {
    const buddies = [];
    for (let p = cidr.prefixLength; p > 0; p--) buddies.push(buddyOf(Cidr.containing(cidr.first, p)));
    const rows = await sql.rows<BlockRow>(
      `SELECT prefix_length, first_key, last_key FROM space_free_blocks
       WHERE space_id = $1 AND family = $2 AND first_key = ANY($3)`,
      [spaceId, cidr.family, buddies.map((b) => addressKey(b.first))],
    );
    return known(cidr.family, rows);
  }

  private async add(sql: Sql, spaceId: string, blocks: readonly Cidr[]): Promise<void> {
    if (blocks.length === 0) return;
    await sql.run(
      `INSERT INTO space_free_blocks (space_id, family, prefix_length, first_key, last_key, cidr)
       SELECT $1, * FROM unnest($2::smallint[], $3::smallint[], $4::text[], $5::text[], $6::text[])`,
      [
        spaceId,
        blocks.map((b) => b.family),
        blocks.map((b) => b.prefixLength),
        blocks.map((b) => addressKey(b.first)),
        blocks.map((b) => addressKey(b.last)),
        blocks.map((b) => b.toString()),
      ],
    );
  }

  private async remove(sql: Sql, spaceId: string, block: Cidr): Promise<void> {
    const removed = await sql.run(
      'DELETE FROM space_free_blocks WHERE space_id = $1 AND family = $2 AND first_key = $3',
      [spaceId, block.family, addressKey(block.first)],
    );
    // The decision named a block it read in this transaction: anything else is a broken table.
    if (removed !== 1) throw new Error(`free block ${block} of space ${spaceId} is not stored`);
  }
}

/** Free blocks read ahead: `holding` answers from them alone. */
function known(family: IpFamily, rows: readonly BlockRow[]): FreeBlocks {
  const blocks = rows.map((r) => ({
    row: r,
    cidr: Cidr.containing(addressOfKey(family, r.first_key), r.prefix_length),
  }));
  return {
    lowestWithPrefix: () => {
      throw new Error('only the blocks read ahead are known');
    },
    holding: (cidr) =>
      blocks.find(
        ({ row }) => row.first_key <= addressKey(cidr.first) && row.last_key >= addressKey(cidr.last),
      )?.cidr,
  };
}
