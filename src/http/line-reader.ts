import { StringDecoder } from 'node:string_decoder';

/** A line that ran past the limit: its start is dropped, never buffered whole. */
export interface LongLine {
  readonly tooLong: true;
}

/**
 * Said after the lines of each piece of the body: what came so far is all there is until the
 * client sends more, so a reader answering in batches answers what it holds instead of waiting.
 */
export const END_OF_PIECE = Symbol('end of piece');

/**
 * The lines of a byte stream (LF or CRLF), holding at most one line of `maxLength` characters:
 * a longer line is reported as such and skipped to its end, so memory stays flat whatever the
 * input. A final line without a newline counts; the empty text after a final newline does not.
 * END_OF_PIECE follows the lines of each piece that ended at least one. A leading byte order
 * mark is dropped.
 */
export async function* readLines(
  body: AsyncIterable<Buffer | string>,
  maxLength: number,
): AsyncGenerator<string | LongLine | typeof END_OF_PIECE> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let skipping = false;
  let started = false;
  for await (const chunk of body) {
    let text = pending + (typeof chunk === 'string' ? chunk : decoder.write(chunk));
    // A file saved by Windows tools or a spreadsheet starts with a byte order mark: no part of
    // its first line.
    if (!started && text !== '') {
      started = true;
      if (text.startsWith('\uFEFF')) text = text.slice(1);
    }
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      const line = text.slice(start, end);
      start = end + 1;
      if (skipping) skipping = false;
      else yield line.length > maxLength ? { tooLong: true } : stripCr(line);
    }
    if (start > 0) yield END_OF_PIECE;
    pending = text.slice(start);
    if (pending.length > maxLength) {
      if (!skipping) yield { tooLong: true };
      skipping = true;
      pending = '';
    }
  }
  pending += decoder.end();
  if (pending.length > 0 && !skipping)
    yield pending.length > maxLength ? { tooLong: true } : stripCr(pending);
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
