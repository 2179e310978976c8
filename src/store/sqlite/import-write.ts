import { randomUUID } from 'node:crypto';
import type { MessagePort } from 'node:worker_threads';
import type { Database, Statement } from 'better-sqlite3';
import type { ChangeContext } from '../../domain/auth/actor.js';
import { DomainError } from '../../domain/errors.js';
import type { AuditAction, AuditTarget } from '../audit-store.js';
import type { PodImportResult } from '../plan-store.js';
import { AuditRows } from './audit-rows.js';
import { IndexRows } from './index-rows.js';
import { type NodeValues, PlanNodes } from './plan-nodes.js';
import { type ComparedImport, PodHistory } from './pod-history.js';

/**
 * An import the store checked, handed to a write on another connection (its rows travel apart,
 * a part at a time): what the write needs to commit it as the store would.
 */
interface CheckedImport {
  readonly planId: string;
  /** The plan's revision when the caller's check passed: any change since voids the job. */
  readonly revision: number;
  /** The audit entry's time, from the store's clock (and a node's, without observedAt). */
  readonly recordedAt: string;
  readonly change: ChangeContext;
  readonly target: AuditTarget;
}

/** A pod import, compared with the plan's open intervals; its rows are intervalValues. */
export interface PodsJob extends CheckedImport, Omit<ComparedImport, 'rows'> {
  readonly kind: 'pods';
}

/** Nodes recorded or imported (the whole list); its rows are NodeValues. */
export interface NodesJob extends CheckedImport {
  readonly kind: 'nodes';
  readonly action: Extract<AuditAction, 'nodes.record' | 'nodes.import'>;
  readonly observedAt?: string;
}

export type ImportJob = PodsJob | NodesJob;

/** What a job's write answers: the pod import's result, or nothing for nodes. */
export type JobResult<J extends ImportJob> = J extends PodsJob ? PodImportResult : true;

/**
 * A job the write gives back unwritten: `compare-again` when the plan changed (or had another
 * pod import) after the store's check, so the store checks it again and sends it anew;
 * `write-here` when the write refuses it, for the store to write it itself and give its refusal.
 */
export type HandedBack = 'compare-again' | 'write-here';

/**
 * The whole write of a checked import, in one transaction: its rows, the lookup indexes' change
 * note and the audit entry; or, writing nothing, why the store has it back (HandedBack).
 */
export class ImportWrites {
  private readonly history: PodHistory;
  private readonly nodes: PlanNodes;
  private readonly index: IndexRows;
  private readonly audit: AuditRows;
  private readonly revision: Statement<[string], number>;
  private recordedAt = new Date(0);

  constructor(private readonly db: Database) {
    const clock = { now: () => this.recordedAt, newId: randomUUID };
    this.history = new PodHistory(db);
    this.nodes = new PlanNodes(db, clock);
    this.index = new IndexRows(db);
    this.audit = new AuditRows(db, clock);
    this.revision = db.prepare<[string], number>('SELECT revision FROM plans WHERE id = ?').pluck();
  }

  /**
   * Copies the write-ahead log's committed pages into the database file, as far as no reader
   * holds them (PASSIVE: it waits for no lock), for WalCheckpoints.
   */
  checkpoint(): true {
    this.db.pragma('wal_checkpoint(PASSIVE)');
    return true;
  }

  write<J extends ImportJob>(job: J, rows: readonly (readonly unknown[])[]): JobResult<J> | HandedBack {
    this.recordedAt = new Date(job.recordedAt);
    try {
      const written = this.db.transaction(() => this.written(job, rows)).immediate();
      return (written ?? 'compare-again') as JobResult<J> | HandedBack;
    } catch (error) {
      if (error instanceof DomainError) return 'write-here';
      throw error;
    }
  }

  /** The job written, or undefined when the plan changed after the store's check. */
  private written(job: ImportJob, rows: readonly (readonly unknown[])[]): PodImportResult | true | undefined {
    if (this.revision.get(job.planId) !== job.revision) return undefined;
    const result = job.kind === 'pods' ? this.podsWritten(job, rows) : this.nodesWritten(job, rows);
    if (result === undefined) return undefined;
    this.index.noteChange(job.planId);
    const action = job.kind === 'pods' ? 'pods.import' : job.action;
    this.audit.record(job.change, { action, target: job.target });
    return result;
  }

  private podsWritten(job: PodsJob, rows: readonly (readonly unknown[])[]): PodImportResult | undefined {
    return this.history.writeCompared(job.planId, { ...job, rows });
  }

  private nodesWritten(job: NodesJob, rows: readonly (readonly unknown[])[]): true {
    const nodes = rows as readonly NodeValues[];
    if (job.action === 'nodes.import') this.nodes.replaceRows(job.planId, nodes, job.observedAt);
    else this.nodes.upsertRows(job.planId, nodes, job.observedAt);
    return true;
  }
}

/** A job sent to the import writer's thread: its rows follow on `port` a part at a time, then 'end'. */
export interface ImportJobMessage {
  readonly job: ImportJob;
  readonly port: MessagePort;
}

/** A checkpoint asked of the import writer's thread (see WalCheckpoints), answered on `checkpoint`. */
export interface CheckpointMessage {
  readonly checkpoint: MessagePort;
}

/** What the thread answers on the job's port. */
export type ImportAnswer =
  | { readonly kind: 'written'; readonly result: PodImportResult | true | HandedBack }
  | { readonly kind: 'failed'; readonly message: string; readonly code?: string };
