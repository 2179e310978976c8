import type { RangeKind } from '../domain/design/range-kind.js';
import type { Cidr } from '../domain/ip/index.js';
import type { SubnetLocator } from '../domain/layout/subnet-locator.js';
import type { LookupAddress } from '../domain/lookup/lookup-address.js';
import { RangeIndex } from '../domain/lookup/range-index.js';
import type { IndexChanges, IndexedPlan, PlanIndexSource } from '../store/plan-store.js';
import { TimeSlices } from './time-slices.js';

/** One range of one plan, as the index files it. */
export interface IndexEntry {
  readonly plan: IndexedPlan;
  /** The plan's id, name and `hasNodes` again: a lookup reads them without touching the plan. */
  readonly planId: string;
  readonly planName: string;
  readonly hasNodes: boolean;
  readonly kind: RangeKind;
  readonly cidr: Cidr;
  /**
   * An IPv4 node subnet's locator, kept once a lookup has laid the plan out (null: the range has
   * none). A few hundred bytes per subnet, so matches need no design, whatever the cache holds.
   */
  locator: SubnetLocator | null | undefined;
}

const CURRENT: Promise<void> = Promise.resolve();

/**
 * Every stored plan's ranges in memory, so that "which plans hold this address" costs hash
 * probes instead of queries. Never stale: each lookup first reads the store's change version
 * (one cheap query) and applies what changed since, whichever process wrote it.
 */
export class PlanIndex {
  private filed = new FiledPlans();
  private version = -1;
  /** The version of each plan's last change since the last rebuild (rebuiltAt before that). */
  private readonly changed = new Map<string, number>();
  private rebuiltAt = 0;
  private catchingUp: Promise<void> | undefined;
  /** Reused by `select`, which never hands it out: one array less per address looked up. */
  private readonly found: IndexEntry[][] = [];

  constructor(
    private readonly source: PlanIndexSource,
    /** Told of each plan the index drops: what is kept of it elsewhere (its records) can go. */
    private readonly onRemoved: (planId: string) => void = () => {},
    /** How long a rebuild files plans before it lets the event loop in. */
    private readonly sliceMs = 10,
  ) {
    // Caught up in the background when another replica commits; a failure waits for the next lookup.
    source.onPlanChanges?.(() => {
      if (this.version >= 0) this.sync().catch(() => undefined);
    });
  }

  get planCount(): number {
    return this.filed.plans.size;
  }

  /** The change version the index has caught up to. */
  get currentVersion(): number {
    return this.version;
  }

  /**
   * The version of the plan's last change the index has seen (a write of the plan, or an import
   * of its pods or nodes): what was read of the plan at an earlier version is out of date.
   */
  changedAt(planId: string): number {
    return this.changed.get(planId) ?? this.rebuiltAt;
  }

  /**
   * Brings the index up to every change committed before this call, or before `since`
   * (performance.now() when the request arrived). `inSlices: false` rebuilds in one pass, for
   * the build before the port opens: pausing makes it about 15% slower (100,000 plans: 2.0-2.5 s
   * against 1.8-2.1 s), with nothing to serve.
   */
  sync(since?: number, inSlices = true): Promise<void> {
    try {
      return this.syncNow(since, inSlices) ?? CURRENT;
    } catch (error) {
      return Promise.reject(error); // a store that reads at once throws at once
    }
  }

  /**
   * `sync` without a promise when there is nothing to wait for: undefined when the store tells
   * at once that the index is current (SQLite does), else the promise of catching up. A single
   * lookup then answers in the turn it arrived: each promise it awaited cost more than its work.
   */
  syncNow(since?: number, inSlices = true): Promise<void> | undefined {
    const latest = this.source.changeVersion(since);
    if (typeof latest !== 'number') return latest.then((read) => this.catchUpTo(read, inSlices));
    return this.version >= latest ? undefined : this.catchUpTo(latest, inSlices);
  }

  private async catchUpTo(latest: number, inSlices: boolean): Promise<void> {
    while (this.version < latest) {
      this.catchingUp ??= this.catchUp(inSlices ? this.sliceMs : Number.POSITIVE_INFINITY).finally(() => {
        this.catchingUp = undefined;
      });
      await this.catchingUp;
    }
  }

  /**
   * The first `limit` entries (by plan id) whose ranges hold the address and that `filter`
   * keeps, and how many there are in all. Buckets are kept sorted by plan id, so this reads only
   * the heads of at most one bucket per prefix length: 1,200 plans reusing one pod CIDR cost the
   * same as one. A filter reads each bucket once per request (see EntryFilter).
   */
  select(address: LookupAddress, limit: number, filter?: EntryFilter): Selection {
    if (address.family === 4) {
      const found = this.filed.ranges.collectIpv4(address.value, this.found);
      const only = this.found[0];
      if (found === 1 && only !== undefined) return firstOf(filter?.of(only) ?? only, limit);
      return found === 0 ? NOTHING : merged(filtered(this.found.slice(0, found), filter), limit);
    }
    const buckets = this.filed.ranges.buckets(address.address);
    const [only] = buckets;
    if (buckets.length === 1 && only !== undefined) return firstOf(filter?.of(only) ?? only, limit);
    return buckets.length === 0 ? NOTHING : merged(filtered(buckets, filter), limit);
  }

  /** Every indexed plan, in no particular order. */
  allPlans(): IndexedPlan[] {
    return [...this.filed.plans.values()].map((known) => known.plan);
  }

  /** A plan by id or by name (an id wins). */
  plan(idOrName: string): IndexedPlan | undefined {
    return this.filed.plans.get(idOrName)?.plan ?? this.filed.byName.get(idOrName);
  }

  private async catchUp(sliceMs: number): Promise<void> {
    const changes = this.version < 0 ? undefined : await this.source.indexChangesSince(this.version);
    if (changes === undefined) await this.rebuild(await this.source.indexSnapshot(), sliceMs);
    else this.apply(changes);
  }

  /**
   * Files every plan aside, a slice at a time, and swaps the result in whole: filing 100,000
   * plans takes seconds, and a lookup meanwhile reads the index as it was, never half built.
   */
  private async rebuild(
    snapshot: { version: number; plans: readonly IndexedPlan[] },
    sliceMs: number,
  ): Promise<void> {
    const fresh = new FiledPlans();
    const slices = new TimeSlices(sliceMs);
    // In id order, each plan is appended to the buckets it shares (a splice into the middle of
    // the 100,000 sharing a service CIDR made the build quadratic). The stores answer in that
    // order, so the sort is one pass; it stays for any other source.
    for (const plan of [...snapshot.plans].sort(byId)) {
      fresh.put(plan);
      await slices.maybePause();
    }
    // Plans still there keep what is held of them elsewhere: it catches up, changed or not.
    for (const id of this.filed.plans.keys()) if (!fresh.plans.has(id)) this.onRemoved(id);
    this.filed = fresh;
    this.version = snapshot.version;
    this.changed.clear();
    this.rebuiltAt = snapshot.version;
  }

  private apply(changes: IndexChanges): void {
    this.filed.update(changes.plans, changes.removed);
    for (const id of changes.removed) {
      this.changed.delete(id);
      this.onRemoved(id);
    }
    for (const plan of changes.plans) this.changed.set(plan.id, changes.version);
    this.version = Math.max(this.version, changes.version);
  }
}

/** The plans' entries filed by range, by id and by name. */
class FiledPlans {
  readonly ranges = new RangeIndex<IndexEntry>(byPlanId);
  readonly plans = new Map<string, { plan: IndexedPlan; entries: IndexEntry[] }>();
  readonly byName = new Map<string, IndexedPlan>();

  /** Files a plan not filed yet (a rebuild files each plan once, in id order). */
  put(plan: IndexedPlan): void {
    for (const entry of this.listed(plan)) this.ranges.add(entry.cidr, entry);
  }

  /**
   * Files changed plans in place of what was filed of them, and unfiles removed ones, touching
   * each shared bucket once for the whole change (see RangeIndex.replace).
   */
  update(plans: readonly IndexedPlan[], removed: readonly string[]): void {
    const out: [Cidr, IndexEntry][] = [];
    for (const id of [...removed, ...plans.map((plan) => plan.id)]) {
      for (const entry of this.unlisted(id)) out.push([entry.cidr, entry]);
    }
    const latest = new Map(plans.map((plan) => [plan.id, plan])); // the last of an id wins
    const into: [Cidr, IndexEntry][] = [];
    for (const plan of latest.values()) for (const entry of this.listed(plan)) into.push([entry.cidr, entry]);
    this.ranges.replace(out, into);
  }

  /** Lists the plan by id and name, and answers its entries, to be filed. */
  private listed(plan: IndexedPlan): IndexEntry[] {
    const entries: IndexEntry[] = plan.ranges.map((range) => ({
      plan,
      planId: plan.id,
      planName: plan.name,
      hasNodes: plan.hasNodes,
      kind: range.kind,
      cidr: range.cidr,
      locator: range.kind === 'node-subnet' && range.cidr.family === 4 ? undefined : null,
    }));
    this.plans.set(plan.id, { plan, entries });
    this.byName.set(plan.name, plan);
    return entries;
  }

  /** Takes the plan off the lists, and answers its entries, to be unfiled (none when not listed). */
  private unlisted(id: string): readonly IndexEntry[] {
    const known = this.plans.get(id);
    if (known === undefined) return [];
    this.plans.delete(id);
    if (this.byName.get(known.plan.name) === known.plan) this.byName.delete(known.plan.name);
    return known.entries;
  }
}

/** The entries chosen for one address, and how many its filters keep in all. */
export interface Selection {
  readonly chosen: readonly IndexEntry[];
  readonly count: number;
}

const NOTHING: Selection = { chosen: [], count: 0 };

/** A bucket's first `limit` entries (the bucket itself when it has no more). */
function firstOf(bucket: readonly IndexEntry[], limit: number): Selection {
  return { chosen: bucket.length > limit ? bucket.slice(0, limit) : bucket, count: bucket.length };
}

const byId = (a: IndexedPlan, b: IndexedPlan) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function byPlanId(a: IndexEntry, b: IndexEntry): number {
  return a.planId < b.planId ? -1 : a.planId > b.planId ? 1 : 0;
}

/**
 * A request's filter (plans asked for, label selectors, a team's labels), with what it kept of
 * each bucket it met: every address of a request in 10,000 plans' shared pod CIDR reads that
 * bucket once, not once per address. What it kept is what the index held when it first looked.
 */
export class EntryFilter {
  private readonly kept = new Map<readonly IndexEntry[], readonly IndexEntry[]>();

  constructor(private readonly keep: (entry: IndexEntry) => boolean) {}

  of(bucket: readonly IndexEntry[]): readonly IndexEntry[] {
    let kept = this.kept.get(bucket);
    if (kept === undefined) {
      kept = bucket.filter(this.keep);
      this.kept.set(bucket, kept);
    }
    return kept;
  }
}

function filtered(
  buckets: readonly (readonly IndexEntry[])[],
  filter: EntryFilter | undefined,
): readonly (readonly IndexEntry[])[] {
  return filter === undefined ? buckets : buckets.map((bucket) => filter.of(bucket));
}

/** Merges sorted buckets, keeping the first `limit` entries and counting every one. */
function merged(buckets: readonly (readonly IndexEntry[])[], limit: number): Selection {
  const count = buckets.reduce((sum, bucket) => sum + bucket.length, 0);
  const heads = buckets.map(() => 0);
  const chosen: IndexEntry[] = [];
  while (chosen.length < limit) {
    let best = -1;
    buckets.forEach((bucket, b) => {
      const head = bucket[heads[b] as number];
      const current = buckets[best]?.[heads[best] as number];
      if (head !== undefined && (current === undefined || byPlanId(head, current) < 0)) best = b;
    });
    const entry = buckets[best]?.[heads[best] as number];
    if (entry === undefined) break;
    heads[best] = (heads[best] as number) + 1;
    chosen.push(entry);
  }
  return { chosen, count };
}
