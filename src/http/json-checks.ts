/**
 * The checks every JSON body passes after its parse, whichever thread parses it: no route reads
 * a body nested too deep, holding text no field may hold, or a key that poisons prototypes.
 * Plain functions of the text and the value, with no framework: a worker thread runs them too.
 */

import { fieldPath } from '../domain/field-path.js';

/** A body refused by a check: its code, where in the body, and why. */
export interface BodyProblem {
  readonly code: 'NESTING_TOO_DEEP' | 'INVALID_VALUE' | 'KEY_FORBIDDEN' | 'ITEM_TOO_LARGE' | 'MALFORMED_JSON';
  readonly path: string;
  readonly message: string;
}

/**
 * How deep a request body may nest. Designs are 4 levels deep and a kubectl document about 10;
 * the bound keeps free-form objects (merge patches, documents) from exhausting the stack of
 * whatever walks them later.
 */
export const MAX_BODY_DEPTH = 32;

/**
 * An object or array being walked: its children are read by index, so that a body of millions
 * of numbers is walked without an allocation per element (only containers get a frame).
 */
interface Frame {
  readonly value: object;
  /** An object's keys; undefined for an array. */
  readonly keys: readonly string[] | undefined;
  next: number;
  readonly depth: number;
  readonly parent: Frame | undefined;
  readonly key: string | number | undefined;
}

/** What the walk asks of each value: itself, its key in its container, and how deep it lies. */
type Stop = (value: unknown, key: string | number | undefined, depth: number) => boolean;

/** The path of the first value nested deeper than the bound, walked without recursion. */
function firstTooDeep(root: unknown): string | undefined {
  return firstVisit(root, (value, _key, depth) => depth >= MAX_BODY_DEPTH && isContainer(value));
}

/**
 * Text no field may hold. NUL: PostgreSQL stores no such text, and no field of the API has a use
 * for one. A lone UTF-16 surrogate: JSON can escape one, UTF-8 cannot store it (it would be
 * stored as another character). Each can only be in a body that escapes it (`escaped`), so the
 * walk is skipped for every other body.
 */
const REFUSED_TEXT = [
  { what: 'the NUL character (\\u0000)', escaped: /u0000/i, found: /\0/ },
  {
    what: 'a lone surrogate (\\uD800-\\uDFFF without its pair): it is no character, and would be stored as another',
    escaped: /\\u[dD][89a-fA-F]/,
    found: /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/,
  },
] as const;

/** The first string (or key) holding refused text, its path and what it holds. */
function firstRefusedText(body: string, root: unknown): { path: string; what: string } | undefined {
  for (const { what, escaped, found } of REFUSED_TEXT) {
    if (!escaped.test(body)) continue;
    const path = firstVisit(
      root,
      (value, key) =>
        (typeof value === 'string' && found.test(value)) || (typeof key === 'string' && found.test(key)),
    );
    if (path !== undefined) return { path, what };
  }
  return undefined;
}

const isContainer = (value: unknown): value is object => typeof value === 'object' && value !== null;

function frameOf(value: object, depth: number, parent?: Frame, key?: string | number): Frame {
  const keys = Array.isArray(value) ? undefined : Object.keys(value);
  return { value, keys, next: 0, depth, parent, key };
}

/** The path of the first value, in document order, that `stop` holds for; walked without recursion. */
function firstVisit(root: unknown, stop: Stop): string | undefined {
  if (stop(root, undefined, 0)) return '';
  if (!isContainer(root)) return undefined;
  let frame: Frame | undefined = frameOf(root, 0);
  while (frame !== undefined) {
    const { value, keys } = frame;
    const length = keys === undefined ? (value as unknown[]).length : keys.length;
    if (frame.next >= length) {
      frame = frame.parent;
      continue;
    }
    const i = frame.next++;
    const key = keys === undefined ? i : (keys[i] as string);
    const child = keys === undefined ? (value as unknown[])[i] : (value as Record<string, unknown>)[key];
    if (stop(child, key, frame.depth + 1)) return pathOf(frame, key);
    if (isContainer(child)) frame = frameOf(child, frame.depth + 1, frame, key);
  }
  return undefined;
}

/**
 * "variants[0].changes.a.b", or `labels["example.com/team"]` for a key that is not a plain name
 * (as every error path writes it), with long keys cut short: the key in `frame`, and those above it.
 */
function pathOf(frame: Frame, key: string | number): string {
  const keys: (string | number)[] = [key];
  for (let f: Frame | undefined = frame; f?.key !== undefined; f = f.parent) keys.unshift(f.key);
  return fieldPath(keys.map(shortKey));
}

/** A key of more than 32 characters, cut to its first 29 and "..." (by code point: no half emoji). */
function shortKey(key: string | number): string | number {
  if (typeof key !== 'string' || key.length <= 32) return key;
  const points = Array.from(key);
  return points.length <= 32 ? key : `${points.slice(0, 29).join('')}...`;
}

/** The first value nested deeper than MAX_BODY_DEPTH, refused. */
export function tooDeepProblem(value: unknown): BodyProblem | undefined {
  const path = firstTooDeep(value);
  if (path === undefined) return undefined;
  return {
    code: 'NESTING_TOO_DEEP',
    path,
    message: `the body nests deeper than ${MAX_BODY_DEPTH} levels at ${path}`,
  };
}

/** The first string or key holding text no field may hold (see REFUSED_TEXT), refused. */
export function refusedTextProblem(body: string, value: unknown): BodyProblem | undefined {
  const refused = firstRefusedText(body, value);
  if (refused === undefined) return undefined;
  const message = `${refused.path || 'the body'}: text may not contain ${refused.what}`;
  return { code: 'INVALID_VALUE', path: refused.path, message };
}

/**
 * Why a body that failed to parse is refused: a poisoning key (KEY_FORBIDDEN), else where the
 * text stops being JSON, in the words of JSON.parse (its position, line and column).
 */
export function unparsedBodyProblem(body: string): BodyProblem {
  return forbiddenKeyProblem(body) ?? malformedProblem(body);
}

function malformedProblem(body: string): BodyProblem {
  let reason = 'it is empty';
  if (body.trim() !== '') {
    try {
      JSON.parse(body);
      reason = 'it could not be read'; // not reached: the parsers agree on JSON
    } catch (error) {
      reason = error instanceof Error ? error.message : String(error);
    }
  }
  return { code: 'MALFORMED_JSON', path: '', message: `the body is not valid JSON: ${reason}` };
}

/**
 * Why valid JSON was refused, when it was: the parser refuses prototype poisoning ("__proto__",
 * or "constructor" holding "prototype") as if the text were malformed. Read again on that rare
 * path only, to name the key and where it is.
 */
export function forbiddenKeyProblem(body: string): BodyProblem | undefined {
  // Most refused bodies are malformed: they are not parsed again (escaped keys hold "\u00").
  if (!/proto|constructor|\\u00/.test(body)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined; // malformed indeed
  }
  const path = firstVisit(
    value,
    (child, key) =>
      key === '__proto__' ||
      (key === 'constructor' && isContainer(child) && Object.hasOwn(child, 'prototype')),
  );
  if (path === undefined) return undefined;
  const message = `${path}: a "__proto__" key, or a "constructor" holding "prototype", is refused in every body`;
  return { code: 'KEY_FORBIDDEN', path, message };
}
