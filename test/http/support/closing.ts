import { once } from 'node:events';
import { type AddressInfo, connect, type Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { TEST_ADMIN_TOKEN } from './app.js';

/**
 * Closes the app with a request arriving meanwhile: a body still arriving as the close begins
 * keeps its connection, and a request pipelined behind it arrives once the replica is closing.
 * Answers that request's raw answer (status line, headers and body), lower-cased.
 */
export async function answerWhileClosing(app: FastifyInstance, request = 'GET /v1/plans'): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  const auth = `Authorization: Bearer ${TEST_ADMIN_TOKEN}\r\n`;
  const body = '{"ips":[]}';
  socket.write(
    `POST /v1/lookup HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
  );
  const closed = app.close();
  await new Promise((resolve) => setTimeout(resolve, 50));
  socket.end(`${body}${request} HTTP/1.1\r\nHost: x\r\n${auth}\r\n`);
  const answers = (await received(socket)).toLowerCase();
  await closed;
  return answers.slice(answers.lastIndexOf('http/1.1 '));
}

/** Everything a socket receives until the server ends it. */
async function received(socket: Socket): Promise<string> {
  let text = '';
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  await once(socket, 'close');
  return text;
}
