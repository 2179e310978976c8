import { randomUUID } from 'node:crypto';
import type { MessagePort } from 'node:worker_threads';
import type { Database, Statement } from 'better-sqlite3';
import type { ChangeContext } from '../../domain/auth/actor.js';
import type { AuditTarget } from '../audit-store.js';
import type { PodImportResult } from '../plan-store.js';
import { AuditRows } from './audit-rows.js';
import { type ComparedImport, PodHistory } from './pod-history.js';

/**
 * A pod import the store compared and checked, handed to a write on another connection (its
 * rows travel apart, a part at a time): what the write needs to commit it as the store would.
 */
export interface ImportJob extends Omit<ComparedImport, 'rows'> {
  readonly planId: string;
  /** The plan's revision when the caller's check passed: any change since voids the job. */
  readonly revision: number;
  /** The audit entry's time, from the store's clock. */
  readonly recordedAt: string;
  readonly change: ChangeContext;
  readonly target: AuditTarget;
}

/**
 * The whole write of a compared pod import, in one transaction: its intervals and the audit
 * entry (pod_imports' triggers log the plan's change for the lookup indexes). Answers undefined, writing nothing, when the plan
 * changed or had another import after the comparison: the store then writes the import itself.
 */
export class ImportWrites {
  private readonly history: PodHistory;
  private readonly revision: Statement<[string], number>;

  constructor(private readonly db: Database) {
    this.history = new PodHistory(db);
    this.revision = db.prepare<[string], number>('SELECT revision FROM plans WHERE id = ?').pluck();
  }

  write(job: ImportJob, rows: readonly (readonly unknown[])[]): PodImportResult | undefined {
    return this.db
      .transaction(() => {
        if (this.revision.get(job.planId) !== job.revision) return undefined;
        const result = this.history.writeCompared(job.planId, { ...job, rows });
        if (result === undefined) return undefined;
        const clock = { now: () => new Date(job.recordedAt), newId: randomUUID };
        new AuditRows(this.db, clock).record(job.change, { action: 'pods.import', target: job.target });
        return result;
      })
      .immediate();
  }
}

/** A job sent to the import writer's thread: its rows follow on `port` a part at a time, then 'end'. */
export interface ImportJobMessage {
  readonly job: ImportJob;
  readonly port: MessagePort;
}

/** What the thread answers on the job's port. */
export type ImportAnswer =
  | { readonly kind: 'written'; readonly result: PodImportResult | null }
  | { readonly kind: 'failed'; readonly message: string; readonly code?: string };
