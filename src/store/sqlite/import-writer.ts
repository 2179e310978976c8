import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import { yieldToEventLoop } from '../../event-loop.js';
import { workerScript } from '../../worker-script.js';
import type { PodImportResult } from '../plan-store.js';
import type { ImportAnswer, ImportJob, JobResult } from './import-write.js';

/** Rows an import writes (intervals opened and closed, nodes), past which the writer's thread writes it. */
export const ROWS_WRITTEN_ELSEWHERE = 2_000;
/** Rows sent to the thread at a time: a few milliseconds to make and copy. */
const ROWS_PER_PART = 5_000;
const WORKER = workerScript(import.meta.url, 'import-worker');

/**
 * Writes large pod and node imports on a thread with a connection of its own to the database
 * file. One SQLite transaction writes each, and a first import of 100,000 pods held the event
 * loop for 1.9 s in it (5,000 changed nodes: about 0.1 s); lookups, probes and other reads
 * now go on meanwhile (WAL lets them read the last commit). The store's own writes wait for it
 * (UnitsOfWork.elsewhereExclusive), so none waits for SQLite's lock on the event loop.
 */
export class ImportWriter {
  private worker: Worker | undefined;
  private closed = false;

  constructor(private readonly path: string) {}

  /**
   * Writes the job with a row for each item, as `valuesOf` gives it; undefined when the store is
   * to write the job itself (see ImportWrites).
   */
  async write<J extends ImportJob, T>(
    job: J,
    items: readonly T[],
    valuesOf: (item: T) => readonly unknown[],
  ): Promise<JobResult<J> | undefined> {
    const worker = this.started();
    const { port1, port2 } = new MessageChannel();
    const answer = answerOn(port1, worker);
    worker.ref(); // a process awaiting the write lives until it is answered
    try {
      worker.postMessage({ job, port: port2 }, [port2]);
      for (let start = 0; start < items.length; start += ROWS_PER_PART) {
        if (start > 0) await yieldToEventLoop();
        port1.postMessage(items.slice(start, start + ROWS_PER_PART).map(valuesOf));
      }
      port1.postMessage('end');
      return (await answer) as JobResult<J> | undefined;
    } finally {
      port1.close();
      worker.unref();
    }
  }

  /** Ends the thread; a write asked for afterwards fails rather than start another. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private started(): Worker {
    if (this.worker !== undefined) return this.worker;
    if (this.closed) throw new Error('the store is closed');
    const worker = new Worker(WORKER.script, { eval: WORKER.eval, workerData: { path: this.path } });
    worker.unref(); // an idle writer does not keep the process alive
    worker.on('error', () => {}); // each write in progress is told (answerOn)
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
    });
    this.worker = worker;
    return worker;
  }
}

/** The thread's answer on the job's port, or the error that ended the thread first. */
function answerOn(port: MessagePort, worker: Worker): Promise<PodImportResult | true | undefined> {
  return new Promise((resolve, reject) => {
    const failed = (error: Error) => settle(() => reject(error));
    const exited = (code: number) =>
      settle(() => reject(new Error(`the import writer exited with code ${code}`)));
    const settle = (then: () => void) => {
      worker.off('error', failed);
      worker.off('exit', exited);
      then();
    };
    worker.on('error', failed);
    worker.on('exit', exited);
    port.once('message', (answer: ImportAnswer) =>
      settle(() => {
        if (answer.kind === 'written') resolve(answer.result ?? undefined);
        else
          reject(
            Object.assign(new Error(answer.message), answer.code === undefined ? {} : { code: answer.code }),
          );
      }),
    );
  });
}
