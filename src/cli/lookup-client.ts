import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { CliError } from './cli-error.js';

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
    throw new CliError('no server: give --server URL or set AKS_IP_SERVER');
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
    throw new CliError(`${url} cannot be reached: ${(error as Error).cause ?? (error as Error).message}`);
  }
}

/** POSTs a JSON body to a path of the server and answers the JSON it returns. */
export async function sendJson(path: string, body: unknown, options: ServerOptions): Promise<unknown> {
  const { base, headers } = target(options);
  const res = await send(`${base}${path}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return res.json();
}

/** One line per match (plan, pool, node, role) for each address, in the order given. */
export async function lookupAddresses(ips: readonly string[], options: ServerOptions): Promise<string> {
  const { base, headers } = target(options);
  const res = await send(`${base}/v1/lookup`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ ips }),
  });
  const { results } = (await res.json()) as { results: { ip: string; matches: Match[] }[] };
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
  const body = Readable.toWeb(createReadStream(file)) as ReadableStream;
  const res = await send(`${base}/v1/lookup${query}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'text/csv' },
    body,
    duplex: 'half',
  } as RequestInit);
  if (res.body === null) throw new CliError('the server answered without a body');
  return Readable.fromWeb(res.body as Parameters<typeof Readable.fromWeb>[0]);
}
