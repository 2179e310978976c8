/** Matches a whole-number percentage such as "33%" (0-100). */
const PERCENT = /^(100|[1-9]?\d)%$/;

export function isValidSurge(maxSurge: number | string): boolean {
  return typeof maxSurge === 'number' ? Number.isInteger(maxSurge) && maxSurge >= 0 : PERCENT.test(maxSurge);
}

/** Extra nodes an upgrade adds to a pool of `poolSize`: a count, or a percentage rounded up. */
export function surgeNodes(maxSurge: number | string, poolSize: number): number {
  if (typeof maxSurge === 'number') return maxSurge;
  const percent = Number(maxSurge.slice(0, -1));
  return Math.ceil((poolSize * percent) / 100);
}
