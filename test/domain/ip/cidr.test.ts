import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../src/domain/errors.js';
import { Cidr, IpAddress } from '../../../src/domain/ip/index.js';

const cidr = (text: string) => Cidr.parse(text);
const ip = (text: string) => IpAddress.parse(text);

function parseError(text: string): DomainError {
  try {
    Cidr.parse(text);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`"${text}" was accepted`);
}

describe('Cidr.parse: accepted forms', () => {
  it.each([
    ['10.0.0.0/8', '10.0.0.0/8'], // ordinary private range
    ['10.240.0.0/16', '10.240.0.0/16'], // the documented node subnet
    ['0.0.0.0/0', '0.0.0.0/0'], // prefix length 0 is a plain "0", not a leading zero
    ['255.255.255.255/32', '255.255.255.255/32'], // a single address
    ['::/0', '::/0'], // the whole IPv6 space
    ['FD12:3456:789A::/64', 'fd12:3456:789a::/64'], // IPv6 network written in uppercase -> canonical
    ['fd12:3456:789a:0:1:0:0:0/80', 'fd12:3456:789a:0:1::/80'], // IPv6 written out -> compressed
    ['2001:db8::/128', '2001:db8::/128'], // longest IPv6 prefix
  ])('parses %s as %s', (text, canonical) => {
    expect(cidr(text).toString()).toBe(canonical);
  });

  it('exposes the network, prefix length and family', () => {
    const range = cidr('10.240.0.0/16');
    expect(range.network.toString()).toBe('10.240.0.0');
    expect(range.prefixLength).toBe(16);
    expect(range.family).toBe(4);
    expect(cidr('fd12::/64').family).toBe(6);
  });
});

describe('Cidr.parse: rejected forms', () => {
  it.each([
    ['10.0.0.0/33'], // IPv4 prefix longer than 32
    ['10.0.0.0/-1'], // negative prefix length
    ['10.0.0.0/01'], // prefix length with a leading zero
    ['10.0.0.0/+8'], // signed prefix length
    ['10.0.0.0/ 8'], // whitespace in the prefix length
    ['10.0.0.0/8.0'], // fractional prefix length
    ['10.0.0.0/'], // empty prefix length
    ['10.0.0.0'], // no prefix length at all
    ['10.0.0.0/24/1'], // two slashes
    ['/24'], // no address
    ['010.0.0.0/8'], // leading zero in the address
    ['10.0.0/24'], // missing octet in the address
    ['10.0.0.256/32'], // out-of-range octet in the address
    ['::/129'], // IPv6 prefix longer than 128
    ['fd12::g/64'], // bad IPv6 group
  ])('rejects %j with CIDR_INVALID quoting the input', (text) => {
    const error = parseError(text);
    expect(error.code).toBe('CIDR_INVALID');
    expect(error.message).toContain(`"${text}"`);
    expect(error.problems).toEqual([{ code: 'CIDR_INVALID', path: '', message: error.message }]);
  });

  it.each([
    ['10.0.0.1/24', '10.0.0.0/24'], // last octet set under a /24
    ['10.240.0.4/16', '10.240.0.0/16'], // a node IP given instead of its subnet
    ['10.0.0.0/7', '10.0.0.0/7'], // valid: 10 is even, so no host bit -> sanity row, must NOT be rejected
    ['11.0.0.0/7', '10.0.0.0/7'], // the lowest network bit of the first octet is a host bit under /7
    ['255.255.255.255/0', '0.0.0.0/0'], // every bit is a host bit under /0
    ['fd12:3456:789a::1/64', 'fd12:3456:789a::/64'], // IPv6 host bits, suggestion in canonical IPv6 text
  ])('%s: host bits set -> suggests %s', (text, canonical) => {
    if (text === canonical) {
      expect(cidr(text).toString()).toBe(canonical);
      return;
    }
    const error = parseError(text);
    expect(error.code).toBe('CIDR_HOST_BITS_SET');
    expect(error.message).toContain(`"${text}"`);
    expect(error.message).toContain(`did you mean ${canonical}?`);
  });

  it('writes the documented host-bits message', () => {
    expect(parseError('10.0.0.1/24').message).toBe(
      '"10.0.0.1/24" has host bits set; did you mean 10.0.0.0/24?',
    );
  });
});

describe('Cidr size', () => {
  it.each([
    ['10.0.0.0/8', 16777216n], // the /8 from the brief
    ['10.240.0.0/16', 65536n], // a /16
    ['10.240.0.0/24', 256n], // a /24
    ['10.240.0.0/29', 8n], // the smallest Azure subnet
    ['10.0.0.1/32', 1n], // a single address
    ['0.0.0.0/0', 4294967296n], // the whole IPv4 space (beyond 32-bit integers)
    ['fd12:3456:789a::/64', 18446744073709551616n], // IPv6 /64 = 2^64, beyond Number precision
    ['fd12:3456:789a:1::/108', 1048576n], // the largest IPv6 service CIDR
    ['::/0', 1n << 128n], // the whole IPv6 space
  ])('%s holds %s addresses', (text, size) => {
    expect(cidr(text).size).toBe(size);
    expect(typeof cidr(text).size).toBe('bigint');
  });

  it('knows its first and last address', () => {
    expect(cidr('10.240.0.0/24').first.toString()).toBe('10.240.0.0');
    expect(cidr('10.240.0.0/24').last.toString()).toBe('10.240.0.255');
    expect(cidr('fd12:3456:789a::/64').last.toString()).toBe('fd12:3456:789a:0:ffff:ffff:ffff:ffff');
  });
});

describe('Cidr.contains / covers / overlaps', () => {
  it.each([
    ['10.240.0.0/16', '10.240.0.0', true], // the network address itself
    ['10.240.0.0/16', '10.240.255.255', true], // the last address
    ['10.240.0.0/16', '10.239.255.255', false], // one before the range
    ['10.240.0.0/16', '10.241.0.0', false], // one past the range
    ['0.0.0.0/0', '255.255.255.255', true], // everything is in /0
    ['0.0.0.0/0', '::', false], // never across families
    ['::/0', '0.0.0.0', false], // never across families, the other way
    ['fd12:3456:789a::/64', 'fd12:3456:789a::ffff', true], // IPv6 host inside
    ['fd12:3456:789a::/64', 'fd12:3456:789a:1::', false], // next IPv6 /64
  ])('%s contains %s: %s', (range, address, expected) => {
    expect(cidr(range).contains(ip(address))).toBe(expected);
  });

  it.each([
    // a, b, a covers b, b covers a, overlap
    ['10.0.0.0/8', '10.240.0.0/16', true, false, true], // nested: the wider covers the narrower only
    ['10.240.0.0/16', '10.240.0.0/16', true, true, true], // equal ranges cover each other
    ['10.0.0.0/24', '10.0.1.0/24', false, false, false], // disjoint neighbours
    ['10.0.0.0/25', '10.0.0.128/25', false, false, false], // adjacent halves of one /24
    ['10.0.0.0/24', '10.0.0.255/32', true, false, true], // the last address of a range
    ['172.16.0.0/12', '172.30.0.0/16', true, false, true], // the forbidden-range case from the docs
    ['0.0.0.0/0', '::/0', false, false, false], // never across families
    ['fd12:3456:789a::/48', 'fd12:3456:789a:1::/64', true, false, true], // IPv6 nesting
  ])('%s vs %s: covers %s / %s, overlaps %s', (a, b, aCoversB, bCoversA, overlap) => {
    expect(cidr(a).covers(cidr(b))).toBe(aCoversB);
    expect(cidr(b).covers(cidr(a))).toBe(bCoversA);
    expect(cidr(a).overlaps(cidr(b))).toBe(overlap);
    expect(cidr(b).overlaps(cidr(a))).toBe(overlap);
  });
});

describe('Cidr arithmetic: at, offsetOf, subnet', () => {
  const subnet = cidr('10.240.0.0/16');

  it.each([
    [0, '10.240.0.0'], // the network address
    [4, '10.240.0.4'], // the first node IP of the node-subnet layout
    [115, '10.240.0.115'], // node 1 at maxPods 110
    [256, '10.240.1.0'], // crosses into the third octet
    [65535, '10.240.255.255'], // the last address
  ])('at(%s) = %s', (offset, address) => {
    expect(subnet.at(offset).toString()).toBe(address);
    expect(subnet.at(BigInt(offset)).toString()).toBe(address);
    expect(subnet.offsetOf(ip(address))).toBe(BigInt(offset));
  });

  it('refuses offsets outside the prefix', () => {
    expect(() => subnet.at(65536)).toThrow(RangeError);
    expect(() => subnet.at(-1)).toThrow(RangeError);
  });

  it('answers undefined for the offset of an outside address', () => {
    expect(subnet.offsetOf(ip('10.241.0.0'))).toBeUndefined();
    expect(subnet.offsetOf(ip('10.239.255.255'))).toBeUndefined();
    expect(subnet.offsetOf(ip('::1'))).toBeUndefined();
  });

  it('works on IPv6 offsets beyond 2^53', () => {
    const v6 = cidr('fd12:3456:789a::/64');
    expect(v6.at(1n << 60n).toString()).toBe('fd12:3456:789a:0:1000::');
    expect(v6.offsetOf(ip('fd12:3456:789a:0:ffff:ffff:ffff:ffff'))).toBe((1n << 64n) - 1n);
  });

  it.each([
    ['10.240.0.0/16', 24, 0, '10.240.0.0/24'], // first /24
    ['10.240.0.0/16', 24, 1, '10.240.1.0/24'], // second /24
    ['10.240.0.0/16', 24, 255, '10.240.255.0/24'], // last /24
    ['10.240.0.0/16', 16, 0, '10.240.0.0/16'], // same length: itself
    ['10.244.0.0/16', 24, 2, '10.244.2.0/24'], // kubenet/overlay third node's pod CIDR
    ['fd12:3456:789a::/64', 80, 0, 'fd12:3456:789a::/80'], // dual-stack first node /80
    ['fd12:3456:789a::/64', 80, 1, 'fd12:3456:789a:0:1::/80'], // dual-stack second node /80
  ])('%s.subnet(%s, %s) = %s', (range, length, index, expected) => {
    expect(cidr(range).subnet(length, index).toString()).toBe(expected);
    expect(cidr(range).subnet(length, BigInt(index)).toString()).toBe(expected);
  });

  it('refuses a subnet index past the end', () => {
    expect(() => cidr('10.240.0.0/16').subnet(24, 256)).toThrow(RangeError);
    expect(() => cidr('10.240.0.0/16').subnet(24, -1)).toThrow(RangeError);
  });

  it('refuses a "subnet" shorter than the prefix itself (it would not be inside, and could carry host bits)', () => {
    // 10.1.0.0/16 has no /8 inside it; answering "10.1.0.0/8" would be a Cidr with host bits set.
    expect(() => cidr('10.1.0.0/16').subnet(8, 0)).toThrow();
  });

  it('refuses a subnet length beyond the address width', () => {
    expect(() => cidr('10.240.0.0/16').subnet(33, 0)).toThrow();
  });
});

describe('Cidr values', () => {
  it('compares by network and length', () => {
    expect(cidr('10.0.0.0/16').equals(cidr('10.0.0.0/16'))).toBe(true);
    expect(cidr('10.0.0.0/16').equals(cidr('10.0.0.0/17'))).toBe(false);
    expect(cidr('0.0.0.0/0').equals(cidr('::/0'))).toBe(false);
  });

  it('builds the prefix containing an address', () => {
    expect(Cidr.containing(ip('10.240.7.9'), 16).toString()).toBe('10.240.0.0/16');
    expect(Cidr.containing(ip('fd12:3456:789a::1'), 64).toString()).toBe('fd12:3456:789a::/64');
  });

  it('serialises to its canonical text in JSON', () => {
    expect(JSON.stringify([cidr('FD12:3456:789A::/64')])).toBe('["fd12:3456:789a::/64"]');
  });
});
