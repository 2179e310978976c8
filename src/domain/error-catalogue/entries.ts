/** What kind of refusal a code is: HTTP turns kinds into statuses in one table. */
export type ErrorKind =
  /** The input breaks a rule: AKS (or the planner) would refuse it as it is. */
  | 'invalid'
  /** What the request names does not exist. */
  | 'not-found'
  /** The request clashes with what is stored: a name, a range, a change AKS cannot make. */
  | 'conflict'
  /** The client's copy is stale: it must read again. */
  | 'stale'
  /** The caller may see the thing but not change it. */
  | 'forbidden'
  /** A conditional header is required. */
  | 'precondition-required'
  /** A query parameter cannot be read. */
  | 'bad-query';

export interface ErrorEntry {
  readonly kind: ErrorKind;
  readonly title: string;
  readonly fix: string;
}

export const invalid = (title: string, fix: string): ErrorEntry => ({ kind: 'invalid', title, fix });
export const conflict = (title: string, fix: string): ErrorEntry => ({ kind: 'conflict', title, fix });
export const refused = (what: string): ErrorEntry =>
  conflict(
    `${what} cannot change on a running cluster`,
    `AKS cannot change ${what} of an existing cluster or pool: keep it as it is, or plan a new cluster (or pool) with the new value and migrate to it.`,
  );
