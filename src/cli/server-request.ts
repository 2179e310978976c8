import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pipeline } from 'node:stream/promises';
import { CliError, EXIT } from './cli-error.js';

/**
 * How long the server may stay silent: after the request is sent, before its answer starts, and
 * between the bytes of an answer (or of the request it reads). Not a limit on the whole exchange: a
 * large CSV file streams for as long as it takes. AKS_IP_TIMEOUT_MS shortens it in tests.
 */
const QUIET_MS = Number(process.env.AKS_IP_TIMEOUT_MS) || 120_000;

export interface ServerOptions {
  readonly server: string | undefined;
  readonly token: string | undefined;
}

/** Where a request goes, and the headers every request carries. */
export interface Target {
  readonly url: URL;
  readonly headers: Record<string, string>;
}

/** The silence the server kept, as the reason an answer stopped. */
class QuietError extends Error {
  constructor() {
    super(`nothing came for ${QUIET_MS / 1000} s`);
  }
}

/** `path` on the server (a URL with a path prefix keeps it), with the token. */
export function target({ server, token }: ServerOptions, path: string): Target {
  if (server === undefined || server === '')
    throw new CliError('no server: give --server URL or set AKS_IP_SERVER', EXIT.input);
  const url = URL.canParse(server) ? new URL(`${server.replace(/\/+$/, '')}${path}`) : undefined;
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:')
    throw new CliError(
      `the server ${withoutCredentials(server)} is not an http:// or https:// URL`,
      EXIT.input,
    );
  return { url, headers: authorization(token) };
}

/**
 * The token as a header. One that cannot be a header value is refused without being printed: the
 * error of a header with a line break quotes it whole, and error lines end up in CI logs.
 */
function authorization(token: string | undefined): Record<string, string> {
  // A token read from a file or a mounted secret often ends with a line break.
  const trimmed = token?.trim() ?? '';
  if (trimmed === '') return {};
  if (!/^[\x21-\x7e]+$/.test(trimmed))
    throw new CliError(
      'the token holds a line break, a space or a character no token has: check --token or AKS_IP_TOKEN',
      EXIT.input,
    );
  return { authorization: `Bearer ${trimmed}` };
}

/**
 * A server text that is no URL, as messages show it: what stands between "//" and an "@" (a user
 * and password) is hidden, as `shown` leaves them out of a URL.
 */
function withoutCredentials(server: string): string {
  return server.replace(/\/\/[^/?#]*@/, '//***@');
}

/** The URL as messages show it: never a user or password it may carry. */
export function shown(url: URL): string {
  return `${url.origin}${url.pathname}${url.search}`;
}

/**
 * POSTs `body` and answers the response once it starts with a 2xx status; any other status is the
 * server's refusal, said in one line. A stream body is piped with backpressure, so that a file of
 * any size is sent in constant memory (fetch keeps a streamed request body whole: nodejs/undici#4058).
 */
export function post(
  to: Target,
  contentType: string,
  body: string | NodeJS.ReadableStream,
): Promise<IncomingMessage> {
  const send = to.url.protocol === 'https:' ? httpsRequest : httpRequest;
  const length = typeof body === 'string' ? { 'content-length': String(Buffer.byteLength(body)) } : {};
  const req = send(to.url, {
    method: 'POST',
    headers: { ...to.headers, 'content-type': contentType, ...length },
    timeout: QUIET_MS,
  });
  let started: IncomingMessage | undefined;
  req.on('timeout', () => {
    const quiet = new QuietError();
    // Once the answer has started, it is the answer that broke off, and says so to its reader.
    started?.destroy(quiet);
    req.destroy(quiet);
  });
  const answer = new Promise<IncomingMessage>((resolve, reject) => {
    // Errors after the answer started (a refused upload's EPIPE) are the answer's to report.
    req.on('error', (error) => reject(requestError(to.url, error)));
    req.on('response', (res) => {
      started = res;
      resolve(accepted(res));
    });
  });
  if (typeof body === 'string') req.end(body);
  // A failed upload destroys the request, which rejects the answer or breaks it off.
  else pipeline(body, req).catch(() => {});
  return answer.catch((error: unknown) => {
    req.destroy(); // a refusal stops the upload: the rest of a large file is not sent for nothing
    throw error;
  });
}

function requestError(url: URL, error: Error): CliError {
  if (error instanceof QuietError)
    return new CliError(`${shown(url)} did not answer within ${QUIET_MS / 1000} s`);
  if ((error as NodeJS.ErrnoException).code === 'ECONNRESET')
    return new CliError(`${shown(url)} closed the connection without answering`);
  return new CliError(`${shown(url)} cannot be reached: ${error.message}`);
}

/** The response when its status is 2xx; otherwise the server's refusal, as a CliError. */
async function accepted(res: IncomingMessage): Promise<IncomingMessage> {
  const status = res.statusCode ?? 0;
  if (status >= 200 && status < 300) return res;
  // A problem lists at most 100 errors: well under 1 MiB. A proxy's page is cut, and said by status.
  throw new CliError(refusal(status, res.statusMessage, await textOf(res, 1024 * 1024).catch(() => '')));
}

/** The server's code and detail, and where the first error is (a kubectl list's bad item). */
function refusal(status: number, statusMessage: string | undefined, text: string): string {
  let body: { code?: unknown; detail?: unknown; errors?: unknown } = {};
  try {
    body = Object(JSON.parse(text));
  } catch {
    // a proxy's HTML page: the status says enough
  }
  const code = typeof body.code === 'string' ? ` ${body.code}` : '';
  const detail = typeof body.detail === 'string' ? body.detail : (statusMessage ?? '');
  const path = Array.isArray(body.errors)
    ? (body.errors[0] as { path?: unknown } | undefined)?.path
    : undefined;
  const at = typeof path === 'string' && path !== '' ? ` (at ${path})` : '';
  return `the server answered ${status}${code}: ${detail}${at}`.trim();
}

/** Why an answer stopped, in a few words. */
export function brokenOff(error: unknown): string {
  if (error instanceof QuietError) return error.message;
  const { code, message } = error as NodeJS.ErrnoException;
  return code === 'ECONNRESET' ? 'the connection was closed' : (code ?? message);
}

/** The text of an answer, at most `limit` bytes (the rest is not read). */
async function textOf(res: IncomingMessage, limit = Number.POSITIVE_INFINITY): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= limit) break;
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The JSON of an answer: a proxy's or a login page's HTML is said to be what it is. */
export async function jsonOf(res: IncomingMessage, url: URL): Promise<unknown> {
  let text: string;
  try {
    text = await textOf(res);
  } catch (error) {
    throw new CliError(`${shown(url)} stopped answering: ${brokenOff(error)}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    const type = res.headers['content-type'] ?? 'no content type';
    throw new CliError(
      `${shown(url)} answered ${res.statusCode} with ${type}, not JSON: is --server the planner?`,
    );
  }
}

/** `value` when it has the shape the command reads (`is`); else the server is not the planner. */
export function answerAs<T>(value: unknown, is: (value: unknown) => value is T, url: URL, what: string): T {
  if (is(value)) return value;
  throw new CliError(`${shown(url)} answered JSON that is not ${what}: is --server the planner?`);
}

/** POSTs a JSON body to a path of the server and answers the JSON it returns, checked by `is`. */
export async function sendJson<T>(
  path: string,
  body: unknown,
  options: ServerOptions,
  is: (value: unknown) => value is T,
  what: string,
): Promise<T> {
  const to = target(options, path);
  return answerAs(
    await jsonOf(await post(to, 'application/json', JSON.stringify(body)), to.url),
    is,
    to.url,
    what,
  );
}
