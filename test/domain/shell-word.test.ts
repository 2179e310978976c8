import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shellWord } from '../../src/domain/shell-word.js';

/** What bash makes of each word: printf writes them back, each ended by a NUL. */
function bashWords(words: string[]): string[] {
  const script = `printf '%s\\0' ${words.map(shellWord).join(' ')}`;
  return execFileSync('bash', ['-c', script], { encoding: 'utf8' }).split('\0').slice(0, -1);
}

describe('shellWord', () => {
  it('gives bash back every text but NUL (no shell string holds one) as one word', () => {
    // Every ASCII character but NUL, quotes and escapes more often, and some beyond ASCII.
    const unit = fc.oneof(
      fc.constantFrom("'", '\\', '$', '`', '"', '\n', '\u001b', '\u007f', ' ', 'é', '😀'),
      fc.integer({ min: 1, max: 0x7f }).map((code) => String.fromCharCode(code)),
    );
    const text = fc.string({ unit, maxLength: 12 });
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 20 }), (words) => {
        expect(bashWords(words)).toEqual(words);
      }),
      { numRuns: 50 },
    );
  });

  it('writes no control character raw, and plain text in plain single quotes', () => {
    expect(shellWord("it's")).toBe("'it'\\''s'");
    expect(shellWord('a\u001b[2J\nb')).toBe("$'a\\x1b[2J\\x0ab'");
    expect(shellWord("\u007f'\\")).toBe("$'\\x7f\\'\\\\'");
  });
});
