import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IpAddress } from '../../../src/domain/ip/index.js';
import { formatIpv4Number, ipv4SyntaxError, ipv4Value } from '../../../src/domain/ip/text.js';

/** Text close to a dotted quad: digits and dots mostly, with the odd stray character. */
const nearQuad = fc
  .array(
    fc.constantFrom(...'0123456789.'.split(''), '0', '.', '25', '255', '256', '00', 'a', ' ', '-', ':'),
    {
      maxLength: 18,
    },
  )
  .map((parts) => parts.join(''));
const octet = fc.integer({ min: 0, max: 255 });
const quad = fc.tuple(octet, octet, octet, octet);

describe('the IPv4 fast path agrees with the strict syntax check', () => {
  it('accepts exactly the texts ipv4SyntaxError accepts, with the same value', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          nearQuad,
          quad.map((q) => q.join('.')),
        ),
        (text) => {
          const strict = ipv4SyntaxError(text) === undefined;
          const value = ipv4Value(text);
          expect(value !== undefined).toBe(strict);
          if (value !== undefined) {
            const reference = text.split('.').reduce((v, o) => v * 256 + Number(o), 0);
            expect(value).toBe(reference);
          }
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('round-trips every value through its text', () => {
    fc.assert(
      fc.property(quad, (q) => {
        const text = q.join('.');
        const value = ipv4Value(text) ?? -1;
        expect(formatIpv4Number(value)).toBe(text);
        expect(IpAddress.parse(text).toString()).toBe(text);
        expect(IpAddress.ipv4(value).value).toBe(BigInt(value));
      }),
    );
  });

  it.each(['01.2.3.4', '1.2.3', '1.2.3.4.', '.1.2.3', '1..2.3', '256.0.0.0', '1.2.3.4 ', '１.2.3.4'])(
    'refuses %j',
    (text) => {
      expect(ipv4Value(text)).toBeUndefined();
      expect(IpAddress.tryParse(text)).toBeUndefined();
    },
  );

  it.each([-1, 2 ** 32, 1.5, Number.NaN])('refuses the value %s as an IPv4 address', (value) => {
    expect(() => IpAddress.ipv4(value)).toThrow(RangeError);
  });
});
