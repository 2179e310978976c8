/**
 * Strict text forms of addresses. IPv4 is read and written here (a dotted quad is simple, and
 * lookups parse millions); ip-num converts IPv6 text to numbers but accepts too much, so syntax
 * is checked here first, and the RFC 5952 form that ip-num does not produce is written here.
 */
import { IPv6 } from 'ip-num';

/** Why a text is not an address, or undefined when it is one of the family's strict forms. */
export function ipv4SyntaxError(text: string): string | undefined {
  const octets = text.split('.');
  if (octets.length !== 4) return `expected 4 dot-separated octets, found ${octets.length}`;
  for (const octet of octets) {
    if (!/^\d{1,3}$/.test(octet)) return `octet "${octet}" is not a decimal number of 1-3 digits`;
    if (octet.length > 1 && octet.startsWith('0')) return `octet "${octet}" has a leading zero`;
    if (Number(octet) > 255) return `octet ${octet} is out of range 0-255`;
  }
  return undefined;
}

export function ipv6SyntaxError(text: string): string | undefined {
  if (text.includes('%')) return 'zone identifiers are not accepted';
  if (text.includes('.')) {
    // Lookups read a valid dotted tail (::ffff:10.0.0.1); a broken one is what to point at.
    const tail = text.slice(text.lastIndexOf(':') + 1);
    const why = ipv4SyntaxError(tail);
    return why === undefined
      ? 'embedded IPv4 notation is not accepted; write the groups in hex'
      : `its IPv4 part "${tail}" is not valid: ${why}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return '"::" may appear only once';
  const groups = halves.flatMap((half) => (half === '' ? [] : half.split(':')));
  for (const group of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return `group "${group}" is not 1-4 hex digits`;
  }
  if (halves.length === 1 && groups.length !== 8) return `expected 8 groups, found ${groups.length}`;
  if (halves.length === 2 && groups.length > 7) return 'too many groups around "::"';
  return undefined;
}

const DOT = 46;
const ZERO = 48;
const NINE = 57;

/**
 * The value of a strict dotted quad as a number, or undefined: the hot path of lookups parses
 * millions of these, so it reads characters once, with no regular expression and no BigInt.
 * Accepts exactly what ipv4SyntaxError accepts.
 */
export function ipv4Value(text: string): number | undefined {
  if (text.length < 7 || text.length > 15) return undefined;
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === DOT) {
      if (digits === 0 || dots === 3) return undefined;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (c >= ZERO && c <= NINE) {
      if (digits > 0 && octet === 0) return undefined; // a leading zero
      octet = octet * 10 + (c - ZERO);
      if (octet > 255) return undefined;
      digits++;
    } else {
      return undefined;
    }
  }
  if (digits === 0 || dots !== 3) return undefined;
  return value * 256 + octet;
}

export function ipv4ToBigint(text: string): bigint {
  const value = ipv4Value(text);
  if (value === undefined) throw new RangeError(`"${text}" is not a dotted quad`);
  return BigInt(value);
}

export function ipv6ToBigint(text: string): bigint {
  return IPv6.fromString(text).getValue();
}

export function formatIpv4(value: bigint): string {
  return formatIpv4Number(Number(value));
}

export function formatIpv4Number(n: number): string {
  return `${Math.floor(n / 16777216)}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** RFC 5952: lowercase, no leading zeros, the longest run (first on ties) of 2+ zero groups as "::". */
export function formatIpv6(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt((7 - i) * 16)) & 0xffffn));
  const run = longestZeroRun(groups);
  const hex = groups.map((g) => g.toString(16));
  if (run.length < 2) return hex.join(':');
  const head = hex.slice(0, run.start).join(':');
  const tail = hex.slice(run.start + run.length).join(':');
  return `${head}::${tail}`;
}

function longestZeroRun(groups: number[]): { start: number; length: number } {
  let best = { start: 0, length: 0 };
  let start = -1;
  groups.forEach((g, i) => {
    if (g !== 0) {
      start = -1;
      return;
    }
    if (start < 0) start = i;
    const length = i - start + 1;
    if (length > best.length) best = { start, length };
  });
  return best;
}
