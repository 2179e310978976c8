/**
 * Large kubectl lists are parsed on a worker thread and cut to the fields their reader reads:
 * a route answers such a body as the main thread's parser would, value and refusals alike.
 */

import { MessagePort } from 'node:worker_threads';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { projected } from '../../src/domain/kubectl-list.js';
import { KUBECTL_NODE_FIELDS } from '../../src/domain/nodes/kubectl-import.js';
import { registerErrorHandling } from '../../src/http/error-handler.js';
import { PARSE_IN_WORKER_BYTES, registerJsonBody } from '../../src/http/json-body.js';
import { ListParser } from '../../src/http/list-parser.js';
import { MAX_ITEM_VALUES, MAX_LIST_ITEMS, VALUES_PER_PART } from '../../src/http/list-protocol.js';

const fields = KUBECTL_NODE_FIELDS;
/** Text no reader reads that takes a body past the worker's threshold. */
const padding = 'x'.repeat(PARSE_IN_WORKER_BYTES + 1000);

const node = (i: number) => ({
  metadata: { name: `aks-system-${i}`, labels: { agentpool: 'system', zone: '1' }, uid: `u${i}` },
  spec: { podCIDR: `10.244.${i}.0/24`, providerID: 'azure:///x' },
  status: { addresses: [{ type: 'InternalIP', address: `10.240.0.${4 + i}` }], images: [{ names: ['a'] }] },
});

let app: FastifyInstance;
const lists = new ListParser();

beforeAll(async () => {
  app = Fastify({ bodyLimit: 16 * 1024 * 1024 });
  registerErrorHandling(app);
  registerJsonBody(app, lists);
  // The same echo twice: a list route, parsed off the event loop past the threshold, and a plain one.
  app.post('/list', { config: { listItemFields: fields } }, async (request) => request.body);
  app.post('/plain', async (request) => request.body);
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await lists.close();
});

const post = (url: string, payload: string | Buffer) =>
  app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json' } });

describe('a large list body', () => {
  it('comes back cut to the fields its reader reads, every item in order', async () => {
    const items = Array.from({ length: 2507 }, (_, i) => node(i % 250));
    const document = { apiVersion: 'v1', kind: 'List', items, metadata: { padding } };
    const res = await post('/list', JSON.stringify(document));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ items: items.map((item) => projected(item, fields)) });
  });

  /** Bodies past the threshold, each answered by the plain route (the main thread's parser). */
  const refused: [string, string | Buffer][] = [
    ['malformed', `{"items":[${JSON.stringify(padding)}`],
    ['a __proto__ key', `{"items":[{"metadata":{"__proto__":{"x":1}}}],"p":${JSON.stringify(padding)}}`],
    ['a constructor with a prototype', `{"items":[{"constructor":{"prototype":{}}}],"p":"${padding}"}`],
    ['too deep', `{"items":[${'['.repeat(40)}${']'.repeat(40)}],"p":"${padding}"}`],
    ['a NUL character', `{"items":[{"metadata":{"name":"a\\u0000b"}}],"p":"${padding}"}`],
    ['a lone surrogate', `{"items":[{"metadata":{"name":"a\\ud800"}}],"p":"${padding}"}`],
  ];
  for (const [what, body] of refused) {
    it(`holding ${what} is refused as the main thread's parser refuses it`, async () => {
      const [offThread, plain] = [await post('/list', body), await post('/plain', body)];
      expect(plain.statusCode).toBeGreaterThanOrEqual(400);
      const answer = (res: typeof plain) => [res.statusCode, { ...res.json(), instance: undefined }];
      expect(answer(offThread)).toEqual(answer(plain));
    });
  }

  const notLists: [string, unknown][] = [
    ['an array', [padding]],
    ['a string', padding],
    ['an object without items', { padding }],
    ['items that are no list', { items: { padding } }],
    ['items that are text', { items: padding }],
  ];
  for (const [what, document] of notLists) {
    it(`that is ${what} stands in as a value of its type, never crossing whole`, async () => {
      const res = await post('/list', JSON.stringify(document));
      expect(res.statusCode).toBe(200);
      // A string comes back as the route returns it: the text itself, here empty.
      const back = typeof document === 'string' ? res.body : res.json();
      expect(typeof back).toBe(typeof document);
      expect(Array.isArray(back)).toBe(Array.isArray(document));
      expect(JSON.stringify(back).length).toBeLessThan(100);
    });
  }

  it('is decoded as the main thread decodes it: a byte-order mark dropped, bad UTF-8 refused alike', async () => {
    const text = JSON.stringify({ items: [{ metadata: { name: 'n' } }], p: padding });
    const withMark = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    const [offThread, plain] = [await post('/list', withMark), await post('/plain', withMark)];
    expect(offThread.statusCode).toBe(plain.statusCode);
    expect(offThread.json().items).toEqual(
      plain.json().items.map((item: unknown) => projected(item, fields)),
    );
    const badUtf8 = Buffer.from(text.replace('"n"', '"n\u00ff"'), 'latin1');
    const refused = [await post('/list', badUtf8), await post('/plain', badUtf8)];
    for (const res of refused) {
      expect([res.statusCode, res.json().code]).toEqual([400, 'MALFORMED_JSON']);
      expect(res.json().detail).toContain(`offset ${text.indexOf('"n"') + 2}`);
    }
  });

  it('comes back in parts of about 50,000 values, each asked for when the last is in', async () => {
    // A cut node holds 12 values: 5,000 of them are 60,000, in two parts.
    const items = Array.from({ length: 5000 }, (_, i) => node(i % 250));
    const tiny = Array.from({ length: VALUES_PER_PART * 3 + 1 }, () => 0);
    const asks = vi.spyOn(MessagePort.prototype, 'postMessage');
    try {
      for (const [list, parts] of [
        [items, 2],
        [tiny, 4],
      ] as const) {
        asks.mockClear();
        const parsed = await lists.parse(Buffer.from(JSON.stringify({ items: list, p: padding })), fields);
        expect((parsed as { items: unknown[] }).items).toEqual(list.map((item) => projected(item, fields)));
        expect(asks.mock.calls.filter(([message]) => message === 'next')).toHaveLength(parts);
      }
    } finally {
      asks.mockRestore();
    }
  });

  it('of up to MAX_LIST_ITEMS items crosses in parts like any other; a longer one as an empty stand-in', async () => {
    const listOf = (count: number) => Buffer.from(`{"items":[${'{"a":1},'.repeat(count - 1)}{"a":1}]}`);
    const asks = vi.spyOn(MessagePort.prototype, 'postMessage');
    try {
      const parsed = (await lists.parse(listOf(MAX_LIST_ITEMS), fields)) as { items: unknown[] };
      expect([parsed.items.length, parsed.items[0], parsed.items[MAX_LIST_ITEMS - 1]]).toEqual([
        MAX_LIST_ITEMS,
        {},
        {},
      ]);
      expect(asks.mock.calls.filter(([message]) => message === 'next')).toHaveLength(
        Math.ceil(MAX_LIST_ITEMS / VALUES_PER_PART),
      );
      asks.mockClear();
      // One item more: as long, no item sent, so the schema's maximum refuses it unread.
      const tooLong = (await lists.parse(listOf(MAX_LIST_ITEMS + 1), fields)) as { items: unknown[] };
      expect(tooLong.items.length).toBe(MAX_LIST_ITEMS + 1);
      expect(Object.keys(tooLong.items)).toHaveLength(0);
      expect(asks.mock.calls.filter(([message]) => message === 'next')).toHaveLength(0);
    } finally {
      asks.mockRestore();
    }
  });

  it('with an item of more values than cross at once is refused, naming the item', async () => {
    const addresses = Array.from({ length: MAX_ITEM_VALUES / 3 }, () => ({
      type: 'InternalIP',
      address: '10.0.0.1',
    }));
    const heavy = JSON.stringify({ items: [node(1), { status: { addresses }, unread: 1 }] });
    const res = await post('/list', heavy);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      code: 'ITEM_TOO_LARGE',
      errors: [{ code: 'ITEM_TOO_LARGE', path: 'items[1]' }],
    });
    // Values outside the fields read do not count: they never cross.
    const unread = Array.from({ length: 2 * MAX_ITEM_VALUES }, () => 0); // 2 MB: parsed by the worker
    const padded = JSON.stringify({ items: [{ ...node(1), unread }] });
    expect((await post('/list', padded)).statusCode).toBe(200);
  });

  it('is refused once closed, and parses nothing more', async () => {
    const closing = new ListParser();
    await closing.close();
    await expect(closing.parse(Buffer.from('{"items":[]}'), fields)).rejects.toThrow(/closing/);
  });

  it('that runs the worker out of memory is refused as too large, and a new worker parses the next', async () => {
    const small = new ListParser(48);
    try {
      // 600,000 items of two objects each: some 100 MB parsed, far past a heap of 48 MiB.
      const items = Array.from({ length: 600_000 }, (_, i) => `{"metadata":{"name":"n${i}"}}`);
      const many = Buffer.from(`{"items":[${items.join(',')}]}`);
      await expect(small.parse(many, fields)).rejects.toMatchObject({ code: 'BODY_TOO_LARGE' });
      const one = { items: [node(1)] };
      await expect(small.parse(Buffer.from(JSON.stringify(one)), fields)).resolves.toEqual({
        items: [projected(node(1), fields)],
      });
    } finally {
      await small.close();
    }
  }, 60_000);

  it('is parsed on the main thread below the threshold, or on a route that reads no list', async () => {
    const small = { items: [node(1)], extra: 'kept' };
    expect((await post('/list', JSON.stringify(small))).json()).toEqual(small);
    const large = { items: [node(1)], extra: padding };
    expect((await post('/plain', JSON.stringify(large))).json()).toEqual(large);
  });
});
