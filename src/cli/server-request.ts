import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { oneLineText, visibleText } from '../domain/visible-text.js';
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
  // Whatever stands before an "@" may be a user and password, with or without a scheme's "//".
  const at = server.search(/@/);
  if (at < 0) return server;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(server)?.[0] ?? '';
  return at < scheme.length ? server : `${scheme}***${server.slice(at)}`;
}

/** The URL as messages show it: never a user or password it may carry. */
export function shown(url: URL): string {
  return `${url.origin}${url.pathname}${url.search}`;
}

/**
 * A request body: a text, a stream read once (standard input), or a file opened anew for each
 * attempt (a function opening it). Only the first cannot be sent again after a refusal.
 */
export type Body = string | NodeJS.ReadableStream | (() => NodeJS.ReadableStream);

/** Refusals worth another attempt: the rate limit (429) and an overloaded or unready server (503). */
const PASSING_REFUSALS = new Set([429, 503]);
/** A Retry-After longer than this is a refusal to wait for in the pipeline's own retry, not here. */
const LONGEST_WAIT_S = 60;

/**
 * POSTs `body` and answers the response once it starts with a 2xx status; any other status is the
 * server's refusal, said in one line. A 429 or 503 is tried again after the server's Retry-After
 * (1, 2, 4 s without one), up to AKS_IP_RETRIES times (3; 0 turns it off), with a line on standard
 * error each time: neither carried the request out (a PostgreSQL write whose commit went
 * unanswered may have landed: lookups read, and imports sent again record the same observation),
 * and a pipeline should not fail on a busy minute.
 */
export async function post(to: Target, contentType: string, body: Body): Promise<IncomingMessage> {
  const retries = retriesAllowed();
  const replayable = typeof body !== 'object'; // a stream is read once
  for (let attempt = 1; ; attempt++) {
    const answer = await postOnce(to, contentType, typeof body === 'function' ? body() : body);
    if (!('refused' in answer)) return answer;
    const wait = attempt <= retries && replayable ? waitBeforeRetry(answer, attempt) : undefined;
    if (wait === undefined) throw new CliError(answer.refused);
    process.stderr.write(
      `aks-ip: ${visibleText(answer.refused)}; trying again in ${wait} s (retry ${attempt} of ${retries})\n`,
    );
    await sleep(wait * 1000);
  }
}

/** AKS_IP_RETRIES: how many times a passing refusal is tried again. */
function retriesAllowed(): number {
  const given = process.env.AKS_IP_RETRIES?.trim() || '3';
  if (!/^\d{1,2}$/.test(given) || Number(given) > 10)
    throw new CliError('AKS_IP_RETRIES must be a whole number from 0 to 10', EXIT.input);
  return Number(given);
}

/** Seconds to wait before trying a refused request again; undefined when it is not worth it. */
export function waitBeforeRetry(refusal: Refusal, attempt: number): number | undefined {
  if (!PASSING_REFUSALS.has(refusal.status)) return undefined;
  const wait = secondsOf(refusal.retryAfter) ?? 2 ** (attempt - 1);
  return wait <= LONGEST_WAIT_S ? wait : undefined;
}

/** A Retry-After header's seconds: a number of them, or an HTTP date. */
function secondsOf(header: string | undefined): number | undefined {
  const text = header?.trim() ?? '';
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/** A non-2xx answer: its one-line description, its status, and its Retry-After header. */
export interface Refusal {
  readonly refused: string;
  readonly status: number;
  readonly retryAfter: string | undefined;
}

/**
 * One attempt. A stream body is piped with backpressure, so that a file of any size is sent in
 * constant memory (fetch keeps a streamed request body whole: nodejs/undici#4058).
 */
function postOnce(
  to: Target,
  contentType: string,
  body: string | NodeJS.ReadableStream,
): Promise<IncomingMessage | Refusal> {
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
  const answer = new Promise<IncomingMessage | Refusal>((resolve, reject) => {
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
  const stopped = () => req.destroy(); // a refusal stops the upload: the rest of a large file is not sent for nothing
  return answer.then(
    (res) => {
      if ('refused' in res) stopped();
      return res;
    },
    (error: unknown) => {
      stopped();
      throw error;
    },
  );
}

function requestError(url: URL, error: Error): CliError {
  if (error instanceof QuietError)
    return new CliError(`${shown(url)} did not answer within ${QUIET_MS / 1000} s`);
  if ((error as NodeJS.ErrnoException).code === 'ECONNRESET')
    return new CliError(`${shown(url)} closed the connection without answering`);
  return new CliError(`${shown(url)} cannot be reached: ${error.message}`);
}

/** The response when its status is 2xx; otherwise the server's refusal. */
async function accepted(res: IncomingMessage): Promise<IncomingMessage | Refusal> {
  const status = res.statusCode ?? 0;
  if (status >= 200 && status < 300) return res;
  // A problem lists at most 100 errors: well under 1 MiB. A proxy's page is cut, and said by status.
  const text = await textOf(res, 1024 * 1024).catch(() => '');
  const retryAfter = res.headers['retry-after'];
  return { refused: refusal(status, res.statusMessage, text), status, retryAfter };
}

/** The most of a refusal's code, detail or path printed: the service's own are far shorter. */
const MAX_REFUSAL_PART = 1000;

/** The server's code and detail, and where the first error is (a kubectl list's bad item). */
function refusal(status: number, statusMessage: string | undefined, text: string): string {
  let body: { code?: unknown; detail?: unknown; errors?: unknown } = {};
  try {
    body = Object(JSON.parse(text));
  } catch {
    // a proxy's HTML page: the status says enough
  }
  // One line, whatever the server (or something pretending to be it) wrote in its parts.
  const part = (text: string) => oneLineText(text.slice(0, MAX_REFUSAL_PART));
  const code = typeof body.code === 'string' ? ` ${part(body.code)}` : '';
  const detail = part(typeof body.detail === 'string' ? body.detail : (statusMessage ?? ''));
  const path = Array.isArray(body.errors)
    ? (body.errors[0] as { path?: unknown } | undefined)?.path
    : undefined;
  const at = typeof path === 'string' && path !== '' ? ` (at ${part(path)})` : '';
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
