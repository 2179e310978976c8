import { DomainError } from '../errors.js';
import { bitsOf, familyName, type IpFamily } from './family.js';
import {
  formatIpv4,
  formatIpv6,
  ipv4SyntaxError,
  ipv4ToBigint,
  ipv4Value,
  ipv6SyntaxError,
  ipv6ToBigint,
} from './text.js';

/** An IPv4 or IPv6 address: an immutable value with one canonical text form. */
export class IpAddress {
  /** The text form, written once on first use: lookups format the same addresses often. */
  #text: string | undefined;

  private constructor(
    readonly family: IpFamily,
    readonly value: bigint,
  ) {}

  /**
   * The address `text` names, or undefined where `parse` would throw. No error is built: a flow
   * log's bad lines come by the million, and an error with its stack cost about 30 µs each.
   */
  static tryParse(text: string): IpAddress | undefined {
    const v4 = ipv4Value(text);
    if (v4 !== undefined) return new IpAddress(4, BigInt(v4));
    return syntaxError(text) === undefined ? IpAddress.ofValidText(text) : undefined;
  }

  /** Parses a strict dotted quad or an IPv6 address; throws IP_INVALID quoting the input. */
  static parse(text: string): IpAddress {
    const v4 = ipv4Value(text);
    if (v4 !== undefined) return new IpAddress(4, BigInt(v4));
    const reason = syntaxError(text);
    if (reason !== undefined) throw DomainError.invalid('IP_INVALID', '', worded(text, reason));
    return IpAddress.ofValidText(text);
  }

  /** Why `text` is no address, in the words `parse` throws with, or undefined when it is one. */
  static whyNot(text: string): string | undefined {
    if (ipv4Value(text) !== undefined) return undefined;
    const reason = syntaxError(text);
    return reason === undefined ? undefined : worded(text, reason);
  }

  /** The address of text that passed its syntax check. */
  private static ofValidText(text: string): IpAddress {
    const family = familyOfText(text);
    return new IpAddress(family, family === 4 ? ipv4ToBigint(text) : ipv6ToBigint(text));
  }

  /** The IPv4 address with this 32-bit value (from a fast parse). */
  static ipv4(value: number): IpAddress {
    if (!(value >= 0 && value <= 0xffffffff && Number.isInteger(value))) {
      throw new RangeError(`${value} is outside the IPv4 address space`);
    }
    return new IpAddress(4, BigInt(value));
  }

  /** The address with this numeric value; the value must fit the family's width. */
  static of(family: IpFamily, value: bigint): IpAddress {
    if (value < 0n || value >= 1n << BigInt(bitsOf(family))) {
      throw new RangeError(`${value} is outside the ${familyName(family)} address space`);
    }
    return new IpAddress(family, value);
  }

  /** The address `offset` places after this one (before it when negative). */
  plus(offset: bigint | number): IpAddress {
    return IpAddress.of(this.family, this.value + BigInt(offset));
  }

  /** How many places this address lies after `other` (same family). */
  distanceFrom(other: IpAddress): bigint {
    return this.value - other.value;
  }

  /** Orders addresses IPv4 first, then by value: negative, zero or positive. */
  static compare(a: IpAddress, b: IpAddress): number {
    return a.family - b.family || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);
  }

  equals(other: IpAddress): boolean {
    return this.family === other.family && this.value === other.value;
  }

  toString(): string {
    this.#text ??= this.family === 4 ? formatIpv4(this.value) : formatIpv6(this.value);
    return this.#text;
  }

  toJSON(): string {
    return this.toString();
  }
}

/** The family text means to name: IPv6 when it holds a colon. */
const familyOfText = (text: string): IpFamily => (text.includes(':') ? 6 : 4);

/** What is wrong with text as an address of the family it means, or undefined when nothing is. */
function syntaxError(text: string): string | undefined {
  return familyOfText(text) === 4 ? ipv4SyntaxError(text) : ipv6SyntaxError(text);
}

const worded = (text: string, reason: string) =>
  `"${text}" is not a valid ${familyName(familyOfText(text))} address: ${reason}`;
