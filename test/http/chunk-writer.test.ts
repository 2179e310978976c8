import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChunkWriter } from '../../src/http/chunk-writer.js';

/** What a writer of tiny first buffers holds after `write`, as text: every write meets a buffer's end. */
function written(write: (out: ChunkWriter) => void, padding: number): string {
  const out = new ChunkWriter(8);
  out.raw('.'.repeat(padding));
  write(out);
  return Buffer.concat(out.take()).toString().slice(padding);
}

describe('ChunkWriter', () => {
  it('writes any text as JSON.stringify does, escaped or not', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary' }), // lone surrogates, controls, non-ASCII
      fc.stringMatching(/^[a-z0-9"\\-]{0,40}$/),
      fc.string({ minLength: 60_000, maxLength: 70_000, unit: fc.constantFrom('a', 'é', '"') }),
    );
    fc.assert(
      fc.property(text, fc.nat(16), (value, padding) => {
        expect(written((out) => out.jsonString(value), padding)).toBe(JSON.stringify(value));
      }),
      { numRuns: 300 },
    );
  });

  it("writes an IPv4 address's dotted text from its value", () => {
    fc.assert(
      fc.property(fc.nat(0xffffffff), fc.nat(16), (value, padding) => {
        const dotted = [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join('.');
        expect(written((out) => out.ipv4(value), padding)).toBe(dotted);
      }),
    );
    expect(written((out) => out.ipv4(0), 0)).toBe('0.0.0.0');
    expect(written((out) => out.ipv4(0xffffffff), 3)).toBe('255.255.255.255');
    expect(written((out) => out.ipv4(0x0a64090a), 7)).toBe('10.100.9.10');
  });

  it('writes any number as String does, integers below 2^31 digit by digit', () => {
    const value = fc.oneof(
      fc.integer({ min: 0, max: 0x7fffffff }),
      fc.constantFrom(0, 9, 10, 99, 100, 0x7fffffff, 0x80000000, -1, 1.5, -0, 1e21),
      fc.double(),
    );
    fc.assert(
      fc.property(value, fc.nat(16), (n, padding) => {
        expect(written((out) => out.digits(n), padding)).toBe(String(n));
      }),
      { numRuns: 300 },
    );
  });

  it('hands back what was written as text, and the next text starts empty on the same writer', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('a', 'é', '"', '€') }), { minLength: 1, maxLength: 4 }),
        fc.nat(8),
        (texts, padding) => {
          // Text before each one fills part of a tiny buffer: the text lands in the next, and
          // the take joins them.
          const out = new ChunkWriter(8);
          for (const text of texts) {
            out.raw('x'.repeat(padding)).utf8(text).raw('.');
            expect(out.takeText()).toBe(`${'x'.repeat(padding)}${text}.`);
          }
        },
      ),
    );
  });
});
