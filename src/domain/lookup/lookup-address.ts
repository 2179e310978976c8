import { IpAddress } from '../ip/index.js';
import { ipv4Value } from '../ip/text.js';

/**
 * An address to look up. IPv4 stays a 32-bit number until a plan needs the domain's
 * IpAddress: most addresses of a flow log match no plan or one, and BigInt costs.
 */
export type LookupAddress =
  | { readonly family: 4; readonly value: number; readonly text: string }
  | { readonly family: 6; readonly address: IpAddress; readonly text: string };

/** The address `text` names (its canonical text kept), or undefined when it is none. */
export function parseLookupAddress(text: string): LookupAddress | undefined {
  const value = ipv4Value(text);
  if (value !== undefined) return { family: 4, value, text };
  const address = IpAddress.tryParse(text);
  if (address === undefined || address.family === 4) return undefined;
  return { family: 6, address, text: address.toString() };
}

export function toIpAddress(address: LookupAddress): IpAddress {
  return address.family === 4 ? IpAddress.ipv4(address.value) : address.address;
}

export function fromIpAddress(address: IpAddress): LookupAddress {
  return address.family === 4
    ? { family: 4, value: Number(address.value), text: address.toString() }
    : { family: 6, address, text: address.toString() };
}
