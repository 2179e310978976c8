import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { DUMP_HEADER, DumpError, type DumpRecord, dumpLine, parseDumpLine } from './dump-format.js';

/** Writes the dump, waiting for the output to drain: memory stays flat however large it is. */
export async function writeDump(
  records: AsyncIterable<DumpRecord> | Iterable<DumpRecord>,
  out: Writable,
): Promise<number> {
  let rows = 0;
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(dumpLine(DUMP_HEADER));
  for await (const record of records) {
    await write(dumpLine(record));
    rows++;
  }
  return rows;
}

/** The records of a dump file, checked line by line (DumpError names the line). */
export async function* readDump(lines: AsyncIterable<string>): AsyncGenerator<DumpRecord> {
  let number = 0;
  let headed = false;
  for await (const text of lines) {
    number++;
    if (text.trim() === '') continue;
    const parsed = parseDumpLine(text, number, !headed);
    headed = true;
    if (parsed !== 'header') yield parsed;
  }
  if (!headed) throw new DumpError(number, 'the dump is empty');
}
