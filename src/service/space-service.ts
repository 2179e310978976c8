import { createHash } from 'node:crypto';
import { Team } from '../domain/auth/team.js';
import { ProblemCollector } from '../domain/design/problems.js';
import { DomainError, notFound } from '../domain/errors.js';
import { bitsOf, type Cidr, familyName, type IpFamily } from '../domain/ip/index.js';
import { checkLabels, type Labels } from '../domain/labels.js';
import {
  type AllocationRequest,
  CidrTakenError,
  prefixForAddresses,
} from '../domain/space/allocation-request.js';
import { FreeBlockTally } from '../domain/space/free-block-tally.js';
import { parseSpace } from '../domain/space/space-rules.js';
import type { ListQuery, Page, PageQuery } from '../store/page.js';
import type { SpaceStore, SpaceWrite, StoredAllocation, StoredSpace } from '../store/space-store.js';
import { type Caller, SYSTEM_CALLER } from './caller.js';
import { TimeSlices } from './time-slices.js';

export interface AllocationAsk {
  readonly prefixLength?: number | undefined;
  readonly addresses?: number | undefined;
  readonly cidr?: string | undefined;
  readonly family?: 'ipv4' | 'ipv6' | undefined;
  readonly purpose: string;
}

export type { StoredAllocation, StoredSpace };

/** A space as clients describe it. */
export interface SpaceInput {
  readonly name: string;
  readonly cidrs: readonly string[];
  readonly description?: string | undefined;
  readonly labels?: Labels | undefined;
}

export interface FamilyUse {
  readonly family: IpFamily;
  readonly total: bigint;
  readonly allocated: bigint;
  readonly free: bigint;
}

/** The share of a family's addresses allocated, 0 to 1, as the space's utilization metric says it. */
function shareAllocated({ total, allocated }: FamilyUse): number {
  return total === 0n ? 0 : Number(allocated) / Number(total);
}

/**
 * The spaces a metrics scrape reads at most, in creation order: one count each, so that a
 * scrape stays within about a second however many spaces there are.
 */
export const MAX_SPACES_SCANNED = 10_000;

/** The free CIDRs an answer lists at most, lowest first; freeCount says how many there are. */
export const MAX_FREE_LISTED = 1000;

/** Address spaces: what the routes ask, in domain terms over the space store. */
export class SpaceService {
  constructor(private readonly store: SpaceStore) {}

  async create(input: SpaceInput, caller: Caller = SYSTEM_CALLER): Promise<StoredSpace> {
    caller.team.requireOwnLabels(input.labels ?? {});
    return this.store.createSpace(toWrite(input), caller.change);
  }

  /** Replaces a space's name, description, labels and CIDRs (those holding allocations stay). */
  async replace(
    idOrName: string,
    expectedRevision: number,
    input: SpaceInput,
    caller: Caller = SYSTEM_CALLER,
  ): Promise<StoredSpace> {
    const space = await this.get(idOrName, caller.team);
    caller.team.assertOwnsSpace(space);
    caller.team.requireOwnLabels(input.labels ?? {});
    const write = toWrite(input);
    // As for plans: a replacement that changes nothing (the space sent back as it was read)
    // writes nothing, no revision and no audit entry; a stale one is still refused.
    if (space.revision === expectedRevision && sameSpace(space, write)) return space;
    return this.store.replaceSpace(space.id, expectedRevision, write, caller.change);
  }

  async get(idOrName: string, team: Team = Team.EVERYONE): Promise<StoredSpace> {
    const space = await this.store.getSpace(idOrName);
    if (space === undefined) throw notFound.space(idOrName);
    team.assertSeesSpace(idOrName, space.labels);
    return space;
  }

  /** The spaces the team sees: its own and shared ones. */
  list(query: ListQuery, team: Team = Team.EVERYONE): Promise<Page<StoredSpace>> {
    return this.store.listSpaces({ ...query, team: team.labels });
  }

  /** Deletes a space; with `expectedRevision`, only while that revision is current. */
  async delete(idOrName: string, expectedRevision?: number, caller: Caller = SYSTEM_CALLER): Promise<void> {
    const space = await this.get(idOrName, caller.team);
    caller.team.assertOwnsSpace(space);
    await this.store.deleteSpace(space.id, expectedRevision, caller.change, (current) => {
      caller.team.assertSeesSpace(idOrName, current.labels);
      caller.team.assertOwnsSpace(current);
    });
  }

  async allocations(
    idOrName: string,
    page: PageQuery,
    team: Team = Team.EVERYONE,
  ): Promise<Page<StoredAllocation>> {
    const space = await this.get(idOrName, team);
    const found = await this.store.allocations(space.id, page);
    return { items: await this.seenBy(team, space, found.items), nextCursor: found.nextCursor };
  }

  async allocation(
    idOrName: string,
    allocationId: string,
    team: Team = Team.EVERYONE,
  ): Promise<StoredAllocation> {
    const space = await this.get(idOrName, team);
    const allocation = await this.store.allocation(space.id, allocationId);
    if (allocation === undefined) throw notFound.allocation(allocationId, space.id);
    const [seen] = await this.seenBy(team, space, [allocation]);
    return seen ?? allocation;
  }

  private async seenBy(
    team: Team,
    space: StoredSpace,
    allocations: readonly StoredAllocation[],
  ): Promise<StoredAllocation[]> {
    const hidden = await this.hiddenFrom(team, space, allocations);
    return allocations.map((a) =>
      hidden.has(a.id) ? { ...a, planId: null, purpose: "another team's block" } : a,
    );
  }

  /**
   * The blocks whose purpose and plan the team may not see: they keep their range (the space's
   * free space shows it anyway), not what would name another team's plan. In a space shared by
   * every team, every block the team did not take; in the team's own space, a block that another
   * team's plan holds (an admin's plan took it there, or the plan moved to another team).
   */
  private async hiddenFrom(
    team: Team,
    space: StoredSpace,
    allocations: readonly { readonly id: string; readonly planId: string | null }[],
  ): Promise<Set<string>> {
    const own = team.owns(space.labels);
    const asked = team.isEveryone ? [] : allocations.filter((a) => !own || a.planId !== null);
    if (asked.length === 0) return new Set();
    const owners = await this.store.allocationOwners(asked.map((a) => a.id));
    return new Set(asked.filter((a) => !team.owns(owners.get(a.id) ?? {})).map((a) => a.id));
  }

  /**
   * Use per family of the `max` fullest spaces this team sees (the largest share allocated of
   * any family first; ties in creation order): the spaces nearest exhaustion are the ones an
   * alert needs. The first MAX_SPACES_SCANNED spaces are read, one count each, with the event
   * loop let in between pages, and only the fullest `max` are held.
   */
  async usage(team: Team, max: number): Promise<{ space: StoredSpace; use: FamilyUse[] }[]> {
    let kept: { space: StoredSpace; use: FamilyUse[]; full: number }[] = [];
    const fullestFirst = () => kept.sort((a, b) => b.full - a.full).slice(0, max);
    const slices = new TimeSlices();
    let scanned = 0;
    for (let cursor: string | undefined, more = true; more && scanned < MAX_SPACES_SCANNED; ) {
      const limit = Math.min(100, MAX_SPACES_SCANNED - scanned);
      const page = await this.store.listSpaces({ limit, cursor, team: team.labels });
      for (const space of page.items) {
        const { cidrs, counts } = await this.store.freeBlocksOf(space.id, { limit: 0 });
        const use = usePerFamily(cidrs, new FreeBlockTally(counts));
        kept.push({ space, use, full: Math.max(0, ...use.map(shareAllocated)) });
      }
      scanned += page.items.length;
      if (kept.length >= 2 * max) kept = fullestFirst();
      cursor = page.nextCursor ?? undefined;
      more = page.nextCursor !== null;
      if (slices.due()) await slices.pause();
    }
    return fullestFirst().map(({ space, use }) => ({ space, use }));
  }

  /** Free blocks as the fewest CIDRs (the first MAX_FREE_LISTED), how many blocks of a size fit, and use per family. */
  async available(
    idOrName: string,
    prefixLength: number | undefined,
    family: IpFamily | undefined,
    team: Team = Team.EVERYONE,
  ) {
    const space = await this.get(idOrName, team);
    const fitFamily = askedFamily(space, family, prefixLength);
    if (prefixLength !== undefined && prefixLength > bitsOf(fitFamily)) {
      throw DomainError.invalid(
        'PREFIX_LENGTH_INVALID',
        'prefixLength',
        `/${prefixLength} is not an ${familyName(fitFamily)} prefix length`,
      );
    }
    // A space fragmented by thousands of small blocks has hundreds of thousands of free CIDRs:
    // the first are listed, the rest counted by prefix length.
    // Totals from the CIDRs of the same read: a PUT between the two reads cannot skew them.
    const { cidrs, listed, counts } = await this.store.freeBlocksOf(space.id, {
      family,
      limit: MAX_FREE_LISTED,
    });
    const free = new FreeBlockTally(counts);
    return {
      space,
      free: listed,
      freeCount: free.blockCount(family),
      fitting: prefixLength === undefined ? null : free.countFitting(fitFamily, prefixLength),
      use: usePerFamily(cidrs, free),
    };
  }

  async allocate(
    idOrName: string,
    ask: AllocationAsk,
    idempotencyKey: string | undefined,
    caller: Caller = SYSTEM_CALLER,
  ) {
    const space = await this.get(idOrName, caller.team);
    const request = toRequest(space, ask);
    const idempotency =
      idempotencyKey === undefined
        ? undefined
        : { key: idempotencyKey, fingerprint: fingerprint(request, ask.purpose) };
    try {
      return await this.store.allocate(space.id, request, {
        purpose: ask.purpose,
        change: caller.change,
        ownerLabels: caller.team.labels,
        check: (current) => caller.team.assertSeesSpace(idOrName, current.labels),
        ...(idempotency ? { idempotency } : {}),
      });
    } catch (error) {
      throw await this.seenError(caller.team, space, error);
    }
  }

  /** A refusal naming a block keeps its purpose and plan from a team that may not see them (as seenBy). */
  private async seenError(team: Team, space: StoredSpace, error: unknown): Promise<unknown> {
    if (!(error instanceof CidrTakenError) || team.isEveryone) return error;
    const holder = await this.store.allocation(space.id, error.holder.id);
    // Released since the refusal: whose it was cannot be told any more, so it is not named.
    if (holder === undefined) return error.withoutHolder();
    const hidden = await this.hiddenFrom(team, space, [holder]);
    return hidden.size > 0 ? error.withoutHolder() : error;
  }

  async release(idOrName: string, allocationId: string, caller: Caller = SYSTEM_CALLER): Promise<void> {
    const space = await this.get(idOrName, caller.team);
    const { team } = caller;
    // A plan's block goes with the plan: released alone, it could be handed out while in use. The
    // plan keeps naming it (a subnet's CIDR cannot change once a pool uses it, nor an overlay pod
    // CIDR move), and an allocation gets its plan when it is made, never later: no stale read.
    const held = await this.store.allocation(space.id, allocationId);
    await this.store.release(space.id, allocationId, caller.change, (ownerLabels, current) => {
      // As the release reads the space: it may have moved to another team since it was read.
      team.assertSeesSpace(idOrName, current.labels);
      // In a space shared by every team, a team releases only the blocks it took: it sees the
      // others' (their range, as "another team's block"), so the refusal is 403, not 404.
      if (!team.owns(current.labels) && !team.owns(ownerLabels))
        throw new DomainError(
          'ALLOCATION_OF_ANOTHER_TEAM',
          `${held?.cidr ?? allocationId} is another team's block: a team releases only the blocks it took`,
        );
      if (held?.planId != null) {
        // In the team's own space, another team's plan may hold a block: it is not named.
        const whose = team.owns(ownerLabels)
          ? `plan ${held.planId}'s ${held.purpose}`
          : "held by another team's plan";
        throw new DomainError(
          'ALLOCATION_HELD_BY_PLAN',
          `${held.cidr} is ${whose}: it is released when the plan is deleted`,
        );
      }
    });
  }
}

function sameSpace(space: SpaceWrite, write: SpaceWrite): boolean {
  const cidrs = (w: SpaceWrite) => w.cidrs.map(String).join(' ');
  const labels = (w: SpaceWrite) =>
    JSON.stringify(Object.entries(w.labels).sort(([a], [b]) => (a < b ? -1 : 1)));
  return (
    space.name === write.name &&
    space.description === write.description &&
    cidrs(space) === cidrs(write) &&
    labels(space) === labels(write)
  );
}

function toWrite(input: SpaceInput): SpaceWrite {
  return {
    name: input.name,
    description: input.description ?? null,
    cidrs: parseSpace(input.name, input.cidrs),
    labels: checkLabels(input.labels ?? {}),
  };
}

function toRequest(space: StoredSpace, ask: AllocationAsk): AllocationRequest {
  const given = [ask.prefixLength, ask.addresses, ask.cidr].filter((v) => v !== undefined).length;
  if (given !== 1) {
    throw DomainError.invalid(
      'ALLOCATION_SIZE_REQUIRED',
      'prefixLength',
      'give exactly one of prefixLength, addresses or cidr',
    );
  }
  if (ask.cidr !== undefined) {
    const cidr = parseCidr(ask.cidr);
    if (ask.family !== undefined && ask.family !== (cidr.family === 4 ? 'ipv4' : 'ipv6')) {
      throw DomainError.invalid(
        'ADDRESS_FAMILY_NOT_SUPPORTED',
        'family',
        `family ${ask.family} contradicts cidr ${cidr}, which is ${familyName(cidr.family)}: leave family out with a cidr`,
      );
    }
    return { kind: 'cidr', cidr };
  }
  const named = ask.family === undefined ? undefined : ask.family === 'ipv6' ? 6 : 4;
  const family = askedFamily(space, named, ask.prefixLength);
  if (ask.addresses !== undefined) {
    if (family !== 4)
      throw DomainError.invalid(
        'ADDRESS_FAMILY_NOT_SUPPORTED',
        'addresses',
        'addresses sizes IPv4 Azure subnets; give prefixLength for IPv6',
      );
    return { kind: 'size', family, prefixLength: prefixForAddresses(ask.addresses) };
  }
  return { kind: 'size', family, prefixLength: ask.prefixLength ?? bitsOf(family) };
}

/**
 * The family a size is asked in: the one named, else IPv6 for a prefix length only IPv6 has in
 * a space with IPv6, else the space's default (where a /33 is then refused as no IPv4 length).
 * /available and allocations read a size the same way.
 */
function askedFamily(space: StoredSpace, family: IpFamily | undefined, prefixLength?: number): IpFamily {
  if (family !== undefined) return family;
  const onlyIpv6 = prefixLength !== undefined && prefixLength > 32;
  return onlyIpv6 && space.cidrs.some((c) => c.family === 6) ? 6 : defaultFamily(space);
}

function parseCidr(text: string): Cidr {
  const problems = new ProblemCollector();
  const cidr = problems.cidr(text, 'cidr');
  problems.throwIfAny();
  return cidr as Cidr;
}

/** The family a size request means when none is named: IPv4 when the space has any. */
function defaultFamily(space: StoredSpace): IpFamily {
  return space.cidrs.some((c) => c.family === 4) ? 4 : 6;
}

/**
 * What an Idempotency-Key stands for: the request with its defaults applied, so that spelling
 * out `family: "ipv4"` (or asking /21 as 1,581 addresses) is the same request.
 */
function fingerprint(request: AllocationRequest, purpose: string): string {
  const canonical =
    request.kind === 'cidr'
      ? { cidr: request.cidr.toString(), purpose }
      : { family: request.family, prefixLength: request.prefixLength, purpose };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

function usePerFamily(cidrs: readonly Cidr[], free: FreeBlockTally): FamilyUse[] {
  const families = [...new Set(cidrs.map((c) => c.family))].sort();
  return families.map((family) => {
    const total = cidrs.filter((c) => c.family === family).reduce((sum, c) => sum + c.size, 0n);
    const freeAddresses = free.freeAddresses(family);
    return { family, total, allocated: total - freeAddresses, free: freeAddresses };
  });
}
