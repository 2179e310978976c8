import type { Team } from '../domain/auth/team.js';
import { holdsPods } from '../domain/design/range-kind.js';
import { DomainError, notFound } from '../domain/errors.js';
import type { IpAddress } from '../domain/ip/index.js';
import { type LabelSelector, matchesSelectors } from '../domain/labels.js';
import type { SubnetLocator } from '../domain/layout/subnet-locator.js';
import { type LookupAddress, toIpAddress } from '../domain/lookup/lookup-address.js';
import type { PlannedDesign } from '../domain/plan/planner.js';
import type { PlanRef } from '../store/plan-store.js';
import type { Store } from '../store/store.js';
import type { DesignCache } from './design-cache.js';
import { EntryFilter, type IndexEntry, type PlanIndex, type Selection } from './plan-index.js';
import { locatedMatch, type PlanMatch, planMatch, rangeMatches } from './plan-matches.js';
import type { RecordIndex } from './record-index.js';
import { Found, fromRecords, fromStore } from './recorded-lookup.js';
import { TimeSlices } from './time-slices.js';

export type { PlanMatch } from './plan-matches.js';

/** One address answered: its first matches, how many there are in all, and whether some were cut. */
export interface AddressAnswer {
  readonly address: LookupAddress;
  readonly matches: readonly PlanMatch[];
  readonly matchCount: number;
  readonly truncated: boolean;
}

export interface LookupOptions {
  /** Matches returned per address; the rest are counted. */
  readonly limitPerIp: number;
  /** Only these plans (ids or names). */
  readonly plans?: readonly string[] | undefined;
  /** Only plans whose labels satisfy every selector. */
  readonly labels?: readonly LabelSelector[] | undefined;
  /** Only the plans this team sees. */
  readonly team?: Team | undefined;
  /** Answer from the pods recorded at this time (RFC 3339 UTC); without it, the latest records. */
  readonly at?: string | undefined;
  /** When the request arrived (performance.now()): answers reflect every write acknowledged before. */
  readonly receivedAt?: number | undefined;
}

export const LOOKUP_LIMITS = {
  defaultPerIp: 20,
  maxPerIp: 1000,
  /** addresses x limitPerIp above this is refused before any work. */
  maxMatches: 200_000,
} as const;

/** Which plan, node and role an address has, across every stored plan. */
export class LookupService {
  constructor(
    private readonly store: Store,
    private readonly designs: DesignCache,
    private readonly index: PlanIndex,
    private readonly records: RecordIndex,
  ) {}

  /** Builds the plan index from the store (see warmBeforeListening). */
  async warm(): Promise<void> {
    await this.index.sync(undefined, false);
  }

  /** Plans and entries (pod intervals and nodes) of recorded state held in memory. */
  get recordStats(): { plans: number; entries: number } {
    return this.records.stats;
  }

  /** Refuses, before any work, a request whose answer could pass the match bound. */
  static checkSize(addresses: number, limitPerIp: number): void {
    if (addresses * limitPerIp > LOOKUP_LIMITS.maxMatches) {
      throw DomainError.invalid(
        'LOOKUP_TOO_LARGE',
        'limitPerIp',
        `${addresses} addresses x limitPerIp ${limitPerIp} could answer more than ${LOOKUP_LIMITS.maxMatches.toLocaleString('en-US')} matches; send fewer addresses or a lower limitPerIp`,
      );
    }
  }

  /**
   * Every address answered in input order. The work runs in slices of about 10 ms with the event
   * loop let in between, so probes and other requests are answered during the largest batch. A
   * caller that writes the answers in the same turns passes its own slices: one clock for both.
   */
  async lookup(
    addresses: readonly LookupAddress[],
    options: LookupOptions,
    /** A time per address (flow log lines carry their own); options.at where it is undefined. */
    ats?: readonly (string | undefined)[],
    slices: TimeSlices = new TimeSlices(),
  ): Promise<AddressAnswer[]> {
    LookupService.checkSize(addresses.length, options.limitPerIp);
    await this.index.sync(options.receivedAt);
    return this.answered(addresses, options, ats, slices);
  }

  /**
   * One address, answered as `lookup` answers it: at once, without a promise, when the index is
   * current and the address needs nothing read (the usual single lookup); else a promise. Throws
   * where `lookup` would reject, when it throws at once.
   */
  lookupOne(address: LookupAddress, options: LookupOptions): AddressAnswer | Promise<AddressAnswer> {
    LookupService.checkSize(1, options.limitPerIp);
    const syncing = this.index.syncNow(options.receivedAt);
    return syncing === undefined
      ? this.one(address, options)
      : syncing.then(() => this.one(address, options));
  }

  private one(address: LookupAddress, options: LookupOptions): AddressAnswer | Promise<AddressAnswer> {
    const pick = this.index.select(address, options.limitPerIp, this.filterOf(options));
    if (!this.ready(pick)) return this.answered([address], options).then(onlyAnswer);
    const run: LookupRun = { options, ats: undefined, answers: new Array(1), withRecords: [] };
    this.answerAt(run, 0, address, pick, this.cache);
    const [reading] = run.withRecords;
    return reading === undefined ? onlyAnswer(run.answers) : reading.then(() => onlyAnswer(run.answers));
  }

  /** `lookup` past its size check and index sync. */
  private async answered(
    addresses: readonly LookupAddress[],
    options: LookupOptions,
    ats?: readonly (string | undefined)[],
    slices: TimeSlices = new TimeSlices(),
  ): Promise<AddressAnswer[]> {
    const keep = this.filterOf(options);
    const run: LookupRun = { options, ats, answers: new Array(addresses.length), withRecords: [] };
    // Steps of about 1,000 matches, so that a slice is checked every few milliseconds.
    const stepSize = Math.max(8, Math.floor(1024 / options.limitPerIp));
    // Loops and methods, not callbacks: a closure made per call costs more than a lookup does.
    for (let start = 0; start < addresses.length; ) {
      const end = Math.min(addresses.length, start + stepSize);
      const picks: Selection[] = new Array(end - start);
      for (let i = start; i < end; i++)
        picks[i - start] = this.index.select(addresses[i] as LookupAddress, options.limitPerIp, keep);
      // Usually every design is cached or not needed: read the cache then, with no map and no await.
      const designs: Designs = this.allReady(picks) ? this.cache : await this.designsOf(picks, slices);
      let i = start;
      while (i < end) {
        this.answerAt(run, i, addresses[i] as LookupAddress, picks[i - start] as Selection, designs);
        i++;
        // An address whose plans record many nodes at one IP costs more than most: the step
        // ends early when its time is up (the clock read every 8 addresses).
        if (((i - start) & 7) === 0 && slices.due()) break;
      }
      start = i;
      if (slices.due()) await slices.pause();
    }
    if (run.withRecords.length > 0) await Promise.all(run.withRecords);
    return run.answers;
  }

  /** Answers the address at `i`, at once or (its records read first) once `run.withRecords` settle. */
  private answerAt(
    run: LookupRun,
    i: number,
    address: LookupAddress,
    pick: Selection,
    designs: Designs,
  ): void {
    const { chosen, count } = pick;
    const { answers, options } = run;
    // Most plans have no recorded nodes: their answers need no query and no await.
    if (!chosen.some(hasNodes)) {
      answers[i] = answerOf(address, count, chosen, this.predicted(address, chosen, designs));
      return;
    }
    // Records held in memory and current answer at once too; else they are read first.
    const at = run.ats?.[i] ?? options.at;
    // Read once a request: a lookup's clock does not move for retention between addresses.
    run.expiredBefore ??= this.records.expiredBefore();
    const found = new Found(options.limitPerIp);
    if (this.recordedNow(found, address, chosen, designs, at, run.expiredBefore)) {
      answers[i] = answerOf(address, count, chosen, found.matches, found.left);
      return;
    }
    const recorded = this.recorded(
      new Found(options.limitPerIp),
      address,
      chosen,
      designs,
      at,
      run.expiredBefore,
    );
    run.withRecords.push(
      recorded.then(({ matches, left }) => {
        answers[i] = answerOf(address, count, chosen, matches, left);
      }),
    );
  }

  /**
   * The layout's matches of the chosen ranges for an address. An IPv4 node subnet answers from
   * its entry's locator: no design, no BigInt, one match object.
   */
  private predicted(address: LookupAddress, chosen: readonly IndexEntry[], designs: Designs): PlanMatch[] {
    if (chosen.length === 0) return [];
    const [only] = chosen;
    if (only !== undefined && chosen.length === 1 && address.family === 4) {
      // The usual answer: one IPv4 node subnet. An array of its one match, not one grown by a push.
      const locator = locatorOf(only, designs);
      if (locator !== null) return [locatedMatch(locator.match(address.value), only)];
    }
    let ip: IpAddress | undefined;
    const matches: PlanMatch[] = [];
    for (const entry of chosen) {
      const locator = address.family === 4 ? locatorOf(entry, designs) : null;
      if (locator !== null && address.family === 4) {
        matches.push(locatedMatch(locator.match(address.value), entry));
        continue;
      }
      ip ??= toIpAddress(address);
      for (const match of rangeMatches(designs.get(entry.plan), entry, ip))
        matches.push(planMatch(match, entry));
    }
    return matches;
  }

  /**
   * The matches of the chosen ranges with what the plans' records say (see `fromRecords`), when
   * every plan with records holds them in memory, current, into `found`: false when one must be
   * read (`found` is then left for the caller to drop).
   */
  private recordedNow(
    found: Found,
    address: LookupAddress,
    chosen: readonly IndexEntry[],
    designs: Designs,
    at: string | undefined,
    expiredBefore: string,
  ): boolean {
    const { matches } = found;
    for (const entry of chosen) {
      const design = designs.get(entry.plan);
      if (!entry.hasNodes || design === undefined || !holdsPods(entry.kind)) {
        this.pushPredicted(matches, entry, toIpAddress(address), designs);
        continue;
      }
      const records = this.records.current(entry.planId, this.index.changedAt(entry.planId));
      if (records === undefined) return false;
      fromRecords(found, records, address, entry, design, at, expiredBefore);
    }
    return true;
  }

  /**
   * The matches of the chosen ranges with what the plans' records say: the pods recorded at
   * `at` (the latest without it) where there are any, else the recorded nodes over the layout.
   * Records come from memory (read first when not held or out of date), or from the store for
   * plans past the memory budget.
   */
  private async recorded(
    found: Found,
    address: LookupAddress,
    chosen: readonly IndexEntry[],
    designs: Designs,
    at: string | undefined,
    expiredBefore: string,
  ): Promise<Found> {
    const ip = toIpAddress(address);
    const { matches } = found;
    for (const entry of chosen) {
      const design = designs.get(entry.plan);
      if (!entry.hasNodes || design === undefined || !holdsPods(entry.kind)) {
        this.pushPredicted(matches, entry, ip, designs);
        continue;
      }
      const { planId } = entry;
      const records = await this.records.of(planId, this.index.changedAt(planId), this.index.currentVersion);
      if (records !== undefined) fromRecords(found, records, address, entry, design, at, expiredBefore);
      else await fromStore(this.store, found, ip, entry, design, at, expiredBefore);
    }
    return found;
  }

  private pushPredicted(matches: PlanMatch[], entry: IndexEntry, ip: IpAddress, designs: Designs): void {
    for (const match of rangeMatches(designs.get(entry.plan), entry, ip))
      matches.push(planMatch(match, entry));
  }

  /** Which index entries the request's filters keep. */
  private filterOf(options: LookupOptions): EntryFilter | undefined {
    // The usual lookup filters nothing: answered without building empty lists (every GET asks).
    if (!options.plans?.length && !options.labels?.length && (options.team?.isEveryone ?? true))
      return undefined;
    const ids =
      options.plans === undefined || options.plans.length === 0
        ? undefined
        : new Set(
            options.plans.map((idOrName) => {
              const plan = this.index.plan(idOrName);
              if (plan === undefined) throw notFound.plan(idOrName);
              options.team?.assertSeesPlan(idOrName, plan.labels);
              return plan.id;
            }),
          );
    const selectors = [...(options.labels ?? []), ...(options.team?.planSelectors() ?? [])];
    if (ids === undefined && selectors.length === 0) return undefined;
    return new EntryFilter(
      (entry) =>
        (ids === undefined || ids.has(entry.plan.id)) && matchesSelectors(entry.plan.labels, selectors),
    );
  }

  /** Whether every chosen entry answers from its locator or from a cached design. */
  private allReady(picks: readonly Selection[]): boolean {
    // Loops, not callbacks: this runs for every address, and a closure each would be garbage.
    for (const pick of picks) if (!this.ready(pick)) return false;
    return true;
  }

  private ready({ chosen }: Selection): boolean {
    for (const entry of chosen) {
      const answersAlone = entry.locator != null && !entry.hasNodes;
      if (!answersAlone && this.designs.cached(entry.plan) === undefined) return false;
    }
    return true;
  }

  /** The design cache, read as `Designs`. */
  private readonly cache: Designs = { get: (plan) => this.designs.cached(plan) };

  /**
   * Designs of the chosen plans: from the cache, loading the plans it lacks 50 at a time, with
   * the event loop let in between (laying out 1,200 plans at once would hold it for a second).
   */
  private async designsOf(picks: readonly Selection[], slices: TimeSlices): Promise<Designs> {
    const designs = new Map<string, PlannedDesign>();
    const missing = new Set<string>();
    for (const { chosen } of picks) {
      for (const { plan, locator } of chosen) {
        if (designs.has(plan.id) || missing.has(plan.id) || (locator != null && !plan.hasNodes)) continue;
        const cached = this.designs.cached(plan);
        if (cached === undefined) missing.add(plan.id);
        else designs.set(plan.id, cached);
      }
    }
    const ids = [...missing];
    for (let start = 0; start < ids.length; start += 50) {
      for (const plan of await this.store.getPlans(ids.slice(start, start + 50))) {
        designs.set(plan.id, this.designs.design(plan));
        if (slices.due()) await slices.pause();
      }
    }
    return { get: (plan) => designs.get(plan.id) };
  }
}

/**
 * The entry's locator, taken from the plan's design the first time one is at hand: null for
 * ranges without one, and undefined while the design has not been laid out.
 */
function locatorOf(entry: IndexEntry, designs: Designs): SubnetLocator | null {
  if (entry.locator !== undefined) return entry.hasNodes ? null : entry.locator;
  const design = designs.get(entry.plan);
  if (design === undefined) return null;
  entry.locator = design.model.nodeSubnetLocator(entry.cidr) ?? null;
  return entry.hasNodes ? null : entry.locator;
}

const hasNodes = (entry: IndexEntry) => entry.hasNodes;

function onlyAnswer(answers: readonly AddressAnswer[]): AddressAnswer {
  const [answer] = answers;
  if (answer === undefined) throw new Error('one address has one answer');
  return answer;
}

function answerOf(
  address: LookupAddress,
  count: number,
  chosen: readonly IndexEntry[],
  matches: PlanMatch[],
  /** Matches found and left out (recorded pods sharing the address past the limit). */
  left = 0,
): AddressAnswer {
  // Each range holding an address answers it once, so the ones not evaluated count one each.
  const matchCount = matches.length + left + count - chosen.length;
  return { address, matches, matchCount, truncated: matchCount > matches.length };
}

/** One call of `lookup`: its answers as they land, and what they wait for. */
interface LookupRun {
  readonly options: LookupOptions;
  readonly ats: readonly (string | undefined)[] | undefined;
  readonly answers: AddressAnswer[];
  readonly withRecords: Promise<void>[];
  expiredBefore?: string;
}

/** Where the designs of a lookup's plans are read from. */
interface Designs {
  get(plan: PlanRef): PlannedDesign | undefined;
}
