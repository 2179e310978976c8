import type { Database, Statement } from 'better-sqlite3';
import { Cidr, IpAddress, type IpFamily } from '../../domain/ip/index.js';
import type { AllocationRequest } from '../../domain/space/allocation-request.js';
import type { FreeBlockCount } from '../../domain/space/free-block-tally.js';
import { coalesce, type FreeBlocks, type Holders, placeAllocation } from '../../domain/space/free-blocks.js';
import { FreeSpace } from '../../domain/space/free-space.js';
import { addressKey, addressOfKey } from '../address-keys.js';
import type { FreeBlockQuery, FreeBlocksRead, StoredSpace } from '../space-store.js';

interface BlockRow {
  prefix_length: number;
  first_key: string;
  last_key: string;
}

/**
 * The free blocks of each space (space_free_blocks), kept in step with its allocations so that
 * a decision costs a few index probes whatever the number of allocations. Synchronous: callers
 * hold the transaction.
 */
export class FreeBlockRows {
  private readonly lowest: Statement<[string, number, number], string>;
  private readonly lowestFrom: Statement<[string, number, number, string], string>;
  private readonly atOrBelow: Statement<[string, number, string], BlockRow>;
  private readonly insert: Statement<[string, number, number, string, string, string]>;
  private readonly remove: Statement<[string, number, string]>;
  private readonly clear: Statement<[string]>;
  private readonly markBuilt: Statement<[string]>;
  private readonly spaceCidrs: Statement<[string], string>;
  private readonly listedOfBoth: Statement<[string, number], string>;
  private readonly listedOfFamily: Statement<[string, number, number], string>;
  private readonly counted: Statement<[string], FreeBlockCount>;

  constructor(private readonly db: Database) {
    this.lowest = db
      .prepare<[string, number, number], string>(
        `SELECT first_key FROM space_free_blocks WHERE space_id = ? AND family = ? AND prefix_length = ?
         ORDER BY first_key LIMIT 1`,
      )
      .pluck();
    this.lowestFrom = db
      .prepare<[string, number, number, string], string>(
        `SELECT first_key FROM space_free_blocks WHERE space_id = ? AND family = ? AND prefix_length = ?
           AND first_key >= ? ORDER BY first_key LIMIT 1`,
      )
      .pluck();
    this.atOrBelow = db.prepare(
      `SELECT prefix_length, first_key, last_key FROM space_free_blocks
       WHERE space_id = ? AND family = ? AND first_key <= ? ORDER BY first_key DESC LIMIT 1`,
    );
    this.insert = db.prepare(
      `INSERT INTO space_free_blocks (space_id, family, prefix_length, first_key, last_key, cidr)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.remove = db.prepare(
      'DELETE FROM space_free_blocks WHERE space_id = ? AND family = ? AND first_key = ?',
    );
    this.clear = db.prepare('DELETE FROM space_free_blocks WHERE space_id = ?');
    this.markBuilt = db.prepare('UPDATE spaces SET free_blocks_built = 1 WHERE id = ?');
    this.spaceCidrs = db
      .prepare<[string], string>('SELECT cidr FROM space_cidrs WHERE space_id = ? ORDER BY position')
      .pluck();
    this.listedOfBoth = db
      .prepare<[string, number], string>(
        'SELECT cidr FROM space_free_blocks WHERE space_id = ? ORDER BY family, first_key LIMIT ?',
      )
      .pluck();
    this.listedOfFamily = db
      .prepare<[string, number, number], string>(
        'SELECT cidr FROM space_free_blocks WHERE space_id = ? AND family = ? ORDER BY first_key LIMIT ?',
      )
      .pluck();
    this.counted = db.prepare(
      `SELECT family, prefix_length AS prefixLength, COUNT(*) AS count FROM space_free_blocks
       WHERE space_id = ? GROUP BY family, prefix_length`,
    );
  }

  /** The first free blocks asked for and the count of each prefix length (callers hold the read). */
  read(spaceId: string, { family, limit }: FreeBlockQuery): Omit<FreeBlocksRead, 'cidrs'> {
    const listed =
      limit === 0
        ? []
        : family === undefined
          ? this.listedOfBoth.all(spaceId, limit)
          : this.listedOfFamily.all(spaceId, family, limit);
    return { listed: listed.map((c) => Cidr.parse(c)), counts: this.counted.all(spaceId) };
  }

  /** Decides the request over the space's free blocks and carves the block it grants. */
  place(space: StoredSpace, request: AllocationRequest, holders: Holders): Cidr {
    const placement = placeAllocation(space.cidrs, this.of(space.id), holders, request);
    this.delete(space.id, placement.from);
    for (const block of placement.remainder) this.add(space.id, block);
    return placement.cidr;
  }

  /** Frees an allocated block, merged with its free buddies. */
  release(spaceId: string, cidr: Cidr): void {
    const space = this.spaceCidrs.all(spaceId).map((c) => Cidr.parse(c));
    const { merged, absorbed } = coalesce(space, this.of(spaceId), cidr);
    for (const block of absorbed) this.delete(spaceId, block);
    this.add(spaceId, merged);
  }

  /** Replaces the space's blocks with its CIDRs less `allocated` (a new space, or new CIDRs). */
  rebuild(spaceId: string, cidrs: readonly Cidr[], allocated: readonly Cidr[]): void {
    this.clear.run(spaceId);
    for (const block of new FreeSpace(cidrs, allocated).blocks()) this.add(spaceId, block);
    this.markBuilt.run(spaceId);
  }

  /** Builds the blocks of spaces stored before blocks were kept; how many it built. */
  buildMissing(): number {
    const ids = this.db
      .prepare('SELECT id FROM spaces WHERE free_blocks_built = 0')
      .pluck()
      .all() as string[];
    const allocated = this.db
      .prepare<[string], string>('SELECT cidr FROM allocations WHERE space_id = ?')
      .pluck();
    for (const id of ids) {
      this.rebuild(
        id,
        this.spaceCidrs.all(id).map((c) => Cidr.parse(c)),
        allocated.all(id).map((c) => Cidr.parse(c)),
      );
    }
    return ids.length;
  }

  /** The space's free blocks as the domain asks for them. */
  private of(spaceId: string): FreeBlocks {
    return {
      lowestWithPrefix: (family, prefixLength, from) => {
        const key =
          from === undefined
            ? this.lowest.get(spaceId, family, prefixLength)
            : this.lowestFrom.get(spaceId, family, prefixLength, addressKey(IpAddress.of(family, from)));
        return key === undefined ? undefined : Cidr.containing(addressOfKey(family, key), prefixLength);
      },
      holding: (cidr) => {
        const row = this.atOrBelow.get(spaceId, cidr.family, addressKey(cidr.first));
        if (row === undefined || row.last_key < addressKey(cidr.last)) return undefined;
        return toCidr(cidr.family, row);
      },
    };
  }

  private add(spaceId: string, block: Cidr): void {
    this.insert.run(
      spaceId,
      block.family,
      block.prefixLength,
      addressKey(block.first),
      addressKey(block.last),
      block.toString(),
    );
  }

  private delete(spaceId: string, block: Cidr): void {
    // The decision named a block it read in this transaction: anything else is a broken table.
    if (this.remove.run(spaceId, block.family, addressKey(block.first)).changes !== 1)
      throw new Error(`free block ${block} of space ${spaceId} is not stored`);
  }
}

function toCidr(family: IpFamily, row: BlockRow): Cidr {
  return Cidr.containing(addressOfKey(family, row.first_key), row.prefix_length);
}

/**
 * Builds the free blocks of spaces that lack them, in one transaction, when a database is
 * opened: databases from before free blocks were kept have spaces with allocations.
 */
export function buildMissingFreeBlocks(db: Database): number {
  return db.transaction(() => new FreeBlockRows(db).buildMissing()).immediate();
}
