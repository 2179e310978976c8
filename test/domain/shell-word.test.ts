import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shellWord } from '../../src/domain/shell-word.js';
import { UNSEEN_IN_CODE } from '../../src/domain/visible-text.js';

/** What bash makes of each word: printf writes them back, each ended by a NUL. */
function bashWords(words: string[]): string[] {
  const script = `printf '%s\\0' ${words.map(shellWord).join(' ')}`;
  return execFileSync('bash', ['-c', script], { encoding: 'utf8' }).split('\0').slice(0, -1);
}

describe('shellWord', () => {
  it('gives bash back every text as one word, NUL (no shell word holds one) as U+FFFD', () => {
    // Every ASCII character, quotes, escapes and hidden ones more often, and some beyond ASCII.
    const unit = fc.oneof(
      fc.constantFrom("'", '\\', '$', '`', '"', '\n', '\u001b', '\u007f', '\u0085', '\u009b', ' '),
      fc.constantFrom('é', '😀', '\u202e', '\u2066', '\u2028', '\u061c', '\u0000'),
      fc.integer({ min: 0, max: 0x7f }).map((code) => String.fromCharCode(code)),
    );
    const text = fc.string({ unit, maxLength: 12 });
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 20 }), (words) => {
        expect(bashWords(words)).toEqual(words.map((word) => word.replaceAll('\u0000', '\ufffd')));
      }),
      { numRuns: 50 },
    );
  });

  it('writes no character a reader would not see raw, and plain text in plain single quotes', () => {
    expect(shellWord("it's")).toBe("'it'\\''s'");
    expect(shellWord('a\u001b[2J\nb')).toBe("$'a\\x1b[2J\\x0ab'");
    expect(shellWord("\u007f'\\")).toBe("$'\\x7f\\'\\\\'");
    // C1 and bidirectional controls, line separators: their UTF-8 bytes, as any locale reads them.
    expect(shellWord('a\u009b2J\u202eb\u2028c')).toBe("$'a\\xc2\\x9b2J\\xe2\\x80\\xaeb\\xe2\\x80\\xa8c'");
    expect(shellWord('prod\u0000; rm')).toBe("'prod\ufffd; rm'");
    const hidden = fc.string({
      unit: fc.constantFrom('a', "'", '\u0000', '\u0085', '\u200f', '\u2029', '\u0007'),
    });
    fc.assert(
      fc.property(hidden, (text) => {
        expect(shellWord(text).search(UNSEEN_IN_CODE)).toBe(-1);
      }),
    );
  });
});
