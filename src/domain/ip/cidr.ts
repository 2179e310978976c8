import { DomainError } from '../errors.js';
import { IpAddress } from './address.js';
import { bitsOf, familyName, type IpFamily } from './family.js';

/** A CIDR prefix with no host bits set: an immutable value with one canonical text form. */
export class Cidr {
  /** Number of addresses in the prefix, computed once: lookups ask for it on every address. */
  readonly size: bigint;
  #text: string | undefined;

  private constructor(
    readonly network: IpAddress,
    readonly prefixLength: number,
  ) {
    this.size = 1n << BigInt(bitsOf(network.family) - prefixLength);
  }

  /** The CIDR `text` names, or undefined where `parse` would throw. */
  static tryParse(text: string): Cidr | undefined {
    try {
      return Cidr.parse(text);
    } catch (error) {
      if (error instanceof DomainError) return undefined;
      throw error;
    }
  }

  /**
   * Parses "address/length" strictly. Throws CIDR_INVALID for bad syntax and
   * CIDR_HOST_BITS_SET, suggesting the canonical form, when host bits are set.
   */
  static parse(text: string): Cidr {
    const parts = text.split('/');
    const [addressText, lengthText] = parts;
    if (parts.length !== 2 || addressText === undefined || lengthText === undefined) {
      throw invalidCidr(text, 'expected address/prefix-length');
    }
    const address = parseAddressPart(text, addressText);
    const prefixLength = parseLengthPart(text, lengthText, address.family);
    const cidr = Cidr.containing(address, prefixLength);
    if (!cidr.network.equals(address)) {
      throw DomainError.invalid(
        'CIDR_HOST_BITS_SET',
        '',
        `"${text}" has host bits set; did you mean ${cidr.toString()}?`,
      );
    }
    return cidr;
  }

  /** The prefix of the given length that contains `address` (host bits cleared). */
  static containing(address: IpAddress, prefixLength: number): Cidr {
    checkLength(prefixLength, 0, address.family);
    const hostBits = BigInt(bitsOf(address.family) - prefixLength);
    const network = (address.value >> hostBits) << hostBits;
    return new Cidr(IpAddress.of(address.family, network), prefixLength);
  }

  get family(): IpFamily {
    return this.network.family;
  }

  get first(): IpAddress {
    return this.network;
  }

  get last(): IpAddress {
    return this.network.plus(this.size - 1n);
  }

  /** The address `offset` places into the prefix; the offset must be inside it. */
  at(offset: bigint | number): IpAddress {
    const o = BigInt(offset);
    if (o < 0n || o >= this.size) throw new RangeError(`offset ${o} is outside ${this.toString()}`);
    return this.network.plus(o);
  }

  /** Position of `address` inside the prefix, or undefined when it lies outside. */
  offsetOf(address: IpAddress): bigint | undefined {
    return this.contains(address) ? address.distanceFrom(this.network) : undefined;
  }

  contains(address: IpAddress): boolean {
    if (address.family !== this.family) return false;
    const offset = address.distanceFrom(this.network);
    return offset >= 0n && offset < this.size;
  }

  /** True when every address of `other` is in this prefix. */
  covers(other: Cidr): boolean {
    return other.prefixLength >= this.prefixLength && this.contains(other.network);
  }

  /** Prefixes either nest or are disjoint, so two overlap exactly when one covers the other. */
  overlaps(other: Cidr): boolean {
    return this.covers(other) || other.covers(this);
  }

  /** The `index`-th prefix of length `prefixLength` inside this one, in address order. */
  subnet(prefixLength: number, index: bigint | number): Cidr {
    checkLength(prefixLength, this.prefixLength, this.family);
    const step = 1n << BigInt(bitsOf(this.family) - prefixLength);
    return new Cidr(this.at(step * BigInt(index)), prefixLength);
  }

  /** Orders prefixes IPv4 first, then by first address, then the wider one first. */
  static compare(a: Cidr, b: Cidr): number {
    return IpAddress.compare(a.network, b.network) || a.prefixLength - b.prefixLength;
  }

  equals(other: Cidr): boolean {
    return this.prefixLength === other.prefixLength && this.network.equals(other.network);
  }

  toString(): string {
    this.#text ??= `${this.network.toString()}/${this.prefixLength}`;
    return this.#text;
  }

  toJSON(): string {
    return this.toString();
  }
}

/** Programming errors, not input errors: lengths come from the code, never from clients. */
function checkLength(prefixLength: number, min: number, family: IpFamily): void {
  if (!Number.isInteger(prefixLength) || prefixLength < min || prefixLength > bitsOf(family)) {
    throw new RangeError(`prefix length ${prefixLength} is outside ${min}-${bitsOf(family)}`);
  }
}

function invalidCidr(text: string, reason: string): DomainError {
  return DomainError.invalid('CIDR_INVALID', '', `"${text}" is not a valid CIDR: ${reason}`);
}

function parseAddressPart(text: string, addressText: string): IpAddress {
  try {
    return IpAddress.parse(addressText);
  } catch (error) {
    if (error instanceof DomainError) throw invalidCidr(text, error.message);
    throw error;
  }
}

function parseLengthPart(text: string, lengthText: string, family: IpFamily): number {
  const max = bitsOf(family);
  if (!/^(0|[1-9]\d{0,2})$/.test(lengthText) || Number(lengthText) > max) {
    throw invalidCidr(text, `prefix length must be 0-${max} for ${familyName(family)}`);
  }
  return Number(lengthText);
}
