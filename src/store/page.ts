import type { LabelSelector, Labels } from '../domain/labels.js';

/** A page of a list: its items and an opaque cursor to the next page, null on the last. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

export interface PageQuery {
  readonly limit: number;
  readonly cursor?: string | undefined;
}

/** A page of plans or spaces, filtered by exact name and by label selectors (all must hold). */
export interface ListQuery extends PageQuery {
  readonly name?: string | undefined;
  readonly labels?: readonly LabelSelector[] | undefined;
  /**
   * Only what this team sees: plans carrying every one of these labels; spaces carrying them,
   * or none of their keys (shared).
   */
  readonly team?: Labels | undefined;
}

/** What a store stamps on what it writes: the time, and new ids. Tests and examples fix both. */
export interface StoreClock {
  now(): Date;
  newId(): string;
}
