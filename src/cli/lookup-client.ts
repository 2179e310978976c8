import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { oneLineText } from '../domain/visible-text.js';
import { isLookupAnswer } from './answer-shapes.js';
import { CliError } from './cli-error.js';
import { openInput } from './input.js';
import { answerAs, brokenOff, jsonOf, post, type ServerOptions, shown, target } from './server-request.js';

/**
 * One line per match (plan, pool, node, role) for each address, in the order given; an address
 * matching more plans than `limitPerIp` (the server's default when not given) says how many more.
 */
export async function lookupAddresses(
  ips: readonly string[],
  options: ServerOptions,
  limitPerIp?: number,
): Promise<string> {
  const to = target(options, '/v1/lookup');
  const body = JSON.stringify({ ips, ...(limitPerIp === undefined ? {} : { limitPerIp }) });
  const json = await jsonOf(await post(to, 'application/json', body), to.url);
  const { results } = answerAs(json, isLookupAnswer, to.url, 'a lookup answer');
  const rows = [['ip', 'plan', 'pool', 'node', 'role']];
  for (const { ip, matches, matchCount = matches.length } of results) {
    // The address is the server's text: shown, never acted on by the terminal.
    if (matches.length === 0) rows.push([ip, '-', '-', '-', 'no plan'].map(oneLineText));
    for (const m of matches)
      rows.push([ip, m.planName, m.pool ?? '-', m.nodeName ?? m.nodeIp ?? '-', m.role].map(oneLineText));
    const more = matchCount - matches.length;
    if (more > 0) rows.push([ip, `${more} more`, '-', '-', 'not shown (--limit-per-ip)'].map(oneLineText));
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
 * A CSV file (standard input for "-") streamed through the server into `out`: the same rows come
 * back with the owner of the address in `column` appended (planName, role, pool, nodeIndex,
 * nodeIp, nodeName, matchCount, error). Both ways go at the pace of the slower side, in
 * constant memory.
 */
export async function lookupCsv(
  file: string,
  column: string | undefined,
  options: ServerOptions,
  out: NodeJS.WritableStream,
): Promise<void> {
  const query = column === undefined ? '' : `?column=${encodeURIComponent(column)}`;
  const to = target(options, `/v1/lookup${query}`);
  // A file is opened again if the server asks for another attempt; standard input is read once.
  const body = file === '-' ? process.stdin : () => createReadStream('', { fd: openInput(file) });
  await copyAnswer(csvAnswer(await post(to, 'text/csv', body), to.url), out);
}

/** The answer when it is CSV: a proxy's or a login page's HTML is said to be what it is. */
function csvAnswer(answer: IncomingMessage, url: URL): IncomingMessage {
  const type = answer.headers['content-type'] ?? '';
  if (type.split(';')[0]?.trim().toLowerCase() === 'text/csv') return answer;
  answer.resume();
  throw new CliError(
    `${shown(url)} answered ${answer.statusCode} with ${type || 'no content type'}, not CSV: is --server the planner?`,
  );
}

/**
 * The answer written to `out` as it comes. Not through pipeline(): that destroys `out` when the
 * answer breaks off, and a destroyed stdout throws its error where no one catches it.
 */
async function copyAnswer(answer: IncomingMessage, out: NodeJS.WritableStream): Promise<void> {
  let lines = 0;
  try {
    for await (const chunk of answer as AsyncIterable<Buffer>) {
      for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) lines++;
      if (!out.write(chunk)) await once(out, 'drain');
    }
  } catch (error) {
    const rows = Math.max(lines - 1, 0); // the first line is the header
    throw new CliError(
      `the server's answer broke off after ${rows} row${rows === 1 ? '' : 's'}: ${brokenOff(error)}`,
    );
  }
}
