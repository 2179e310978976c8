import { once } from 'node:events';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { yieldToEventLoop } from '../../event-loop.js';
import { OnDemandWorker } from '../../on-demand-worker.js';
import { workerScript } from '../../worker-script.js';
import type { PodImportResult } from '../plan-store.js';
import type {
  CheckpointMessage,
  HandedBack,
  ImportAnswer,
  ImportJob,
  ImportJobMessage,
  JobResult,
} from './import-write.js';
import { BUSY_TIMEOUT_MS, busyAsUnavailable } from './sqlite-connection.js';

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
  private readonly worker: OnDemandWorker;

  constructor(path: string, busyTimeoutMs = BUSY_TIMEOUT_MS) {
    this.worker = new OnDemandWorker('the import writer', WORKER, { workerData: { path, busyTimeoutMs } });
  }

  /** Writes the job with a row for each item, as `valuesOf` gives it, or hands it back. */
  write<J extends ImportJob, T>(
    job: J,
    items: readonly T[],
    valuesOf: (item: T) => readonly unknown[],
  ): Promise<JobResult<J> | HandedBack> {
    return this.exchange(
      (port) => ({ job, port }),
      async (port) => {
        for (let start = 0; start < items.length; start += ROWS_PER_PART) {
          if (start > 0) await yieldToEventLoop();
          port.postMessage(items.slice(start, start + ROWS_PER_PART).map(valuesOf));
        }
        port.postMessage('end');
      },
    ) as Promise<JobResult<J> | HandedBack>;
  }

  /** A checkpoint of the write-ahead log, made on the thread (see WalCheckpoints). */
  async checkpoint(): Promise<void> {
    await this.exchange((checkpoint) => ({ checkpoint }));
  }

  /**
   * One message to the thread, carrying a port of its own (`message`), then `send` on this end of
   * it, and the thread's answer there.
   */
  private exchange(
    message: (port: MessagePort) => ImportJobMessage | CheckpointMessage,
    send: (port: MessagePort) => Promise<void> = async () => {},
  ): Promise<PodImportResult | true | HandedBack> {
    return this.worker.run(async (worker) => {
      const { port1, port2 } = new MessageChannel();
      try {
        const answer = answerOn(port1);
        worker.postMessage(message(port2), [port2]);
        await send(port1);
        return await answer;
      } finally {
        port1.close();
      }
    });
  }

  /** Ends the thread; a write asked for afterwards fails rather than start another. */
  close(): Promise<void> {
    return this.worker.close();
  }
}

/** The thread's answer on the job's port. */
async function answerOn(port: MessagePort): Promise<PodImportResult | true | HandedBack> {
  const [answer] = (await once(port, 'message')) as [ImportAnswer];
  if (answer.kind === 'written') return answer.result;
  throw busyAsUnavailable(
    Object.assign(new Error(answer.message), answer.code === undefined ? {} : { code: answer.code }),
  );
}
