import { once } from 'node:events';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { ItemFields } from '../domain/kubectl-list.js';
import { OnDemandWorker } from '../on-demand-worker.js';
import { workerScript } from '../worker-script.js';
import type { ListJob, ListMessage } from './list-protocol.js';
import { RequestError } from './problem.js';

/**
 * Parses large kubectl lists on a worker thread. `JSON.parse` of a 32 MiB node list holds the
 * event loop for 200-500 ms; here it runs on another thread, with the body's checks, and only
 * the fields the list's reader reads come back, a part of about 50,000 values at a time. A body
 * is answered as the main thread's parser answers it: the same value (cut to those fields),
 * the same refusals. One thing more is refused: an item too heavy to cross (ITEM_TOO_LARGE),
 * which no real list holds and which would hold the event loop to read.
 */
export class ListParser {
  private readonly worker: OnDemandWorker;

  constructor(
    /** The worker's heap, in MiB (see WORKER_HEAP_MB). */
    heapMb = WORKER_HEAP_MB,
  ) {
    const options = { resourceLimits: { maxOldGenerationSizeMb: heapMb } };
    this.worker = new OnDemandWorker('the JSON worker', WORKER, options, tooLargeWhenOutOfMemory);
  }

  async parse(body: Buffer, fields: ItemFields): Promise<unknown> {
    return this.worker.run(async (worker) => {
      const { port1, port2 } = new MessageChannel();
      try {
        const bytes = ownBytes(body);
        const job: ListJob = { bytes, fields, port: port2 };
        worker.postMessage(job, [port2, bytes.buffer as ArrayBuffer]);
        return await received(port1);
      } finally {
        port1.close();
      }
    });
  }

  close(): Promise<void> {
    return this.worker.close();
  }
}

/**
 * The worker's heap: a 64 MiB list of millions of tiny values takes about 1.5 GB to parse. Past
 * it the worker ends, its parses are refused, and the next starts a new one; the service lives.
 */
export const WORKER_HEAP_MB = 2048;

/** A worker that ran out of memory refused the body as too large: 413, not 500. */
function tooLargeWhenOutOfMemory(error: Error): Error {
  if ((error as { code?: string }).code !== 'ERR_WORKER_OUT_OF_MEMORY') return error;
  const message = 'the body holds more values than the service parses at once: send a smaller list';
  return new RequestError('BODY_TOO_LARGE', message);
}

const WORKER = workerScript(import.meta.url, 'json-worker');

/** The body's bytes in a buffer of their own, to hand over to the worker without a copy. */
function ownBytes(body: Buffer): Uint8Array {
  const whole = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength;
  return whole ? body : new Uint8Array(body);
}

/** The worker's answer: the value, or the error the main thread's parser would have given. */
async function received(port: MessagePort): Promise<unknown> {
  const first = await next(port);
  switch (first.kind) {
    case 'refused':
      throw RequestError.of(first.problem);
    case 'failed':
      throw new Error(first.message);
    case 'whole':
      return first.value;
    case 'list':
      return { items: await itemsOf(port, first.parts) };
    default:
      throw new Error(`unexpected ${first.kind} from the JSON worker`);
  }
}

/**
 * The list's items, each part asked for when the last is in: a part is read in a callback of
 * its own, and the event loop runs other work while the worker answers.
 */
async function itemsOf(port: MessagePort, parts: number): Promise<unknown[]> {
  const items: unknown[] = [];
  for (let k = 0; k < parts; k++) {
    port.postMessage('next');
    const part = await next(port);
    if (part.kind !== 'items') throw new Error(`unexpected ${part.kind} from the JSON worker`);
    for (const item of part.items) items.push(item);
  }
  return items;
}

async function next(port: MessagePort): Promise<ListMessage> {
  const [message] = (await once(port, 'message')) as [ListMessage];
  return message;
}
