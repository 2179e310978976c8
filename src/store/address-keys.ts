import { bitsOf, Cidr, IpAddress, type IpFamily } from '../domain/ip/index.js';

/** 32 hex digits: text order equals numeric order for both families. */
export function addressKey(address: IpAddress): string {
  return address.value.toString(16).padStart(32, '0');
}

/**
 * The keys of every prefix that could contain `address`, one per prefix length. Stored
 * ranges are CIDRs, so a range contains the address exactly when its first address is
 * one of these keys and its last address is not below the address.
 */
export function enclosingPrefixKeys(address: IpAddress): string[] {
  const lengths = Array.from({ length: bitsOf(address.family) + 1 }, (_, i) => i);
  return lengths.map((length) => addressKey(Cidr.containing(address, length).first));
}

/** The address a key encodes: the inverse of addressKey. */
export function addressOfKey(family: IpFamily, key: string): IpAddress {
  return IpAddress.of(family, BigInt(`0x${key}`));
}
