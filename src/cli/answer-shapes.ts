/**
 * What the commands read of the server's answers, checked before they read it: a proxy, another
 * service or another version that answers JSON of another shape is said to be so, in one line,
 * rather than printed as "undefined" or failing on a property of nothing.
 */

/** A match of a lookup: the fields the table prints. */
export interface Match {
  readonly planName: string;
  readonly role: string;
  readonly pool?: string;
  readonly nodeName?: string;
  readonly nodeIp?: string;
}

export interface LookupAnswer {
  readonly results: readonly {
    readonly ip: string;
    readonly matches: readonly Match[];
    /** How many plans the address matched: more than `matches` when the answer was cut. */
    readonly matchCount?: number;
  }[];
}

export interface NodeImportAnswer {
  readonly recorded: number;
  readonly skipped?: readonly { readonly name: string }[];
}

export interface PodImportAnswer {
  readonly seen: number;
  readonly opened: number;
  readonly closed: number;
}

type Fields = Record<string, unknown>;

const isObject = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;
const optionalText = (value: unknown) => value === undefined || typeof value === 'string';
const listOf = (value: unknown, is: (item: unknown) => boolean) => Array.isArray(value) && value.every(is);

const isMatch = (m: unknown): m is Match =>
  isObject(m) &&
  typeof m.planName === 'string' &&
  typeof m.role === 'string' &&
  optionalText(m.pool) &&
  optionalText(m.nodeName) &&
  optionalText(m.nodeIp);

export const isLookupAnswer = (value: unknown): value is LookupAnswer =>
  isObject(value) &&
  listOf(value.results, (r) => isObject(r) && typeof r.ip === 'string' && listOf(r.matches, isMatch));

export const isNodeImportAnswer = (value: unknown): value is NodeImportAnswer =>
  isObject(value) &&
  isCount(value.recorded) &&
  (value.skipped === undefined || listOf(value.skipped, (n) => isObject(n) && typeof n.name === 'string'));

export const isPodImportAnswer = (value: unknown): value is PodImportAnswer =>
  isObject(value) && isCount(value.seen) && isCount(value.opened) && isCount(value.closed);
