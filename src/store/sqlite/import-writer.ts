import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import type { PodAddress } from '../../domain/pods/pod-address.js';
import { yieldToEventLoop } from '../../event-loop.js';
import { workerScript } from '../../worker-script.js';
import type { PodImportResult } from '../plan-store.js';
import { intervalValues } from '../pod-row.js';
import type { ImportAnswer, ImportJob } from './import-write.js';

/** Intervals an import opens and closes, past which it is written on the writer's thread (about 10 ms here). */
export const ROWS_WRITTEN_ELSEWHERE = 2_000;
/** Rows sent to the thread at a time: a few milliseconds to make and copy. */
const ROWS_PER_PART = 5_000;
const WORKER = workerScript(import.meta.url, 'import-worker');

/**
 * Writes large pod imports on a thread with a connection of its own to the database file. One
 * SQLite transaction writes them, and a first import of 100,000 pods held the event loop for
 * 1.9 s in it; lookups, probes and other reads now go on meanwhile (WAL lets them read the last
 * commit). The store's own writes wait for it (UnitsOfWork.exclusive), so none waits for SQLite's
 * lock on the event loop.
 */
export class ImportWriter {
  private worker: Worker | undefined;

  constructor(private readonly path: string) {}

  /** Writes the job with `opened` as its new intervals; undefined when the job came too late. */
  async write(job: ImportJob, opened: readonly PodAddress[]): Promise<PodImportResult | undefined> {
    const worker = this.started();
    const { port1, port2 } = new MessageChannel();
    const answer = answerOn(port1, worker);
    worker.ref(); // a process awaiting the write lives until it is answered
    try {
      worker.postMessage({ job, port: port2 }, [port2]);
      for (let start = 0; start < opened.length; start += ROWS_PER_PART) {
        if (start > 0) await yieldToEventLoop();
        const part = opened.slice(start, start + ROWS_PER_PART);
        port1.postMessage(part.map((pod) => intervalValues(pod, job.at)));
      }
      port1.postMessage('end');
      return await answer;
    } finally {
      port1.close();
      worker.unref();
    }
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private started(): Worker {
    if (this.worker !== undefined) return this.worker;
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
function answerOn(port: MessagePort, worker: Worker): Promise<PodImportResult | undefined> {
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
