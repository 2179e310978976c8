import type { Labels } from '../../domain/labels.js';
import type { AuditEntry, AuditQuery, AuditStore, PlanRevision } from '../audit-store.js';
import type { Page, PageQuery } from '../page.js';
import type { AuditRows } from './audit-rows.js';
import type { UnitsOfWork } from './units-of-work.js';

/** Reading the audit trail and plan history in SQLite; the writes record them. */
export class SqliteAuditStore implements AuditStore {
  constructor(
    private readonly units: UnitsOfWork,
    private readonly rows: AuditRows,
  ) {}

  entries(query: AuditQuery): Promise<Page<AuditEntry>> {
    return this.units.read(() => this.rows.entries(query));
  }

  forgetBefore(cutoff: Date, limit: number): Promise<number> {
    return this.units.write(() => this.rows.forgetBefore(cutoff, limit));
  }

  planRevisions(planId: string, page: PageQuery, team: Labels = {}): Promise<Page<PlanRevision>> {
    return this.units.read(() => this.rows.revisions(planId, page, team));
  }

  planRevision(planId: string, revision: number): Promise<PlanRevision | undefined> {
    return this.units.read(() => this.rows.revision(planId, revision));
  }
}
