/** The body readers at their limits: a line of exactly the longest length, and keys in problem paths. */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { refusedTextProblem } from '../../src/http/json-checks.js';
import { END_OF_PIECE, readLines } from '../../src/http/line-reader.js';

async function linesOf(pieces: string[], maxLength: number) {
  const read: (string | { tooLong: true } | 'END')[] = [];
  for await (const line of readLines(Readable.from(pieces), maxLength))
    read.push(line === END_OF_PIECE ? 'END' : line);
  return read.map((line) => (typeof line === 'string' && line !== 'END' ? line.length : line));
}

describe('readLines at the longest line', () => {
  it('reads a line of exactly maxLength characters, in one piece or two, and refuses one more', async () => {
    const line = 'a'.repeat(8192);
    expect(await linesOf([`${line}\n10.0.0.1\n`], 8192)).toEqual([8192, 8, 'END']);
    expect(await linesOf([line, '\n10.0.0.1\n'], 8192)).toEqual([8192, 8, 'END']);
    expect(await linesOf([line], 8192)).toEqual([8192]);
    expect(await linesOf([`${line}a\n10.0.0.1\n`], 8192)).toEqual([{ tooLong: true }, 8, 'END']);
  });
});

describe('refused text in a key', () => {
  it('finds NUL in a key, naming it', () => {
    const body = '{"labels":{"te\\u0000am":"a"}}';
    expect(refusedTextProblem(body, JSON.parse(body))).toMatchObject({
      code: 'INVALID_VALUE',
      path: 'labels["te\\u0000am"]',
    });
  });

  it('names a key of 32 characters whole, however many UTF-16 units it takes', () => {
    const key = `${'k'.repeat(31)}\u{1F600}`;
    const body = JSON.stringify({ name: 'c1', [key]: 'a\u0000' });
    expect(refusedTextProblem(body, JSON.parse(body))?.path).toBe(`["${key}"]`);
  });
});
