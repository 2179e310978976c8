/**
 * What the main thread and the JSON worker say to each other about a large list body (see
 * ListParser). No framework here: the worker loads this module, and starts faster without one.
 */
import type { MessagePort } from 'node:worker_threads';
import type { ItemFields } from '../domain/kubectl-list.js';
import type { BodyProblem } from './json-checks.js';

/**
 * Values (objects, arrays, strings, numbers...) sent back per message: reading 50,000 of them
 * on the main thread takes a few ms. Parts are cut by values, not by items, so that a list of
 * millions of tiny items crosses in a few hundred messages and a list of large ones in many.
 */
export const VALUES_PER_PART = 50_000;

/**
 * Items a kubectl list may hold (the list schemas' maximum): more than any cluster's pods fit in
 * a pod import's 64 MiB, trimmed to their addresses. It bounds what crosses the thread too.
 */
export const MAX_LIST_ITEMS = 1_000_000;

/** A body to parse, the fields of its items to keep, and the port its answer comes back on. */
export interface ListJob {
  readonly bytes: Uint8Array;
  readonly fields: ItemFields;
  readonly port: MessagePort;
}

/** What the worker answers, in order: a refusal, a value that is no list, or a list in parts. */
export type ListMessage =
  | { readonly kind: 'refused'; readonly problem: BodyProblem }
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'whole'; readonly value: unknown }
  | { readonly kind: 'list'; readonly parts: number }
  | { readonly kind: 'items'; readonly items: unknown[] };

/**
 * What stands for a body that is no `{"items": [...]}`, or for its items when they are no
 * list: a value of the same JSON type, so that the route's schema refuses it with the same
 * words ("expected object, received array") without a large value crossing the thread.
 */
export function standIn(value: unknown): unknown {
  if (Array.isArray(value)) return [];
  if (typeof value === 'string') return '';
  if (typeof value !== 'object' || value === null) return value;
  const items = (value as { items?: unknown }).items;
  return items === undefined ? {} : { items: standIn(items) };
}

/**
 * What stands for a list of more than MAX_LIST_ITEMS items: an empty list one item longer, which
 * the schema refuses on its length before reading an item, and which crosses without its items.
 */
export function tooLongStandIn(): { items: unknown[] } {
  return { items: new Array(MAX_LIST_ITEMS + 1) };
}

/** The values in `value`, itself included, counted up to `enough` (the body is at most 32 deep). */
export function valuesIn(value: unknown, enough: number): number {
  if (typeof value !== 'object' || value === null) return 1;
  let count = 1;
  for (const child of Array.isArray(value) ? value : Object.values(value)) {
    count += valuesIn(child, enough - count);
    if (count >= enough) break;
  }
  return count;
}

/**
 * Values one item may hold in the fields its reader reads: an item is never split, and reading
 * one of a million values on the main thread would hold it as long as parsing the body there.
 * Real items hold a few dozen; a list with a heavier one is refused (ITEM_TOO_LARGE).
 */
export const MAX_ITEM_VALUES = 500_000;

/**
 * Items cut into parts of about `budget` values; an item is never split. An item holding
 * `heaviest` values or more is answered by its index instead.
 */
export function partsOf(
  items: readonly unknown[],
  budget = VALUES_PER_PART,
  heaviest = MAX_ITEM_VALUES,
): { readonly parts: unknown[][] } | { readonly heavyItem: number } {
  const parts: unknown[][] = [];
  let part: unknown[] = [];
  let values = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const inItem = valuesIn(item, heaviest);
    if (inItem >= heaviest) return { heavyItem: i };
    part.push(item);
    values += inItem;
    if (values >= budget) {
      parts.push(part);
      part = [];
      values = 0;
    }
  }
  if (part.length > 0) parts.push(part);
  return { parts };
}

/** The refusal of a list whose item `index` holds MAX_ITEM_VALUES values or more. */
export function heavyItemProblem(index: number): BodyProblem {
  const path = `items[${index}]`;
  const limit = MAX_ITEM_VALUES.toLocaleString('en-US');
  return {
    code: 'ITEM_TOO_LARGE',
    path,
    message: `${path} holds ${limit} values or more in the fields read; no kubectl object does`,
  };
}
