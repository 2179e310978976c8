const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Counts are JSON numbers while exact, decimal strings beyond 2^53 (the public contract). */
export function jsonCount(n: bigint): number | string {
  return n <= MAX_SAFE && n >= -MAX_SAFE ? Number(n) : n.toString();
}
