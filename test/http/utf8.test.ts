import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstNonUtf8, notUtf8Problem } from '../../src/http/utf8.js';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('UTF-8 bodies', () => {
  it('finds the first byte of a sequence that is not well-formed', () => {
    const cases: [Uint8Array, number][] = [
      [bytes(0x61, 0x62), -1],
      [new Uint8Array(Buffer.from('café 👍 日本')), -1],
      [bytes(0xef, 0xbb, 0xbf, 0x7b, 0x7d), -1], // a byte-order mark is UTF-8
      [bytes(0x61, 0xe9, 0x62), 1], // Latin-1 é
      [bytes(0xc0, 0x80), 0], // an overlong NUL
      [bytes(0xe0, 0x80, 0x80), 0], // an overlong three-byte form
      [bytes(0x61, 0xed, 0xa0, 0x80), 1], // a surrogate, U+D800
      [bytes(0xf4, 0x90, 0x80, 0x80), 0], // above U+10FFFF
      [bytes(0xf5, 0x80, 0x80, 0x80), 0],
      [bytes(0x61, 0x62, 0xe6, 0x97), 2], // cut short at the end
      [bytes(0x80), 0], // a continuation byte alone
      [bytes(0xf0, 0x9f, 0x91, 0x8d, 0xff), 4],
    ];
    for (const [input, at] of cases) expect(firstNonUtf8(input), Buffer.from(input).toString('hex')).toBe(at);
  });

  it('agrees with the native check, and what comes before the offset is UTF-8 (any bytes)', () => {
    // Mostly high bytes, so that sequences start, continue and break often.
    const byte = fc.oneof(fc.integer({ min: 0x80, max: 0xff }), fc.integer({ min: 0, max: 0x7f }));
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 24 }), (values) => {
        const input = Uint8Array.from(values);
        const at = firstNonUtf8(input);
        expect(at === -1).toBe(isUtf8(input));
        if (at >= 0) expect(isUtf8(input.subarray(0, at))).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('refuses a body that is not UTF-8 as malformed JSON, naming the offset', () => {
    expect(notUtf8Problem(new Uint8Array(Buffer.from('{"a":"é"}')))).toBeUndefined();
    expect(notUtf8Problem(bytes(0x7b, 0x22, 0xe9, 0x22, 0x7d))).toEqual({
      code: 'MALFORMED_JSON',
      path: '',
      message: 'the body is not valid JSON: it is not UTF-8 (RFC 8259), from the byte at offset 2',
    });
  });
});
