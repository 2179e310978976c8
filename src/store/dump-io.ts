import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DUMP_HEADER, DumpError, type DumpRecord, dumpLine, parseDumpLine } from './dump-format.js';

/**
 * Writes the dump, the header first and the end line last, at the pace the output takes it:
 * memory stays flat however large it is. `end` ends the output too (a file; not standard output).
 * Rejects with the output's error (a full disk) or the records'.
 */
export async function writeDump(
  records: AsyncIterable<DumpRecord> | Iterable<DumpRecord>,
  out: Writable,
  end = true,
): Promise<number> {
  let rows = 0;
  async function* lines(): AsyncGenerator<string> {
    yield dumpLine(DUMP_HEADER);
    for await (const record of records) {
      yield dumpLine(record);
      rows++;
    }
    yield dumpLine({ end: DUMP_HEADER.format, rows });
  }
  await pipeline(Readable.from(lines()), out, { end });
  return rows;
}

/**
 * The records of a dump file, checked line by line (DumpError names the line). A version 2 dump
 * must end with its end line, counting the rows before it: one cut short throws at its end, so
 * that a restore (one transaction) writes nothing of it.
 */
export async function* readDump(lines: AsyncIterable<string>): AsyncGenerator<DumpRecord> {
  let number = 0;
  let version: number | undefined;
  let rows = 0;
  let ended = false;
  for await (const text of lines) {
    number++;
    if (text.trim() === '') continue;
    if (ended) throw new DumpError(number, "a line after the dump's end line");
    const parsed = parseDumpLine(text, number, version === undefined);
    if (typeof parsed === 'number') version = parsed;
    else if ('end' in parsed) {
      if (parsed.rows !== rows)
        throw new DumpError(number, `the end line counts ${parsed.rows} rows; ${rows} came before it`);
      ended = true;
    } else {
      rows++;
      yield parsed;
    }
  }
  if (version === undefined) throw new DumpError(number, 'the dump is empty');
  if (version >= 2 && !ended)
    throw new DumpError(number, `the dump ends without its end line after ${rows} rows: it was cut short`);
}
