/**
 * The worker thread that parses large JSON lists (see ListParser): the parse, the body checks
 * and the cut to the fields read run here, off the event loop, and the items go back a part at
 * a time, each when it is asked for (every part is cut before the first is sent).
 */
import { once } from 'node:events';
import { type MessagePort, parentPort } from 'node:worker_threads';
import sjson from 'secure-json-parse';
import { isObject, projected } from '../domain/kubectl-list.js';
import { refusedTextProblem, tooDeepProblem, unparsedBodyProblem } from './json-checks.js';
import {
  heavyItemProblem,
  type ListJob,
  type ListMessage,
  MAX_LIST_ITEMS,
  partsOf,
  standIn,
  tooLongStandIn,
} from './list-protocol.js';
import { notUtf8Problem } from './utf8.js';

let queue: Promise<void> = Promise.resolve();
parentPort?.on('message', (job: ListJob) => {
  // One list at a time: two large imports at once take turns, as they would on one core.
  queue = queue.then(() => parseList(job));
});

async function parseList({ bytes, fields, port }: ListJob): Promise<void> {
  const send = (message: ListMessage) => port.postMessage(message);
  try {
    const notUtf8 = notUtf8Problem(bytes);
    if (notUtf8 !== undefined) return send({ kind: 'refused', problem: notUtf8 });
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    let value: unknown;
    try {
      // As Fastify's own JSON parser does: prototype poisoning refused as malformed text.
      value = sjson.parse(text, { protoAction: 'error', constructorAction: 'error' });
    } catch {
      return send({ kind: 'refused', problem: unparsedBodyProblem(text) });
    }
    const problem = tooDeepProblem(value) ?? refusedTextProblem(text, value);
    if (problem !== undefined) return send({ kind: 'refused', problem });
    const items = isObject(value) ? value.items : undefined;
    if (!Array.isArray(items)) return send({ kind: 'whole', value: standIn(value) });
    if (items.length > MAX_LIST_ITEMS) return send({ kind: 'whole', value: tooLongStandIn() });
    const cut = partsOf(items.map((item) => projected(item, fields)));
    if ('heavyItem' in cut) return send({ kind: 'refused', problem: heavyItemProblem(cut.heavyItem) });
    const { parts } = cut;
    send({ kind: 'list', parts: parts.length });
    for (const part of parts) {
      await asked(port);
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
