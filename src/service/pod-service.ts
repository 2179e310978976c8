import { Team } from '../domain/auth/team.js';
import { DomainError } from '../domain/errors.js';
import type { IpAddress } from '../domain/ip/index.js';
import { historyTime } from '../domain/pods/address-history.js';
import { readKubectlPods } from '../domain/pods/kubectl-pods.js';
import type { Page, PageQuery } from '../store/page.js';
import type { PodImportResult } from '../store/plan-store.js';
import type { StoredInterval } from '../store/pod-row.js';
import type { Store } from '../store/store.js';
import { type Caller, SYSTEM_CALLER } from './caller.js';
import { PlanService } from './plan-service.js';
import { deleteInBatches } from './retention-batches.js';
import { readInSlices, TimeSlices } from './time-slices.js';

/** How far ahead of this replica's clock an observation may be dated: other machines' clocks drift. */
const FUTURE_SKEW_MS = 5 * 60_000;
/** Pod items read between looks at the clock: about a millisecond's work. */
const POD_ITEMS_PER_CHECK = 200;

/** What the clusters really did: pod imports, the history they build, and its retention. */
export class PodService {
  constructor(
    private readonly store: Store,
    private readonly plans: PlanService,
    private readonly now: () => Date = () => new Date(),
    /** Retention's horizon: intervals that ended before it are not listed, pruned yet or not. */
    private readonly expiredBefore: () => string = () => '',
    /** How long a slice of an import's checks runs before the event loop gets a turn. */
    private readonly sliceMs = 10,
  ) {}

  /** Records `kubectl get pods -A -o json` as observed at `observedAt` (RFC 3339; default now). */
  async import(
    idOrName: string,
    document: unknown,
    observedAt: string | undefined,
    caller: Caller = SYSTEM_CALLER,
  ): Promise<PodImportResult> {
    const now = this.now();
    const at = observedAt === undefined ? now.toISOString() : observedBy(observedAt, now);
    const asked = await this.plans.get(idOrName, caller.team);
    // A list of 100,000 pods takes a second to check: read in slices, the loop runs between them.
    const observed = await readInSlices(
      readKubectlPods(document),
      POD_ITEMS_PER_CHECK,
      new TimeSlices(this.sliceMs),
    );
    // Read again, by id, in the write's turn: the plan may have moved to another team meanwhile.
    const { plan } = await this.plans.again(asked, idOrName, caller.team);
    const check = PlanService.stillSeen(idOrName, caller.team);
    return this.store.recordPods(plan.id, observed, at, caller.change, check);
  }

  /** Every interval of one address in a plan that retention keeps, newest first. */
  async history(
    idOrName: string,
    ip: IpAddress,
    page: PageQuery,
    team: Team = Team.EVERYONE,
  ): Promise<Page<StoredInterval>> {
    const { plan } = await this.plans.get(idOrName, team);
    return this.store.addressHistory(plan.id, ip, page, this.expiredBefore());
  }
}

/** Drops intervals closed more than `days` before `now`, in batches; answers how many went. */
export async function forgetPodHistory(store: Store, days: number, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - days * 24 * 60 * 60 * 1000).toISOString();
  return deleteInBatches((limit) => store.pruneAddressHistory(cutoff, limit));
}

/**
 * An import's `observedAt`: an RFC 3339 time no later than `now`. Imports only move forward in
 * time, so one dated ahead would lock out every import until then: a time within the clocks'
 * drift ahead is recorded as now, a later one is refused.
 */
export function observedBy(text: string, now: Date): string {
  const at = observationTime(text, 'observedAt');
  const ahead = Date.parse(at) - now.getTime();
  if (ahead > FUTURE_SKEW_MS) {
    throw DomainError.invalid(
      'OBSERVED_AT_INVALID',
      'observedAt',
      `${at} is in the future: a list is observed now or earlier (clocks may differ by ${FUTURE_SKEW_MS / 60_000} minutes)`,
    );
  }
  return ahead > 0 ? now.toISOString() : at;
}

/** An RFC 3339 time as the history keeps it, or a 4xx naming `path`. */
export function observationTime(text: string, path: string): string {
  const at = historyTime(text);
  if (at === undefined) {
    throw DomainError.invalid(
      'OBSERVED_AT_INVALID',
      path,
      `"${text.slice(0, 64)}" is not an RFC 3339 time with a zone, such as 2026-11-30T14:03:00Z`,
    );
  }
  return at;
}
