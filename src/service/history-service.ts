import { Team } from '../domain/auth/team.js';
import { withCanonicalAddresses } from '../domain/design/canonical-addresses.js';
import { notFound } from '../domain/errors.js';
import { diffSpecs, type SpecChange } from '../domain/plan/spec-diff.js';
import type { AuditEntry, AuditQuery, AuditStore, PlanRevision } from '../store/audit-store.js';
import type { Page, PageQuery } from '../store/page.js';
import type { Store } from '../store/store.js';
import { deleteInBatches } from './retention-batches.js';
import { storedTime } from './stored-time.js';
import type { Principal } from './token-service.js';

export type { AuditEntry, AuditQuery, PlanRevision } from '../store/audit-store.js';
export { AUDIT_ACTIONS } from '../store/audit-store.js';

/** A revision as its history lists it: who, when, and what changed from the one before. */
export interface RevisionSummary {
  readonly revision: PlanRevision;
  readonly changes: readonly SpecChange[];
}

/** Who changed what (the audit trail), and every revision of every plan. */
export class HistoryService {
  private readonly audit: AuditStore;

  constructor(private readonly store: Store) {
    this.audit = store.audit;
  }

  /** Times may carry any offset: they are compared in UTC, as entries are stored. */
  entries(query: AuditQuery): Promise<Page<AuditEntry>> {
    return this.audit.entries({
      ...query,
      since: query.since === undefined ? undefined : storedTime(query.since),
      until: query.until === undefined ? undefined : storedTime(query.until),
    });
  }

  /** Removes audit entries older than `days` days, in batches; answers how many. */
  forgetOlderThan(days: number, now: Date = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - days * 24 * 60 * 60 * 1000);
    return deleteInBatches((limit) => this.audit.forgetBefore(cutoff, limit));
  }

  /** A plan's revisions, newest first, each with its changes from the one before. */
  async revisions(idOrName: string, caller: Principal, page: PageQuery): Promise<Page<RevisionSummary>> {
    const planId = await this.planIdOf(idOrName, caller);
    // A team reads only the revisions that were its own: a plan moved from another team keeps
    // that team's revisions (and what they held) from it. The store leaves them out of the
    // page, so that pages and cursors do not count them either.
    const team = Team.of(caller);
    const found = await this.audit.planRevisions(planId, page, team.labels);
    const oldest = found.items.at(-1);
    const beforeOldest =
      oldest === undefined || oldest.revision <= 1
        ? undefined
        : await this.audit.planRevision(planId, oldest.revision - 1);
    const previous = [...found.items.slice(1), beforeOldest];
    const items = found.items.map((revision, i) => {
      const before = previous[i];
      // Changes from the revision just before, when the team saw that one too.
      const comparable =
        before !== undefined && before.revision === revision.revision - 1 && team.seesPlan(before.labels);
      // Revisions stored before addresses were written canonically compare as they are meant.
      const changes = comparable
        ? diffSpecs(withCanonicalAddresses(before.spec), withCanonicalAddresses(revision.spec))
        : [];
      return { revision, changes };
    });
    return { items, nextCursor: found.nextCursor };
  }

  async revision(idOrName: string, caller: Principal, revision: number): Promise<PlanRevision> {
    const planId = await this.planIdOf(idOrName, caller);
    const found = await this.audit.planRevision(planId, revision);
    if (found === undefined || !Team.of(caller).seesPlan(found.labels))
      throw notFound.revision(idOrName, revision);
    return found;
  }

  /**
   * The id of a stored plan by id or name; a deleted plan's history is found by its id, and
   * only by admins (to others it does not exist).
   */
  private async planIdOf(idOrName: string, caller: Principal): Promise<string> {
    const plan = await this.store.getPlan(idOrName);
    if (plan !== undefined) {
      Team.of(caller).assertSeesPlan(idOrName, plan.labels);
      return plan.id;
    }
    // Plans deleted after migration 012 may have no revision 1: any kept revision will do.
    if (caller.scope === 'admin' && (await this.audit.planRevisions(idOrName, { limit: 1 })).items.length > 0)
      return idOrName;
    throw notFound.plan(idOrName);
  }
}
