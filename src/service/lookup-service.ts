import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { DomainError, notFound } from '../domain/errors.js';
import type { IpAddress } from '../domain/ip/index.js';
import { type LabelSelector, matchesSelectors } from '../domain/labels.js';
import type { AddressMatch } from '../domain/layout/layout-types.js';
import { type LookupAddress, toIpAddress } from '../domain/lookup/lookup-address.js';
import { matchNodes } from '../domain/nodes/real-node.js';
import { type SourcedMatch, withRecords } from '../domain/nodes/recorded-matches.js';
import type { PlannedDesign } from '../domain/plan/planner.js';
import type { Store } from '../store/store.js';
import type { DesignCache } from './design-cache.js';
import type { IndexEntry, PlanIndex } from './plan-index.js';

export interface PlanMatch extends SourcedMatch {
  readonly planId: string;
  readonly planName: string;
}

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
}

export const LOOKUP_LIMITS = {
  defaultPerIp: 20,
  maxPerIp: 1000,
  /** addresses x limitPerIp above this is refused before any work. */
  maxMatches: 200_000,
  /** Addresses answered between two yields to the event loop, so that no request holds it long. */
  chunk: 2000,
} as const;

/** Which plan, node and role an address has, across every stored plan. */
export class LookupService {
  constructor(
    private readonly store: Store,
    private readonly designs: DesignCache,
    private readonly index: PlanIndex,
  ) {}

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

  /** Every address answered in input order, yielding to the event loop between chunks. */
  async lookup(addresses: readonly LookupAddress[], options: LookupOptions): Promise<AddressAnswer[]> {
    LookupService.checkSize(addresses.length, options.limitPerIp);
    await this.index.sync();
    const keep = this.filterOf(options);
    const answers: AddressAnswer[] = [];
    for (let start = 0; start < addresses.length; start += LOOKUP_LIMITS.chunk) {
      if (start > 0) await yieldToEventLoop();
      const chunk = addresses.slice(start, start + LOOKUP_LIMITS.chunk);
      answers.push(...(await this.answerChunk(chunk, options.limitPerIp, keep)));
    }
    return answers;
  }

  private async answerChunk(
    addresses: readonly LookupAddress[],
    limit: number,
    keep: (entry: IndexEntry) => boolean,
  ): Promise<AddressAnswer[]> {
    const found = addresses.map((address) => {
      const all = this.index.candidates(address);
      const kept = all.length === 0 ? all : all.filter(keep);
      return { address, kept, chosen: kept.length > limit ? kept.slice(0, limit) : kept };
    });
    const designs = await this.designsOf(found.flatMap((f) => f.chosen));
    const answers: AddressAnswer[] = new Array(found.length);
    const withRecords: Promise<void>[] = [];
    for (let i = 0; i < found.length; i++) {
      const { address, kept, chosen } = found[i] as (typeof found)[number];
      // Most plans have no recorded nodes: their answers need no query and no await.
      if (!chosen.some(hasNodes))
        answers[i] = answerOf(address, kept, chosen, this.predicted(address, chosen, designs));
      else {
        const recorded = this.recorded(address, chosen, designs);
        withRecords.push(
          recorded.then((matches) => void (answers[i] = answerOf(address, kept, chosen, matches))),
        );
      }
    }
    await Promise.all(withRecords);
    return answers;
  }

  /** The layout's matches of the chosen ranges for an address. */
  private predicted(
    address: LookupAddress,
    chosen: readonly IndexEntry[],
    designs: ReadonlyMap<string, PlannedDesign>,
  ): PlanMatch[] {
    if (chosen.length === 0) return [];
    const ip = toIpAddress(address);
    const matches: PlanMatch[] = [];
    for (const entry of chosen) {
      for (const match of this.layoutMatches(entry, ip, designs)) matches.push(planMatch(match, entry));
    }
    return matches;
  }

  /** The matches of the chosen ranges with what the plans' recorded nodes say. */
  private async recorded(
    address: LookupAddress,
    chosen: readonly IndexEntry[],
    designs: ReadonlyMap<string, PlannedDesign>,
  ): Promise<PlanMatch[]> {
    const ip = toIpAddress(address);
    const matches: PlanMatch[] = [];
    for (const entry of chosen) {
      const predicted = this.layoutMatches(entry, ip, designs);
      const design = designs.get(entry.plan.id);
      if (!entry.plan.hasNodes || design === undefined) {
        for (const match of predicted) matches.push(planMatch(match, entry));
        continue;
      }
      const named = predicted.flatMap((m) => (m.nodeIp === undefined ? [] : [m.nodeIp]));
      const nodes = await this.store.nodesAt(entry.plan.id, [ip, ...named], [ip]);
      for (const match of withRecords(ip, predicted, matchNodes(design.model, nodes))) {
        matches.push({ ...match, planId: entry.plan.id, planName: entry.plan.name });
      }
    }
    return matches;
  }

  /** What the plan's layout says of the address, in this one range. */
  private layoutMatches(
    entry: IndexEntry,
    ip: IpAddress,
    designs: ReadonlyMap<string, PlannedDesign>,
  ): AddressMatch[] {
    const design = designs.get(entry.plan.id);
    if (design === undefined) return []; // deleted since the index was read
    const matches = design.model.lookupIn(entry.kind, ip);
    return matches.length === 1 && matches[0]?.range === entry.cidr
      ? matches
      : matches.filter((m) => m.range.equals(entry.cidr));
  }

  /** Which index entries the request's filters keep. */
  private filterOf(options: LookupOptions): (entry: IndexEntry) => boolean {
    const ids =
      options.plans === undefined || options.plans.length === 0
        ? undefined
        : new Set(
            options.plans.map((idOrName) => {
              const plan = this.index.plan(idOrName);
              if (plan === undefined) throw notFound.plan(idOrName);
              return plan.id;
            }),
          );
    const selectors = options.labels ?? [];
    if (ids === undefined && selectors.length === 0) return () => true;
    return (entry) =>
      (ids === undefined || ids.has(entry.plan.id)) && matchesSelectors(entry.plan.labels, selectors);
  }

  /** Designs of the chosen plans: from the cache, loading only the plans it lacks in one read. */
  private async designsOf(entries: readonly IndexEntry[]): Promise<Map<string, PlannedDesign>> {
    const designs = new Map<string, PlannedDesign>();
    const missing = new Set<string>();
    for (const { plan } of entries) {
      if (designs.has(plan.id)) continue;
      const cached = this.designs.cached(plan);
      if (cached === undefined) missing.add(plan.id);
      else designs.set(plan.id, cached);
    }
    if (missing.size > 0) {
      for (const plan of await this.store.getPlans([...missing]))
        designs.set(plan.id, this.designs.design(plan));
    }
    return designs;
  }
}

/** A layout match named with its plan; node and pod matches are predicted (no node recorded). */
function planMatch(match: AddressMatch, entry: IndexEntry): PlanMatch {
  return new PredictedMatch(match, entry.plan.id, entry.plan.name);
}

/** A class, not a literal: one hidden class for millions of matches keeps this path fast. */
class PredictedMatch implements PlanMatch {
  readonly role: AddressMatch['role'];
  readonly kind: AddressMatch['kind'];
  readonly range: AddressMatch['range'];
  readonly pool: string | undefined;
  readonly nodeIndex: number | undefined;
  readonly nodeIp: AddressMatch['nodeIp'];
  readonly note: string | undefined;
  readonly source: 'predicted' | undefined;

  constructor(
    match: AddressMatch,
    readonly planId: string,
    readonly planName: string,
  ) {
    this.role = match.role;
    this.kind = match.kind;
    this.range = match.range;
    this.pool = match.pool;
    this.nodeIndex = match.nodeIndex;
    this.nodeIp = match.nodeIp;
    this.note = match.note;
    this.source = match.role === 'node' || match.role === 'pod' ? 'predicted' : undefined;
  }
}

const hasNodes = (entry: IndexEntry) => entry.plan.hasNodes;

function answerOf(
  address: LookupAddress,
  kept: readonly IndexEntry[],
  chosen: readonly IndexEntry[],
  matches: PlanMatch[],
): AddressAnswer {
  // Each range holding an address answers it once, so the ones not evaluated count one each.
  const matchCount = matches.length + kept.length - chosen.length;
  return { address, matches, matchCount, truncated: matchCount > matches.length };
}
