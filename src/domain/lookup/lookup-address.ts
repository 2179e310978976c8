import { IpAddress } from '../ip/index.js';
import { formatIpv4Number, ipv4Value } from '../ip/text.js';

/**
 * An address to look up. IPv4 stays a 32-bit number until a plan needs the domain's
 * IpAddress: most addresses of a flow log match no plan or one, and BigInt costs.
 */
export type LookupAddress =
  | { readonly family: 4; readonly value: number; readonly text: string }
  | { readonly family: 6; readonly address: IpAddress; readonly text: string };

/** The longest text an address to look up may have: longer ones are none. */
export const MAX_ADDRESS_TEXT = 64;

/**
 * The address `text` names (its canonical text kept), or undefined when it is none. An
 * IPv4-mapped IPv6 address (::ffff:10.240.0.4, or ::ffff:af0:4), as dual-stack sockets log an
 * IPv4 peer, is that IPv4 address: no AKS range is IPv4-mapped, and its owner is the IPv4 one.
 */
export function parseLookupAddress(text: string): LookupAddress | undefined {
  // No address is longer (IPv6 with a dotted tail: 45): a flow log's 8 KiB garbage line is
  // refused here, not scanned by the parsers.
  if (text.length > MAX_ADDRESS_TEXT) return undefined;
  const value = ipv4Value(text);
  if (value !== undefined) return { family: 4, value, text };
  const address = IpAddress.tryParse(withHexTail(text));
  if (address === undefined || address.family === 4) return undefined;
  if (address.value >> 32n === 0xffffn) {
    const mapped = Number(address.value & 0xffff_ffffn);
    return { family: 4, value: mapped, text: formatIpv4Number(mapped) };
  }
  return { family: 6, address, text: address.toString() };
}

const DOTTED_TAIL = /^([0-9a-f:]*:)([0-9.]+)$/i;

/** IPv6 text that ends in dotted IPv4 (RFC 4291 2.2: "::ffff:10.240.0.4") in hex groups instead. */
function withHexTail(text: string): string {
  const parts = DOTTED_TAIL.exec(text);
  const tail = parts?.[2] === undefined ? undefined : ipv4Value(parts[2]);
  if (parts === null || tail === undefined) return text;
  return `${parts[1]}${(tail >>> 16).toString(16)}:${(tail & 0xffff).toString(16)}`;
}

export function toIpAddress(address: LookupAddress): IpAddress {
  return address.family === 4 ? IpAddress.ipv4(address.value) : address.address;
}

export function fromIpAddress(address: IpAddress): LookupAddress {
  return address.family === 4
    ? { family: 4, value: Number(address.value), text: address.toString() }
    : { family: 6, address, text: address.toString() };
}
