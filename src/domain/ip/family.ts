export type IpFamily = 4 | 6;

/** Address width in bits for each family. */
export function bitsOf(family: IpFamily): number {
  return family === 4 ? 32 : 128;
}

/**
 * The fewest host bits whose block holds `count` items (addresses, blocks, slots): 0 for one,
 * 8 for 256, 9 for 257. What "the smallest prefix holding N" rests on.
 */
export function hostBitsFor(count: bigint): number {
  let bits = 0;
  while (1n << BigInt(bits) < count) bits++;
  return bits;
}

export function familyName(family: IpFamily): 'IPv4' | 'IPv6' {
  return family === 4 ? 'IPv4' : 'IPv6';
}
