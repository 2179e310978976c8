import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { DomainError, notFound } from '../domain/errors.js';
import { type LabelSelector, matchesSelectors } from '../domain/labels.js';
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
    return Promise.all(
      found.map(async ({ address, kept, chosen }) => {
        const matches: PlanMatch[] = [];
        for (const entry of chosen) matches.push(...(await this.matchesIn(entry, address, designs)));
        // Each range holding an address answers it once, so the ones not evaluated count one each.
        const matchCount = matches.length + kept.length - chosen.length;
        return { address, matches, matchCount, truncated: matchCount > matches.length };
      }),
    );
  }

  /** The matches of one plan range for an address: the layout's answer, and what recorded nodes say. */
  private async matchesIn(
    entry: IndexEntry,
    address: LookupAddress,
    designs: ReadonlyMap<string, PlannedDesign>,
  ): Promise<PlanMatch[]> {
    const design = designs.get(entry.plan.id);
    if (design === undefined) return []; // deleted since the index was read
    const ip = toIpAddress(address);
    const predicted = design.model.lookup(ip).filter((m) => m.range.equals(entry.cidr));
    let sourced: SourcedMatch[] = predicted;
    if (entry.plan.hasNodes) {
      const named = predicted.flatMap((m) => (m.nodeIp === undefined ? [] : [m.nodeIp]));
      const nodes = await this.store.nodesAt(entry.plan.id, [ip, ...named], [ip]);
      sourced = withRecords(ip, predicted, matchNodes(design.model, nodes));
    } else {
      sourced = withRecords(ip, predicted, []);
    }
    return sourced.map((m) => ({ ...m, planId: entry.plan.id, planName: entry.plan.name }));
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
