import type { Cidr } from '../domain/ip/index.js';
import type { AllocationRequest } from '../domain/space/allocation-request.js';

export interface StoredSpace {
  readonly id: string;
  readonly name: string;
  readonly revision: number;
  readonly description: string | null;
  readonly cidrs: readonly Cidr[];
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

export interface AllocationOptions {
  readonly purpose: string;
  /** A client's Idempotency-Key and a fingerprint of its request body. */
  readonly idempotency?: { readonly key: string; readonly fingerprint: string };
}

/** How long an Idempotency-Key is remembered, released allocations included. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Address spaces and their allocations. `allocate` reads the space, decides the block and
 * writes it as one unit of work, so concurrent allocations can never overlap. Errors are
 * DomainErrors: SPACE_NOT_FOUND, SPACE_NAME_TAKEN, SPACE_IN_USE, SPACE_EXHAUSTED, CIDR_TAKEN,
 * IDEMPOTENCY_KEY_REUSED, ALLOCATION_NOT_FOUND.
 */
export interface SpaceStore {
  createSpace(space: {
    name: string;
    description: string | null;
    cidrs: readonly Cidr[];
  }): Promise<StoredSpace>;
  /** By id or by name. */
  getSpace(idOrName: string): Promise<StoredSpace | undefined>;
  listSpaces(): Promise<StoredSpace[]>;
  /** Deletes the space (with `expectedRevision`, only at that revision). */
  deleteSpace(id: string, expectedRevision?: number): Promise<void>;
  allocations(spaceId: string): Promise<StoredAllocation[]>;
  allocate(
    spaceId: string,
    request: AllocationRequest,
    options: AllocationOptions,
  ): Promise<{ allocation: StoredAllocation; replayed: boolean }>;
  release(spaceId: string, allocationId: string): Promise<void>;
}
