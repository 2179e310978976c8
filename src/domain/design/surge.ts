/** Matches a whole-number percentage such as "33%" (0-100). */
const PERCENT = /^(100|[1-9]?\d)%$/;
/** Whole nodes as text: as many digits as the API's 8 characters hold, as the number form takes any. */
const WHOLE_NODES = /^\d{1,8}$/;

/**
 * AKS takes maxSurge as a string ("5" or "33%"), as ARM templates and Bicep write it: "5" is
 * five nodes, the same as 5, which is the form a design keeps.
 */
export function canonicalSurge(maxSurge: number | string | undefined): number | string | undefined {
  return typeof maxSurge === 'string' && WHOLE_NODES.test(maxSurge) ? Number(maxSurge) : maxSurge;
}

export function isValidSurge(maxSurge: number | string): boolean {
  return typeof maxSurge === 'number' ? Number.isInteger(maxSurge) && maxSurge >= 0 : PERCENT.test(maxSurge);
}

/**
 * Extra nodes an upgrade adds to a pool of `poolSize`: a count, or a percentage rounded up, and
 * never more than the nodes there are to upgrade ("if the max surge value is higher than the
 * required number of nodes to be upgraded, the number of nodes to be upgraded is used").
 */
export function surgeNodes(maxSurge: number | string, poolSize: number): number {
  const asked =
    typeof maxSurge === 'number' ? maxSurge : Math.ceil((poolSize * Number(maxSurge.slice(0, -1))) / 100);
  return Math.min(asked, poolSize);
}
