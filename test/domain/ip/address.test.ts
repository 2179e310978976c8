import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { DomainError } from '../../../src/domain/errors.js';
import { IpAddress } from '../../../src/domain/ip/index.js';

function parseError(text: string): DomainError {
  try {
    IpAddress.parse(text);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`"${text}" was accepted`);
}

describe('IpAddress.parse: IPv4', () => {
  it.each([
    ['10.240.0.4', 4, 0x0af00004n], // an ordinary private address
    ['0.0.0.0', 4, 0n], // lowest address, single-digit zero octets are not "leading zeros"
    ['255.255.255.255', 4, 0xffffffffn], // highest address, every octet at its maximum
    ['192.168.100.1', 4, 0xc0a86401n], // three-digit octets
  ])('accepts %s', (text, family, value) => {
    const address = IpAddress.parse(text);
    expect(address.family).toBe(family);
    expect(address.value).toBe(value);
    expect(address.toString()).toBe(text);
  });

  it.each([
    ['010.0.0.0'], // leading zero (would be octal in some parsers)
    ['10.0.0.00'], // leading zero in the last octet
    ['10.0.0'], // missing octet
    ['10'], // a single number is not a dotted quad
    ['10.0.0.0.0'], // one octet too many
    ['256.0.0.1'], // octet above 255
    ['10.0.0.300'], // last octet above 255
    ['10.0.0.-1'], // negative octet
    ['10..0.0'], // empty octet
    ['10.0.0.'], // trailing dot
    [''], // empty text
    [' 10.0.0.0'], // surrounding whitespace is not trimmed
    ['0x0a.0.0.0'], // hexadecimal octet
    ['1.2.3.4a'], // trailing garbage
    ['1.2.3.1234'], // four-digit octet
  ])('rejects %j with IP_INVALID quoting the input', (text) => {
    const error = parseError(text);
    expect(error.code).toBe('IP_INVALID');
    expect(error.message).toContain(`"${text}"`);
    expect(error.message).toContain('IPv4');
  });
});

describe('IpAddress.parse: IPv6 and RFC 5952 canonical text', () => {
  it.each([
    ['FD12:3456:789A:0:1:0:0:0', 'fd12:3456:789a:0:1::'], // uppercase; the trailing 3-group run is compressed, the single zero is not
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // two equal runs: the first one is compressed
    ['2001:db8:0:0:0:1:0:0', '2001:db8::1:0:0'], // the longer run wins over an earlier/later shorter one
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'], // the longest run wins even when it is not first
    ['::', '::'], // all zeros
    ['0:0:0:0:0:0:0:0', '::'], // all zeros written out
    ['::1', '::1'], // loopback
    ['0:0:0:0:0:0:0:1', '::1'], // loopback written out
    ['1::', '1::'], // run at the end
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // a single zero group is not compressed
    ['2001:db8::1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // "::" standing for one group is expanded back
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'], // leading zeros in groups are dropped
    ['fd12:3456:789a::', 'fd12:3456:789a::'], // already canonical
    ['FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'], // highest address, lowercased
  ])('formats %s as %s', (text, canonical) => {
    const address = IpAddress.parse(text);
    expect(address.family).toBe(6);
    expect(address.toString()).toBe(canonical);
    expect(IpAddress.parse(canonical).equals(address)).toBe(true);
  });

  it('parses the value, not just the text', () => {
    expect(IpAddress.parse('::1').value).toBe(1n);
    expect(IpAddress.parse('1::').value).toBe(1n << 112n);
    expect(IpAddress.parse('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff').value).toBe((1n << 128n) - 1n);
  });

  it.each([
    ['1::2::3'], // "::" twice
    ['1:2:3:4:5:6:7:8:9'], // nine groups
    ['1:2:3:4:5:6:7'], // seven groups without "::"
    ['1:2:3:4:5:6:7::8'], // "::" with eight explicit groups around it
    ['12345::'], // group of five hex digits
    ['g::1'], // not a hex digit
    ['::ffff:1.2.3.4'], // embedded IPv4 notation is refused
    ['fe80::1%eth0'], // zone identifier
    [':1:2:3:4:5:6:7'], // single leading colon
    ['1:2:3:4:5:6:7:'], // single trailing colon
    [':::'], // three colons
  ])('rejects %j with IP_INVALID quoting the input', (text) => {
    const error = parseError(text);
    expect(error.code).toBe('IP_INVALID');
    expect(error.message).toContain(`"${text}"`);
    expect(error.message).toContain('IPv6');
    expect(error.problems).toHaveLength(1);
  });
});

describe('IpAddress values', () => {
  it('moves by offsets and measures distances', () => {
    const node = IpAddress.parse('10.240.0.4');
    expect(node.plus(110).toString()).toBe('10.240.0.114');
    expect(node.plus(-4).toString()).toBe('10.240.0.0');
    expect(node.plus(252n).toString()).toBe('10.240.1.0');
    expect(IpAddress.parse('10.240.0.115').distanceFrom(node)).toBe(111n);
  });

  it('refuses to leave its address space', () => {
    expect(() => IpAddress.parse('255.255.255.255').plus(1)).toThrow(RangeError);
    expect(() => IpAddress.parse('0.0.0.0').plus(-1)).toThrow(RangeError);
    expect(() => IpAddress.of(4, 1n << 32n)).toThrow(RangeError);
    expect(() => IpAddress.of(6, -1n)).toThrow(RangeError);
    expect(IpAddress.of(6, (1n << 128n) - 1n).toString()).toBe('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff');
  });

  it('compares by family and value', () => {
    expect(IpAddress.parse('10.0.0.1').equals(IpAddress.parse('10.0.0.1'))).toBe(true);
    expect(IpAddress.parse('10.0.0.1').equals(IpAddress.parse('10.0.0.2'))).toBe(false);
    // ::1 and 0.0.0.1 share the numeric value 1 but are different addresses.
    expect(IpAddress.parse('::1').equals(IpAddress.parse('0.0.0.1'))).toBe(false);
  });

  it('serialises to its canonical text in JSON', () => {
    expect(JSON.stringify({ ip: IpAddress.parse('FD12::0001') })).toBe('{"ip":"fd12::1"}');
  });
});

describe('IpAddress.tryParse and whyNot', () => {
  // Texts near addresses, so that most fail late: a character off, a group too many, a tail.
  const nearAddress = fc.oneof(
    fc.ipV4(),
    fc.ipV6(),
    fc.string({ unit: fc.constantFrom(...'0123456789abcdef.:%/ -x'), maxLength: 45 }),
    fc.tuple(fc.ipV6(), fc.constantFrom('', ':', '::', '.1', ':1.2.3.4', 'g')).map(([a, b]) => a + b),
  );

  it('agree with parse: the same addresses, and the very words it throws', () => {
    fc.assert(
      fc.property(nearAddress, (text) => {
        let thrown: string | undefined;
        let parsed: IpAddress | undefined;
        try {
          parsed = IpAddress.parse(text);
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          thrown = error.message;
        }
        expect(IpAddress.whyNot(text)).toBe(thrown);
        expect(IpAddress.tryParse(text)?.toString()).toBe(parsed?.toString());
      }),
      { numRuns: 3000 },
    );
  });

  it('build no error for text that is no address (a flow log has millions of bad lines)', () => {
    const invalid = vi.spyOn(DomainError, 'invalid');
    try {
      for (const text of ['y', '10.0.0.256', '::1::2', 'fe80::1%eth0', '']) {
        expect(IpAddress.tryParse(text)).toBeUndefined();
        expect(IpAddress.whyNot(text)).toEqual(expect.any(String));
      }
      expect(invalid).not.toHaveBeenCalled();
    } finally {
      invalid.mockRestore();
    }
  });
});
