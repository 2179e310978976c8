import { closeSync, createReadStream, fstatSync, openSync } from 'node:fs';
import { Readable } from 'node:stream';
import { CliError, EXIT } from './cli-error.js';

/** How long a request that is not a stream waits for its answer. */
const ANSWER_TIMEOUT_MS = 120_000;

export interface ServerOptions {
  readonly server: string | undefined;
  readonly token: string | undefined;
}

interface Match {
  planName: string;
  role: string;
  pool?: string;
  nodeName?: string;
  nodeIp?: string;
}

/** The server's base URL and the headers every request carries. */
function target({ server, token }: ServerOptions): { base: string; headers: Record<string, string> } {
  if (server === undefined || server === '')
    throw new CliError('no server: give --server URL or set AKS_IP_SERVER', EXIT.input);
  return {
    base: server.replace(/\/+$/, ''),
    headers: token === undefined || token === '' ? {} : { authorization: `Bearer ${token}` },
  };
}

async function checked(res: Response): Promise<Response> {
  if (res.ok) return res;
  const body = (await res.json().catch(() => ({}))) as { code?: string; detail?: string };
  throw new CliError(
    `the server answered ${res.status} ${body.code ?? ''}: ${body.detail ?? res.statusText}`.trim(),
  );
}

async function send(url: string, init: RequestInit): Promise<Response> {
  try {
    return await checked(await fetch(url, init));
  } catch (error) {
    if (error instanceof CliError) throw error;
    if ((error as Error).name === 'TimeoutError')
      throw new CliError(`${url} did not answer within ${ANSWER_TIMEOUT_MS / 1000} s`);
    throw new CliError(`${url} cannot be reached: ${(error as Error).cause ?? (error as Error).message}`);
  }
}

/** The JSON of an answer: a proxy's or a login page's HTML is said to be what it is. */
async function jsonOf(res: Response, url: string): Promise<unknown> {
  let text: string;
  try {
    text = await res.text();
  } catch (error) {
    throw new CliError(
      (error as Error).name === 'TimeoutError'
        ? `${url} did not answer within ${ANSWER_TIMEOUT_MS / 1000} s`
        : `${url} stopped answering: ${(error as Error).message}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch {
    const type = res.headers.get('content-type') ?? 'no content type';
    throw new CliError(`${url} answered ${res.status} with ${type}, not JSON: is --server the planner?`);
  }
}

/** POSTs a JSON body to a path of the server and answers the JSON it returns. */
export async function sendJson(path: string, body: unknown, options: ServerOptions): Promise<unknown> {
  const { base, headers } = target(options);
  const url = `${base}${path}`;
  // No time limit: a large cluster's pod import may take a while to send.
  const res = await send(url, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return jsonOf(res, url);
}

/** One line per match (plan, pool, node, role) for each address, in the order given. */
export async function lookupAddresses(ips: readonly string[], options: ServerOptions): Promise<string> {
  const { base, headers } = target(options);
  const url = `${base}/v1/lookup`;
  const res = await send(url, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ ips }),
    signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
  });
  const answer = (await jsonOf(res, url)) as { results?: { ip: string; matches: Match[] }[] };
  const results = answer.results;
  if (!Array.isArray(results))
    throw new CliError(`${url} answered JSON without results: is --server the planner?`);
  const rows = [['ip', 'plan', 'pool', 'node', 'role']];
  for (const { ip, matches } of results) {
    if (matches.length === 0) rows.push([ip, '-', '-', '-', 'no plan']);
    for (const m of matches)
      rows.push([ip, m.planName, m.pool ?? '-', m.nodeName ?? m.nodeIp ?? '-', m.role]);
  }
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return `${rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

/**
 * A CSV file streamed through the server: the same rows come back with the owner of the address
 * in `column` appended (planName, role, pool, nodeIndex, nodeIp, matchCount, error).
 */
export async function lookupCsv(
  file: string,
  column: string | undefined,
  options: ServerOptions,
): Promise<Readable> {
  const { base, headers } = target(options);
  const query = column === undefined ? '' : `?column=${encodeURIComponent(column)}`;
  const body = Readable.toWeb(createReadStream('', { fd: openFile(file) })) as ReadableStream;
  const res = await send(`${base}/v1/lookup${query}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'text/csv' },
    body,
    duplex: 'half',
  } as RequestInit);
  if (res.body === null) throw new CliError('the server answered without a body');
  return Readable.fromWeb(res.body as Parameters<typeof Readable.fromWeb>[0]);
}

/** A file opened for reading, or a refusal that names it (not the server). */
function openFile(path: string): number {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    if (fstatSync(fd).isDirectory()) throw Object.assign(new Error(), { code: 'EISDIR' });
    return fd;
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    throw new CliError(`${path} cannot be read: ${(error as NodeJS.ErrnoException).code}`, EXIT.input);
  }
}
