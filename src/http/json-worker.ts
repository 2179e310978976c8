/**
 * The worker thread that parses large JSON lists (see ListParser): the parse, the body checks
 * and the cut to the fields read run here, off the event loop, and the items go back a part at
 * a time, each when it is asked for.
 */
import { once } from 'node:events';
import { type MessagePort, parentPort } from 'node:worker_threads';
import sjson from 'secure-json-parse';
import { isObject, projected } from '../domain/kubectl-list.js';
import { forbiddenKeyProblem, refusedTextProblem, tooDeepProblem } from './json-checks.js';
import { ITEMS_PER_PART, type ListJob, type ListMessage, standIn } from './list-parser.js';

let queue: Promise<void> = Promise.resolve();
parentPort?.on('message', (job: ListJob) => {
  // One list at a time: two large imports at once take turns, as they would on one core.
  queue = queue.then(() => parseList(job));
});

async function parseList({ bytes, fields, port }: ListJob): Promise<void> {
  const send = (message: ListMessage) => port.postMessage(message);
  try {
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    let value: unknown;
    try {
      // As Fastify's own JSON parser does: prototype poisoning refused as malformed text.
      value = sjson.parse(text, { protoAction: 'error', constructorAction: 'error' });
    } catch {
      return send({ kind: 'refused', problem: forbiddenKeyProblem(text) });
    }
    const problem = tooDeepProblem(value) ?? refusedTextProblem(text, value);
    if (problem !== undefined) return send({ kind: 'refused', problem });
    const items = isObject(value) ? value.items : undefined;
    if (!Array.isArray(items)) return send({ kind: 'whole', value: standIn(value) });
    send({ kind: 'list', parts: Math.ceil(items.length / ITEMS_PER_PART) });
    for (let start = 0; start < items.length; start += ITEMS_PER_PART) {
      await asked(port);
      const part = items.slice(start, start + ITEMS_PER_PART).map((item) => projected(item, fields));
      send({ kind: 'items', items: part });
    }
  } catch (error) {
    send({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
  } finally {
    port.close();
  }
}

async function asked(port: MessagePort): Promise<void> {
  await once(port, 'message');
}
