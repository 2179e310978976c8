import type { ChangeContext } from '../domain/auth/actor.js';
import type { Cidr, IpFamily } from '../domain/ip/index.js';
import type { Labels } from '../domain/labels.js';
import type { AllocationRequest } from '../domain/space/allocation-request.js';
import type { FreeBlockCount } from '../domain/space/free-block-tally.js';
import type { ListQuery, Page, PageQuery } from './page.js';

/** What a create or replace of a space writes. */
export interface SpaceWrite {
  readonly name: string;
  readonly description: string | null;
  readonly cidrs: readonly Cidr[];
  readonly labels: Labels;
}

export interface StoredSpace extends SpaceWrite {
  readonly id: string;
  readonly revision: number;
  readonly createdAt: string;
}

export interface StoredAllocation {
  readonly id: string;
  readonly spaceId: string;
  readonly cidr: Cidr;
  readonly purpose: string;
  readonly planId: string | null;
  readonly createdAt: string;
}

/**
 * Run by a write on its space as its transaction reads it, after the space's lock: throws to
 * refuse the write (the caller's team may no longer see it, or own it).
 */
export type SpaceCheck = (space: StoredSpace) => void;

export interface AllocationOptions {
  readonly purpose: string;
  /** A client's Idempotency-Key and a fingerprint of its request body. */
  readonly idempotency?: { readonly key: string; readonly fingerprint: string };
  /** Who allocates: the audit entry names them, and their Idempotency-Keys are theirs alone. */
  readonly change?: ChangeContext;
  /** The labels of the team taking the block (none: everyone's). */
  readonly ownerLabels?: Labels;
  readonly check?: SpaceCheck;
}

/**
 * How long an Idempotency-Key is remembered: the same request is answered the same allocation,
 * or IDEMPOTENCY_KEY_RELEASED once that allocation has been released.
 */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Address spaces and their allocations. `allocate` reads the space, decides the block and
 * writes it as one unit of work, so concurrent allocations can never overlap. Errors are
 * DomainErrors: SPACE_NOT_FOUND, SPACE_NAME_TAKEN, SPACE_IN_USE, SPACE_EXHAUSTED, CIDR_TAKEN,
 * IDEMPOTENCY_KEY_REUSED, IDEMPOTENCY_KEY_RELEASED, ALLOCATION_NOT_FOUND.
 */
/** Which free blocks to list: of one family or both, at most `limit` (0 to count only). */
export interface FreeBlockQuery {
  readonly family?: IpFamily;
  readonly limit: number;
}

export interface FreeBlocksRead {
  /** The space's CIDRs as this read found them (what the free blocks are of). */
  readonly cidrs: readonly Cidr[];
  readonly listed: Cidr[];
  readonly counts: FreeBlockCount[];
}

export interface SpaceStore {
  createSpace(space: SpaceWrite, change?: ChangeContext): Promise<StoredSpace>;
  /** By id or by name. */
  getSpace(idOrName: string): Promise<StoredSpace | undefined>;
  listSpaces(query: ListQuery): Promise<Page<StoredSpace>>;
  /**
   * Replaces name, description, labels and CIDRs when the stored revision is `expectedRevision`;
   * a CIDR that still holds allocations cannot be removed (SPACE_CIDR_IN_USE).
   */
  replaceSpace(
    id: string,
    expectedRevision: number,
    space: SpaceWrite,
    change?: ChangeContext,
  ): Promise<StoredSpace>;
  /** Deletes the space (with `expectedRevision`, only at that revision). */
  deleteSpace(
    id: string,
    expectedRevision?: number,
    change?: ChangeContext,
    check?: SpaceCheck,
  ): Promise<void>;
  /** A page of the space's allocations, lowest address first (IPv4 before IPv6). */
  allocations(spaceId: string, page: PageQuery): Promise<Page<StoredAllocation>>;
  /** Every block allocated from the space (what the free blocks are checked against). */
  allocatedCidrs(spaceId: string): Promise<Cidr[]>;
  /**
   * The space's free blocks (the fewest CIDRs of its free space): the first `limit` of them,
   * of one family or both, lowest address first (IPv4 before IPv6), and how many there are of
   * each prefix length. One read, so the two agree.
   */
  freeBlocksOf(spaceId: string, listed: FreeBlockQuery): Promise<FreeBlocksRead>;
  allocation(spaceId: string, allocationId: string): Promise<StoredAllocation | undefined>;
  /** The blocks taken for a plan (released with it), lowest address first. */
  planAllocations(planId: string): Promise<StoredAllocation[]>;
  /** The labels of the team that took each allocation ({} for everyone), by allocation id. */
  allocationOwners(allocationIds: readonly string[]): Promise<Map<string, Labels>>;
  allocate(
    spaceId: string,
    request: AllocationRequest,
    options: AllocationOptions,
  ): Promise<{ allocation: StoredAllocation; replayed: boolean }>;
  /**
   * Releases the allocation; `allow`, given the labels of the team that took it and the space
   * as the unit of work reads it, may refuse (throw) in the same unit of work.
   */
  release(
    spaceId: string,
    allocationId: string,
    change?: ChangeContext,
    allow?: (ownerLabels: Labels, space: StoredSpace) => void,
  ): Promise<void>;
}
