/** 1,581: counts in explanations are written the way the documentation writes them. */
export function formatCount(n: bigint | number): string {
  return BigInt(n).toLocaleString('en-US');
}
