import { smallestSubnetPrefix } from '../capacity/subnet-prefix.js';
import { DomainError } from '../errors.js';
import { bitsOf, type Cidr, type IpFamily } from '../ip/index.js';
import { FreeSpace } from './free-space.js';

/** A block asked of a space: a size (prefix length or usable addresses), or one specific CIDR. */
export type AllocationRequest =
  | {
      readonly kind: 'size';
      readonly family: IpFamily;
      readonly prefixLength: number;
      /**
       * Ranges the block should not overlap (a plan's own service and pod ranges, which come from
       * no space): the lowest free block clear of them, else the lowest free block as without.
       */
      readonly avoid?: readonly Cidr[];
    }
  | { readonly kind: 'cidr'; readonly cidr: Cidr };

/**
 * A plan's next block, clear of the blocks already taken for it too: two spaces may overlap,
 * and a plan's blocks must not.
 */
export function clearOfTaken(request: AllocationRequest, taken: readonly Cidr[]): AllocationRequest {
  if (request.kind !== 'size' || taken.length === 0) return request;
  return { ...request, avoid: [...(request.avoid ?? []), ...taken] };
}

export interface Holder {
  readonly id: string;
  readonly cidr: Cidr;
  readonly purpose: string;
}

/** The prefix length whose usable addresses, after Azure's 5, hold `addresses` (IPv4 subnets). */
export function prefixForAddresses(addresses: number): number {
  const prefix = smallestSubnetPrefix(BigInt(addresses));
  if (prefix === null) {
    throw DomainError.invalid(
      'ADDRESSES_TOO_MANY',
      'addresses',
      `${addresses} addresses do not fit any Azure subnet`,
    );
  }
  return prefix;
}

/**
 * Decides which block a request gets: the lowest free aligned block of the size (first fit),
 * or exactly the CIDR asked for. Throws SPACE_EXHAUSTED or CIDR_TAKEN (conflicts) and
 * CIDR_OUTSIDE_SPACE or PREFIX_LENGTH_INVALID (bad requests). Reads every holder: the stores
 * decide over indexed free blocks instead (free-blocks.ts), and this stays the reference
 * they must agree with.
 */
export function decideAllocation(
  space: readonly Cidr[],
  holders: readonly Holder[],
  request: AllocationRequest,
): Cidr {
  const free = new FreeSpace(
    space,
    holders.map((h) => h.cidr),
  );
  if (request.kind === 'cidr') return claim(space, holders, request.cidr);
  const { family, prefixLength } = request;
  const widest = widestRange(space, family, prefixLength);
  // A block wider than every range of the space never fits: that is exhaustion, not a bad request.
  const clear = request.avoid?.length
    ? new FreeSpace(space, [...holders.map((h) => h.cidr), ...request.avoid]).firstFit(family, prefixLength)
    : undefined;
  const block = prefixLength < widest ? undefined : (clear ?? free.firstFit(family, prefixLength));
  if (block !== undefined) return block;
  throw spaceExhausted(prefixLength, family, free.largestBlock(family));
}

/**
 * The shortest prefix among the space's ranges of the family. Refuses a family the space lacks
 * (SPACE_FAMILY_MISSING) and a length that is no prefix of the family (PREFIX_LENGTH_INVALID).
 */
export function widestRange(space: readonly Cidr[], family: IpFamily, prefixLength: number): number {
  const widest = space
    .filter((c) => c.family === family)
    .reduce((min, c) => Math.min(min, c.prefixLength), bitsOf(family) + 1);
  if (widest > bitsOf(family)) {
    throw DomainError.invalid(
      'SPACE_FAMILY_MISSING',
      'prefixLength',
      `the space has no ${family === 4 ? 'IPv4' : 'IPv6'} range`,
    );
  }
  if (!Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > bitsOf(family)) {
    throw DomainError.invalid(
      'PREFIX_LENGTH_INVALID',
      'prefixLength',
      `/${prefixLength} is not an ${family === 4 ? 'IPv4' : 'IPv6'} prefix length`,
    );
  }
  return widest;
}

/** SPACE_EXHAUSTED: the largest free block of the family asked for, or none (another may have room). */
export function spaceExhausted(
  prefixLength: number,
  family: IpFamily,
  largest: Cidr | undefined,
): DomainError {
  const none = `none (its IPv${family} ranges are full)`;
  return new DomainError(
    'SPACE_EXHAUSTED',
    `no free /${prefixLength} is left; the largest free block is ${largest?.toString() ?? none}`,
  );
}

/** Refuses a CIDR that no single range of the space covers (CIDR_OUTSIDE_SPACE). */
export function assertInsideSpace(space: readonly Cidr[], cidr: Cidr): void {
  if (!space.some((c) => c.covers(cidr))) {
    throw DomainError.invalid(
      'CIDR_OUTSIDE_SPACE',
      'cidr',
      `${cidr} is not inside the space's ${space.join(', ')}`,
    );
  }
}

/** A CIDR asked for overlaps an allocation: the holder is kept, for callers who may not see it. */
export class CidrTakenError extends DomainError {
  constructor(
    readonly cidr: Cidr,
    readonly holder: Holder,
  ) {
    super(
      'CIDR_TAKEN',
      `${cidr} overlaps ${holder.cidr}, allocated to "${holder.purpose}" (allocation ${holder.id})`,
    );
  }

  /** The same refusal naming the range only: the holder is another team's. */
  withoutHolder(): DomainError {
    return new DomainError('CIDR_TAKEN', `${this.cidr} overlaps ${this.holder.cidr}, another team's block`);
  }
}

export function cidrTaken(cidr: Cidr, holder: Holder): DomainError {
  return new CidrTakenError(cidr, holder);
}

/** Outside the space wins over taken: a CIDR partly outside and partly held is CIDR_OUTSIDE_SPACE. */
function claim(space: readonly Cidr[], holders: readonly Holder[], cidr: Cidr): Cidr {
  assertInsideSpace(space, cidr);
  const holder = holders.find((h) => h.cidr.overlaps(cidr));
  if (holder !== undefined) throw cidrTaken(cidr, holder);
  return cidr;
}
