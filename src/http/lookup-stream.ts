import { Readable } from 'node:stream';
import { DomainError } from '../domain/errors.js';
import { IpAddress } from '../domain/ip/index.js';
import { type LookupAddress, MAX_ADDRESS_TEXT, parseLookupAddress } from '../domain/lookup/lookup-address.js';
import { historyTime } from '../domain/pods/address-history.js';
import { type AddressAnswer, type LookupOptions, LookupService } from '../service/lookup-service.js';
import { TimeSlices } from '../service/time-slices.js';
import { CHUNK_BYTES, ChunkWriter } from './chunk-writer.js';
import { type CsvRecord, csvField, csvRecord } from './csv.js';
import { CSV_COLUMNS, type CsvColumn } from './csv-columns.js';
import { END_OF_PIECE, type LongLine, readLines } from './line-reader.js';
import { writeLookupAnswer } from './lookup-json.js';

/** The request bodies a lookup streams, by media type. */
export const STREAMED_TYPES = {
  'application/x-ndjson': 'ndjson',
  'text/plain': 'lines',
  'text/csv': 'csv',
} as const;
export type StreamFormat = (typeof STREAMED_TYPES)[keyof typeof STREAMED_TYPES];
/** Longer lines are answered as errors without being held whole. */
export const MAX_LINE_LENGTH = 8192;
// nodeName: the recorded node's, when there is one (the answer an incident wants from a log).
const OWNER_COLUMNS = 'planName,role,pool,nodeIndex,nodeIp,nodeName,matchCount,error';

interface Row {
  readonly line: number;
  /** The line as it goes back (a CSV row as wide as its header). */
  readonly text: string;
  readonly address?: LookupAddress;
  /** An NDJSON line's own `at`: the time its address is asked about, as flow logs carry it. */
  readonly at?: string;
  readonly error?: string;
}

/** NDJSON or plain lines in, one NDJSON line out per line in, in order, with backpressure. */
export function lookupLines(
  body: AsyncIterable<Buffer>,
  format: 'ndjson' | 'lines',
  lookups: LookupService,
  options: LookupOptions,
): Readable {
  const rows = numbered(readLines(body, MAX_LINE_LENGTH), (text) =>
    format === 'ndjson' ? ipOfJson(text) : text,
  );
  return Readable.from(
    answered(rows, lookups, options, (out, row, answer) => {
      if (answer === undefined) out.utf8(JSON.stringify({ line: row.line, error: row.error }));
      else writeLookupAnswer(out, answer);
      out.raw('\n');
    }),
    { objectMode: false },
  );
}

/**
 * CSV in (a header row naming the address column), the same rows out with the first match's
 * owner and the match count appended. The header is read before the answer starts, so a
 * missing column is a 422 rather than a broken stream.
 */
export async function lookupCsv(
  body: AsyncIterable<Buffer>,
  lookups: LookupService,
  options: LookupOptions,
  column: CsvColumn | undefined,
): Promise<Readable> {
  const lines = readLines(body, MAX_LINE_LENGTH);
  let first = await lines.next();
  while (first.value === END_OF_PIECE) first = await lines.next();
  const header = first.done === true || typeof first.value !== 'string' ? undefined : first.value;
  const headerRecord = header === undefined ? undefined : csvRecord(header);
  const names = headerRecord?.fields ?? [];
  // Exports name columns as they like (SrcIP, src_ip is another name): case and spaces aside.
  const keys = names.map(columnKey);
  // Without ?column=, the first of CSV_COLUMNS the header has, in that order: a flow log naming
  // both its source and its destination is read by its source, wherever the two stand.
  const wanted = column === undefined ? CSV_COLUMNS : [column];
  const at = wanted.map((c) => keys.indexOf(columnKey(c))).find((i) => i >= 0) ?? -1;
  if (header === undefined || at < 0) {
    throw DomainError.invalid(
      'CSV_HEADER_INVALID',
      column === undefined ? 'body' : 'column',
      `the CSV header ${header === undefined ? 'is missing' : `has no ${column ?? CSV_COLUMNS.join(', ')} column`}`,
    );
  }
  const width = names.length;
  // Every row goes back padded to the header's width: a wide header would multiply the answer.
  if (width > MAX_CSV_COLUMNS) {
    throw DomainError.invalid(
      'CSV_HEADER_INVALID',
      'body',
      `the CSV header has ${width} columns; a lookup takes at most ${MAX_CSV_COLUMNS}`,
    );
  }
  const rows = numbered(lines, (text) => csvAddress(text, at, width, names[at] ?? ''), 1);
  // A line too long to hold comes back empty: as many empty fields as the header has.
  const emptyRow = ','.repeat(width - 1);
  const out = answered(rows, lookups, options, (out, row, answer) => {
    const match = answer?.matches[0];
    const owner = [
      match?.planName,
      match?.role,
      match?.pool,
      match?.nodeIndex,
      match?.nodeIp?.toString(),
      match?.nodeName,
    ];
    out.utf8(
      `${row.text || emptyRow},${[...owner, answer?.matchCount, row.error].map(csvField).join(',')}\n`,
    );
  });
  const head = `${headerRecord === undefined ? header : asWritten(header, headerRecord)},${OWNER_COLUMNS}\n`;
  return Readable.from(prepend(Buffer.from(head), out), { objectMode: false });
}

/** Columns a CSV header may have (DECIDED: flow log exports have tens). */
export const MAX_CSV_COLUMNS = 256;

/** A line's address text (and time), or why it has none; `echo` is the line as it goes back. */
type Found = string | { ip: string; at?: string; echo?: string } | { error: string; echo?: string };

/**
 * Rows numbered from 1 (after `skipped` header lines), each with its address or why it has none;
 * END_OF_PIECE passed on.
 */
async function* numbered(
  lines: AsyncIterable<string | LongLine | typeof END_OF_PIECE>,
  addressText: (line: string) => Found,
  skipped = 0,
): AsyncGenerator<Row | typeof END_OF_PIECE> {
  let line = skipped;
  for await (const text of lines) {
    if (text === END_OF_PIECE) {
      yield text;
      continue;
    }
    line++;
    if (typeof text !== 'string') {
      yield { line, text: '', error: `longer than ${MAX_LINE_LENGTH} characters` };
      continue;
    }
    const found = addressText(text);
    const echo = typeof found === 'string' ? text : (found.echo ?? text);
    if (typeof found !== 'string' && 'error' in found) {
      yield { line, text: echo, error: found.error };
      continue;
    }
    const [ip, at] = typeof found === 'string' ? [found, undefined] : [found.ip, found.at];
    const address = parseLookupAddress(ip);
    if (address === undefined) yield { line, text: echo, error: whyNot(ip) };
    else yield at === undefined ? { line, text: echo, address } : { line, text: echo, address, at };
  }
}

/**
 * Rows answered in batches small enough for the match bound, yielding between batches. What is
 * held is answered when the client's data so far is read, too: lines sent one at a time (`tail
 * -f` into a lookup) are answered as they come, not when a batch fills or the body ends.
 */
async function* answered(
  rows: AsyncIterable<Row | typeof END_OF_PIECE>,
  lookups: LookupService,
  options: LookupOptions,
  write: (out: ChunkWriter, row: Row, answer: AddressAnswer | undefined) => void,
): AsyncGenerator<Buffer> {
  const size = sliceOf(options.limitPerIp);
  const out = new ChunkWriter();
  const time = new TimeSlices();
  let batch: Row[] = [];
  // The lookups and the writing share one clock: together they pause every 10 ms.
  async function* flush(): AsyncGenerator<Buffer> {
    const rows = batch;
    batch = [];
    const asked = rows.filter((r) => r.address !== undefined);
    const answers = await lookups.lookup(
      asked.map((r) => r.address as LookupAddress),
      options,
      asked.some((r) => r.at !== undefined) ? asked.map((r) => r.at) : undefined,
      time,
    );
    let next = 0;
    for (const row of rows) {
      write(out, row, row.address === undefined ? undefined : answers[next++]);
      if (out.size >= CHUNK_BYTES) {
        yield* out.take();
        await time.maybePause();
      }
    }
    yield* out.take();
  }
  for await (const row of rows) {
    if (row === END_OF_PIECE) {
      if (batch.length > 0) yield* flush();
      // A fast client's pieces arrive many at a time (libuv reads up to 32 in one pass): the
      // clock is read at the end of each, or a turn would run through all of them.
      await time.maybePause();
      continue;
    }
    batch.push(row);
    if (batch.length < size) continue;
    yield* flush();
    await time.pause();
  }
  if (batch.length > 0) yield* flush();
}

const columnKey = (name: string) => name.trim().toLowerCase();

/**
 * A CSV row's address, or why it has none: a row must be a record no wider than the header. It
 * goes back as wide as the header, so that the owner columns stay under their names: a short row
 * padded with empty fields; a row that is no record, or is wider, as one quoted field (it cannot
 * then swallow the rows after it), padded. Each row is parsed once, for both.
 */
function csvAddress(text: string, at: number, width: number, column: string): Found {
  const record = csvRecord(text);
  const fields = record?.fields;
  const fits = record !== undefined && record.fields.length <= width;
  const echo =
    (fits ? asWritten(text, record) : csvField(text)) + ','.repeat(width - (fits ? record.fields.length : 1));
  if (fields === undefined) return { error: 'not a CSV record (a quote is left open)', echo };
  if (!fits) return { error: `${fields.length} fields where the header has ${width}`, echo };
  const address = fields[at] ?? '';
  if (address === '' && text !== '') return { error: `no address in column ${column}`, echo };
  return { ip: address, echo };
}

/**
 * A record as it goes back: as it came, unless it is not written as RFC 4180 writes one (a
 * carriage return, or a quote, in a field without quotes: a reader may take the first for the
 * end of a row and the second for a field's edge). Such a record is written again, each field
 * quoted as it needs, with the same values.
 */
function asWritten(text: string, record: CsvRecord): string {
  return record.strict ? text : record.fields.map(csvField).join(',');
}

async function* prepend<T>(first: T, rest: AsyncIterable<T>): AsyncGenerator<T> {
  yield first;
  yield* rest;
}

function ipOfJson(line: string): string | { ip: string; at: string } | { error: string } {
  try {
    const value = JSON.parse(line) as { ip?: unknown; at?: unknown } | null;
    const ip = value?.ip;
    const at = value?.at;
    if (typeof ip === 'string' && at === undefined) return ip;
    if (typeof ip === 'string' && typeof at === 'string') {
      const time = timeOf(at);
      return time === undefined ? { error: `"at" is not an RFC 3339 time with a zone` } : { ip, at: time };
    }
  } catch {
    // answered below
  }
  return { error: 'expected a JSON object with an "ip" string (and an optional "at" time)' };
}

/**
 * Flow log lines repeat their times (a second's worth of lines share one): each text is parsed
 * once. A memo of pure answers, cleared when full, so it stays a few hundred kilobytes.
 */
const TIMES = new Map<string, string | undefined>();

function timeOf(text: string): string | undefined {
  if (TIMES.has(text)) return TIMES.get(text);
  if (TIMES.size >= 4096) TIMES.clear();
  const time = historyTime(text);
  TIMES.set(text, time);
  return time;
}

/** Why a line's text is no address to look up, in the words a JSON batch's refusal uses. */
function whyNot(text: string): string {
  if (text.trim() === '') return 'empty line';
  return IpAddress.whyNot(text.slice(0, MAX_ADDRESS_TEXT)) ?? `"${text}" is not an IP address`;
}

/** A lookup whose body is a stream: it is bounded by idleness, not by a total time. */
export function isStreamedLookup(request: {
  method: string;
  url: string;
  headers: Record<string, unknown>;
}): boolean {
  // Asked of every request (its timeout): a GET answers at the first test.
  if (request.method !== 'POST' || request.url.split('?')[0] !== '/v1/lookup') return false;
  const type = String(request.headers['content-type'] ?? '')
    .split(';')[0]
    ?.trim()
    .toLowerCase();
  return type !== undefined && type in STREAMED_TYPES;
}

/**
 * A JSON batch answered in slices: `{"results":[...]}`, each slice of addresses looked up,
 * written and let go before the next. Answers die young (a batch's answers all held at once
 * outlived the young generation and cost more to collect than to write), the body never sits
 * whole in memory, and the event loop is let in between. The whole batch is checked against the
 * match bound, and the first slice looked up, before the answer starts: a refusal (too large, an
 * unknown plan) is still a 4xx.
 */
export async function jsonBatch(
  addresses: readonly LookupAddress[],
  lookups: LookupService,
  options: LookupOptions,
  time: TimeSlices = new TimeSlices(),
): Promise<Readable> {
  LookupService.checkSize(addresses.length, options.limitPerIp);
  const size = sliceOf(options.limitPerIp);
  const lookUp = (start: number) =>
    lookups.lookup(addresses.slice(start, start + size), options, undefined, time);
  let answers: AddressAnswer[] | undefined = await lookUp(0);
  async function* slices(): AsyncGenerator<Buffer> {
    const out = new ChunkWriter().raw('{"results":[');
    for (let start = 0; start < addresses.length; start += size) {
      const slice = answers ?? (await lookUp(start));
      answers = undefined;
      for (let i = 0; i < slice.length; i++) {
        if (start + i > 0) out.raw(',');
        writeLookupAnswer(out, slice[i] as AddressAnswer);
        if (out.size >= CHUNK_BYTES) {
          yield* out.take();
          await time.maybePause();
        }
      }
      await time.maybePause();
    }
    yield* out.raw(']}').take();
  }
  // Up to 1 MiB written ahead of the socket: the writer keeps going while the client reads.
  return Readable.from(slices(), { objectMode: false, highWaterMark: 1024 * 1024 });
}

/**
 * Addresses looked up at once, by a JSON batch or a stream: about 20,000 matches at most, 1,000
 * addresses at the default limit, so that no slice's answers outgrow the young generation.
 */
const sliceOf = (limitPerIp: number) => Math.max(1, Math.min(1000, Math.floor(20_000 / limitPerIp)));
