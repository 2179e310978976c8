import { type ChangeContext, SYSTEM_CHANGE } from '../../domain/auth/actor.js';
import { DomainError, revisionMismatch } from '../../domain/errors.js';
import type { Cidr } from '../../domain/ip/index.js';
import type { Labels } from '../../domain/labels.js';
import type { AllocationRequest } from '../../domain/space/allocation-request.js';
import { removedCidrsInUse, sameRanges } from '../../domain/space/space-rules.js';
import { allocationTarget, spaceTarget } from '../audit-targets.js';
import type { ListQuery, Page, PageQuery } from '../page.js';
import type {
  AllocationOptions,
  FreeBlockQuery,
  FreeBlocksRead,
  SpaceCheck,
  SpaceStore,
  SpaceWrite,
  StoredAllocation,
  StoredSpace,
} from '../space-store.js';
import type { PgAllocationRows } from './allocation-rows.js';
import type { PgAuditRows } from './audit-rows.js';
import type { PgFreeBlocks } from './free-blocks.js';
import { spaceWait } from './locks.js';
import type { PgSpaceRows } from './space-rows.js';
import type { Sql } from './sql.js';
import type { PgUnitsOfWork } from './units-of-work.js';

/**
 * Spaces and their allocations in PostgreSQL. Every change of a space, its allocations
 * included, first locks the space's row: the read-decide-write of an allocation is serialised
 * per space across replicas, and a loser reads the winner's blocks and answers SPACE_EXHAUSTED
 * (a row lock rather than SERIALIZABLE: nothing to retry, and other spaces never wait).
 */
export class PgSpaceStore implements SpaceStore {
  constructor(
    private readonly units: PgUnitsOfWork,
    private readonly spaces: PgSpaceRows,
    private readonly allocationRows: PgAllocationRows,
    private readonly freeBlocks: PgFreeBlocks,
    private readonly audit: PgAuditRows,
  ) {}

  createSpace(space: SpaceWrite, change: ChangeContext = SYSTEM_CHANGE): Promise<StoredSpace> {
    return this.units.write(async (sql) => {
      const created = await this.spaces.insert(sql, space);
      await this.freeBlocks.rebuild(sql, created.id, created.cidrs, []);
      await this.audit.record(sql, change, {
        action: 'space.create',
        target: spaceTarget(created),
        after: created.revision,
      });
      return created;
    });
  }

  getSpace(idOrName: string): Promise<StoredSpace | undefined> {
    return this.units.read((sql) => this.spaces.get(sql, idOrName));
  }

  listSpaces(query: ListQuery): Promise<Page<StoredSpace>> {
    return this.units.read((sql) => this.spaces.page(sql, query));
  }

  replaceSpace(
    id: string,
    expectedRevision: number,
    space: SpaceWrite,
    change: ChangeContext = SYSTEM_CHANGE,
  ): Promise<StoredSpace> {
    return this.units.write(async (sql) => {
      const current = await this.spaces.lock(sql, id);
      assertRevision(current, expectedRevision);
      const replaced = sameRanges(current.cidrs, space.cidrs)
        ? // A new name, description or labels: the blocks stay.
          await this.spaces.update(sql, current.id, space)
        : await this.rebuilt(sql, current.id, current.cidrs, space);
      await this.audit.record(sql, change, {
        action: 'space.replace',
        target: spaceTarget(replaced),
        before: current.revision,
        after: replaced.revision,
      });
      return replaced;
    }, spaceWait(id));
  }
  /** New ranges: allocations left outside them refuse the change; else the blocks are rebuilt. */
  private async rebuilt(
    sql: Sql,
    id: string,
    before: readonly Cidr[],
    space: SpaceWrite,
  ): Promise<StoredSpace> {
    const allocated = (await this.allocationRows.inSpace(sql, id)).map((a) => a.cidr);
    const inUse = removedCidrsInUse(before, space.cidrs, allocated);
    if (inUse !== undefined) throw inUse;
    const replaced = await this.spaces.update(sql, id, space);
    await this.freeBlocks.rebuild(sql, id, replaced.cidrs, allocated);
    return replaced;
  }

  deleteSpace(
    id: string,
    expectedRevision?: number,
    change: ChangeContext = SYSTEM_CHANGE,
    check?: SpaceCheck,
  ): Promise<void> {
    return this.units.write(async (sql) => {
      const space = await this.spaces.lock(sql, id);
      check?.(space);
      if (expectedRevision !== undefined) assertRevision(space, expectedRevision);
      const count = await this.allocationRows.count(sql, space.id);
      if (count > 0) {
        throw new DomainError(
          'SPACE_IN_USE',
          `space "${space.name}" still has ${count} allocation${count === 1 ? '' : 's'}; release them first`,
        );
      }
      await this.spaces.delete(sql, space.id);
      await this.audit.record(sql, change, {
        action: 'space.delete',
        target: spaceTarget(space),
        before: space.revision,
      });
    }, spaceWait(id));
  }

  allocations(spaceId: string, page: PageQuery): Promise<Page<StoredAllocation>> {
    return this.units.read(async (sql) => {
      await this.spaces.read(sql, spaceId);
      return this.allocationRows.page(sql, spaceId, page);
    });
  }

  allocatedCidrs(spaceId: string): Promise<Cidr[]> {
    return this.units.read(async (sql) => {
      await this.spaces.read(sql, spaceId);
      return (await this.allocationRows.inSpace(sql, spaceId)).map((a) => a.cidr);
    });
  }

  freeBlocksOf(spaceId: string, listed: FreeBlockQuery): Promise<FreeBlocksRead> {
    return this.units.read(async (sql) => {
      const { cidrs } = await this.spaces.read(sql, spaceId);
      return { cidrs, ...(await this.freeBlocks.read(sql, spaceId, listed)) };
    });
  }

  allocation(spaceId: string, allocationId: string): Promise<StoredAllocation | undefined> {
    return this.units.read(async (sql) => {
      await this.spaces.read(sql, spaceId);
      return this.allocationRows.get(sql, spaceId, allocationId);
    });
  }

  planAllocations(planId: string): Promise<StoredAllocation[]> {
    return this.units.read((sql) => this.allocationRows.ofPlan(sql, planId));
  }

  allocationOwners(allocationIds: readonly string[]): Promise<Map<string, Labels>> {
    return this.units.read((sql) => this.allocationRows.ownerLabels(sql, allocationIds));
  }

  allocate(
    spaceId: string,
    request: AllocationRequest,
    options: AllocationOptions,
  ): Promise<{ allocation: StoredAllocation; replayed: boolean }> {
    return this.units.write(async (sql) => {
      const space = await this.spaces.lock(sql, spaceId);
      options.check?.(space);
      const answer = await this.allocationRows.allocate(sql, space, request, options);
      // A replayed answer wrote nothing, so it leaves no entry.
      if (!answer.replayed)
        await this.audit.record(sql, options.change ?? SYSTEM_CHANGE, {
          action: 'allocation.create',
          target: allocationTarget(answer.allocation),
        });
      return answer;
    }, spaceWait(spaceId));
  }

  release(
    spaceId: string,
    allocationId: string,
    change: ChangeContext = SYSTEM_CHANGE,
    allow: (ownerLabels: Labels, space: StoredSpace) => void = () => {},
  ): Promise<void> {
    return this.units.write(async (sql) => {
      const space = await this.spaces.lock(sql, spaceId);
      const allocation = await this.allocationRows.read(sql, space.id, allocationId);
      allow((await this.allocationRows.ownerLabels(sql, [allocation.id])).get(allocation.id) ?? {}, space);
      await this.allocationRows.release(sql, allocation);
      await this.audit.record(sql, change, {
        action: 'allocation.release',
        target: allocationTarget(allocation),
      });
    }, spaceWait(spaceId));
  }
}

function assertRevision(space: StoredSpace, expected: number): void {
  if (space.revision !== expected) throw revisionMismatch('space', space.id, space.revision, expected);
}
