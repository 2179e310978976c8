import { connect, type Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { timedOut } from '../../src/http/timeouts.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import { TEST_ADMIN_TOKEN } from './support/app.js';

const AUTH = `Authorization: Bearer ${TEST_ADMIN_TOKEN}\r\n`;

const TIMEOUTS = { requestMs: 400, idleMs: 400, keepAliveMs: 400, headersMs: 400 };
let app: FastifyInstance | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await app?.close();
  app = undefined;
});

async function listening(
  timeouts = TIMEOUTS,
  routes: (app: FastifyInstance) => void = () => {},
): Promise<number> {
  app = await buildApp({
    store: openSqliteStore(':memory:'),
    timeouts,
    adminToken: TEST_ADMIN_TOKEN,
  });
  routes(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('not listening');
  return address.port;
}

/** A raw connection: what it has received, and when it closed. */
function open(port: number): { socket: Socket; received: () => string; closed: Promise<number> } {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  let text = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    text += chunk;
  });
  const started = Date.now();
  const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now() - started)));
  return { socket, received: () => text, closed };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a slow client is cut off; a moving stream is not', () => {
  it('answers 408 REQUEST_TIMEOUT and closes when a body trickles past the request timeout', async () => {
    const port = await listening();
    const before = timedOut.requests;
    const { socket, received, closed } = open(port);
    socket.write(
      `POST /v1/calculations HTTP/1.1\r\nHost: x\r\n${AUTH}Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"na`,
    );
    const keepTrickling = setInterval(() => socket.writable && socket.write(' '), 100);
    const after = await closed;
    clearInterval(keepTrickling);
    expect(received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(received()).toContain('"code":"REQUEST_TIMEOUT"');
    expect(after).toBeGreaterThanOrEqual(TIMEOUTS.requestMs - 50);
    expect(after).toBeLessThan(5_000);
    expect(timedOut.requests).toBe(before + 1);
  });

  it('answers 408 REQUEST_TIMEOUT when a body stops arriving for the idle timeout', async () => {
    // The idle timeout comes first: the client is told, rather than its connection closed unanswered.
    const timeouts = { ...TIMEOUTS, requestMs: 5_000 };
    const port = await listening(timeouts);
    const { socket, received, closed } = open(port);
    socket.write(
      `POST /v1/calculations HTTP/1.1\r\nHost: x\r\n${AUTH}Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"na`,
    );
    const after = await closed;
    expect(received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(received()).toContain(`"detail":"no more of the request arrived for ${timeouts.idleMs} ms"`);
    expect(after).toBeGreaterThanOrEqual(timeouts.idleMs - 50);
    expect(after).toBeLessThan(timeouts.requestMs);
  });

  it.each([
    ['in time', TIMEOUTS],
    // The headers' own bound alone would wait 60 s: a request must arrive whole in requestMs.
    ['by the request timeout, when it is the shorter', { ...TIMEOUTS, headersMs: 60_000 }],
  ])('cuts off a client whose headers do not arrive %s', async (_, timeouts) => {
    const port = await listening(timeouts);
    const { socket, received, closed } = open(port);
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
    const keepTrickling = setInterval(() => socket.writable && socket.write('X-A: b\r\n'), 100);
    const after = await closed;
    clearInterval(keepTrickling);
    expect(after).toBeLessThan(5_000);
    expect(received()).toMatch(/^(HTTP\/1\.1 408 |$)/);
  });

  it('lets a streamed lookup run past the request timeout while lines keep coming, and ends an idle one', async () => {
    const port = await listening();
    const { socket, received, closed } = open(port);
    socket.write(
      `POST /v1/lookup HTTP/1.1\r\nHost: x\r\n${AUTH}Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n`,
    );
    for (let i = 0; i < 8; i++) {
      const line = `10.0.0.${i}\n`;
      socket.write(`${line.length.toString(16)}\r\n${line}\r\n`);
      await sleep(150); // 1.2 s in all: three request timeouts
    }
    socket.write('0\r\n\r\n');
    await sleep(200);
    const answered = received().match(/"ip":"10\.0\.0\.\d"/g) ?? [];
    expect(answered).toHaveLength(8);

    const idle = open(port);
    idle.socket.write(
      `POST /v1/lookup HTTP/1.1\r\nHost: x\r\n${AUTH}Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n10.0.\r\n`,
    );
    const after = await idle.closed;
    expect(after).toBeGreaterThanOrEqual(TIMEOUTS.idleMs - 50);
    expect(after).toBeLessThan(5_000);
    socket.destroy();
    await closed;
  });
});

describe('a request worked on is bounded by the request timeout, its answer by the idle one', () => {
  const LONG_REQUESTS = { ...TIMEOUTS, requestMs: 3_000, idleMs: 300 };

  it('answers a request whose work outlasts the idle timeout (nothing moves on its socket meanwhile)', async () => {
    const port = await listening(LONG_REQUESTS, (app) =>
      app.post('/slow', { config: { scope: 'read' } }, async () => {
        await sleep(900); // three idle timeouts: a large import waiting for the write lock
        return { done: true };
      }),
    );
    for (const attempt of [1, 2]) {
      const { socket, received, closed } = open(port);
      socket.write(
        `POST /slow HTTP/1.1\r\nHost: x\r\n${AUTH}Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`,
      );
      await sleep(1_100);
      expect(received(), `attempt ${attempt}`).toMatch(/^HTTP\/1\.1 200 /);
      expect(received()).toContain('{"done":true}');
      socket.destroy();
      await closed;
    }
  });

  it('answers a request received in time whose work outlasts the request timeout, never with a 408', async () => {
    // A 408 would tell the client the request failed while its write might still commit. The
    // work stays within the backstop (requestMs + idleMs) that ends a connection whose work hangs.
    const port = await listening({ ...TIMEOUTS, requestMs: 500, idleMs: 500 }, (app) =>
      app.post('/slow', { config: { scope: 'read' } }, async () => {
        await sleep(900);
        return { done: true };
      }),
    );
    const before = timedOut.requests;
    const { socket, received, closed } = open(port);
    socket.write(
      `POST /slow HTTP/1.1\r\nHost: x\r\n${AUTH}Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`,
    );
    await expect.poll(received, { timeout: 3_000 }).toContain('{"done":true}');
    expect(received()).toMatch(/^HTTP\/1\.1 200 /);
    expect(timedOut.requests).toBe(before);
    socket.destroy();
    await closed;
  });

  it('ends a connection whose work hangs past the backstop (requestMs + idleMs), without an answer', async () => {
    const timeouts = { ...TIMEOUTS, requestMs: 300, idleMs: 300 };
    const port = await listening(timeouts, (app) =>
      app.get('/hangs', { config: { scope: 'read' } }, async () => {
        await sleep(5_000);
        return { done: true };
      }),
    );
    const { socket, received, closed } = open(port);
    socket.write(`GET /hangs HTTP/1.1\r\nHost: x\r\n${AUTH}\r\n`);
    const after = await closed;
    // Looked at after each idle timeout: ended at the first one past the backstop.
    expect(after).toBeGreaterThanOrEqual(timeouts.requestMs + timeouts.idleMs - 50);
    expect(after).toBeLessThan(timeouts.requestMs + 2 * timeouts.idleMs + 250);
    expect(received()).toBe('');
  });

  it('counts no work for a body discarded after its answer (a 415): later work on the connection is spared', async () => {
    // Node reads the unread body of an answered request to its end afterwards; were that counted
    // as work begun, the connection would stay "working" and its next slow request, once the
    // backstop had passed, would be cut off at its first idle timeout.
    const timeouts = { ...TIMEOUTS, requestMs: 300, idleMs: 300, keepAliveMs: 5_000 };
    const port = await listening(timeouts, (app) =>
      app.get('/slow', { config: { scope: 'read' } }, async () => {
        await sleep(500);
        return { done: true };
      }),
    );
    const { socket, received } = open(port);
    socket.write(
      `POST /v1/plans HTTP/1.1\r\nHost: x\r\n${AUTH}Content-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello`,
    );
    await expect.poll(received).toMatch(/^HTTP\/1\.1 415 /);
    await sleep(timeouts.requestMs + timeouts.idleMs + 100);
    socket.write(`GET /slow HTTP/1.1\r\nHost: x\r\n${AUTH}\r\n`);
    await expect.poll(received, { timeout: 3_000 }).toContain('{"done":true}');
  });

  it('ends a kept-alive connection after keepAliveMs without a request', async () => {
    const port = await listening({ ...TIMEOUTS, keepAliveMs: 300, idleMs: 2_000 });
    const { socket, received, closed } = open(port);
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    const after = await closed;
    expect(received()).toMatch(/^HTTP\/1\.1 200 /);
    expect(after).toBeGreaterThanOrEqual(250);
    expect(after).toBeLessThan(1_500);
  });

  it('keeps a connection open while any of its pipelined requests is worked on', async () => {
    const port = await listening(LONG_REQUESTS, (app) =>
      app.get('/slow', { config: { scope: 'read' } }, async () => {
        await sleep(900);
        return { done: true };
      }),
    );
    const { socket, received, closed } = open(port);
    // The quick second answer must not bring back the idle timer while the first is worked on.
    socket.write(`GET /slow HTTP/1.1\r\nHost: x\r\n${AUTH}\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n`);
    await expect.poll(() => (received().match(/HTTP\/1\.1 200 /g) ?? []).length, { timeout: 3_000 }).toBe(2);
    expect(received()).toContain('{"done":true}');
    socket.destroy();
    await closed;
  });

  it('cuts off an upload that stalls after the idle timeout, as before the request timeout', async () => {
    const port = await listening(LONG_REQUESTS);
    const { socket, closed } = open(port);
    socket.write(
      `POST /v1/calculations HTTP/1.1\r\nHost: x\r\n${AUTH}Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"na`,
    );
    const after = await closed;
    expect(after).toBeGreaterThanOrEqual(LONG_REQUESTS.idleMs - 50);
    expect(after).toBeLessThan(LONG_REQUESTS.requestMs);
  });

  it('cuts off a client that stops reading an answer after the idle timeout, not the request timeout', async () => {
    let serverSide: Promise<number> | undefined;
    const port = await listening(LONG_REQUESTS, (app) =>
      app.get('/large', { config: { scope: 'read' } }, (request, reply) => {
        const started = Date.now();
        // The server's side: the client's own socket sees no close while unread bytes wait for it.
        serverSide = new Promise((resolve) =>
          request.raw.socket.on('close', () => resolve(Date.now() - started)),
        );
        return reply.type('text/plain').send(Buffer.alloc(64 * 1024 * 1024, 'a'));
      }),
    );
    const socket = connect(port, '127.0.0.1');
    sockets.push(socket);
    socket.pause(); // never reads: the answer fills the buffers and stops
    socket.write(`GET /large HTTP/1.1\r\nHost: x\r\n${AUTH}\r\n`);
    await expect.poll(() => serverSide).toBeDefined();
    const after = await serverSide;
    expect(after).toBeGreaterThanOrEqual(LONG_REQUESTS.idleMs - 50);
    expect(after).toBeLessThan(LONG_REQUESTS.requestMs);
  });
});
