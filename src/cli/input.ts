import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { CliError, EXIT } from './cli-error.js';

/** A design or az document: 100 pools take about 20 KiB, az JSON of one a few MiB at most. */
export const DOCUMENT_LIMIT = 8 * 1024 * 1024;

/**
 * A text file (or standard input for "-"), at most `limit` bytes: UTF-8 with or without a byte
 * order mark, or UTF-16 with one (what Windows PowerShell 5 writes with `>`), either byte order.
 */
export function readText(path: string, limit: number): string {
  const bytes = readBytes(path, limit);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  // Big-endian too (PowerShell's BigEndianUnicode): its bytes swapped are little-endian.
  if (bytes[0] === 0xfe && bytes[1] === 0xff && bytes.length % 2 === 0)
    return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    throw new CliError(`${path} is not UTF-16 text: it holds an odd number of bytes`, EXIT.input);
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(start));
  } catch {
    throw new CliError(`${path} is not UTF-8 text`, EXIT.input);
  }
}

/**
 * A file opened for reading, or the command's input refused (exit 2) in `words` of its error
 * code. A directory is refused (it opens, and fails on its first read with a message that names
 * no file); pipes (<(zcat ...)) and devices (/dev/stdin) are read as files are.
 */
export function openInput(path: string, words = (code: string) => `${path} cannot be read: ${code}`): number {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    if (fstatSync(fd).isDirectory()) throw Object.assign(new Error(), { code: 'EISDIR' });
    return fd;
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    throw new CliError(words((error as NodeJS.ErrnoException).code ?? (error as Error).message), EXIT.input);
  }
}

function readBytes(path: string, limit: number): Buffer {
  let fd: number | undefined;
  try {
    fd = path === '-' ? 0 : openInput(path);
    const chunks: Buffer[] = [];
    let size = 0;
    for (;;) {
      const chunk = Buffer.alloc(64 * 1024);
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) return Buffer.concat(chunks, size);
      size += read;
      if (size > limit)
        throw new CliError(
          `${path} is larger than ${limit / 1024 / 1024} MiB: is it the right file?`,
          EXIT.input,
        );
      chunks.push(chunk.subarray(0, read));
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new CliError(`${path} cannot be read: ${code}`, EXIT.input);
  } finally {
    if (fd !== undefined && fd !== 0) closeSync(fd);
  }
}

/** A JSON or YAML document from a file, or from standard input for "-". */
export function readDocument(path: string, limit = DOCUMENT_LIMIT): unknown {
  const text = readText(path, limit);
  // JSON is read as JSON: YAML reads it too, but a large document many times slower.
  let jsonError: string | undefined;
  if (/^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch (error) {
      jsonError = (error as Error).message; // perhaps YAML's flow style ({a: 1}): YAML decides
    }
  }
  const document = parseDocument(text, { logLevel: 'silent' });
  const [problem] = [...document.errors, ...document.warnings];
  if (problem === undefined) {
    try {
      return document.toJS({ maxAliasCount: 100 });
    } catch (error) {
      // More aliases than a design has: a document built to expand without end.
      throw new CliError(`${path} is not JSON or YAML: ${oneLine((error as Error).message)}`, EXIT.input);
    }
  }
  throw new CliError(
    jsonError === undefined
      ? `${path} is not JSON or YAML: ${oneLine(problem.message)}`
      : `${path} is not valid JSON: ${jsonError}`,
    EXIT.input,
  );
}

/** The first line of a parser's message, without the colon that introduced its excerpt. */
function oneLine(message: string): string {
  return (message.split('\n')[0] ?? '').replace(/:\s*$/, '');
}
