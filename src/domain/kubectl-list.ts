import type { DomainErrorCode } from './error-codes.js';
import { DomainError, invalidInput, MAX_LISTED_PROBLEMS, type Problem } from './errors.js';

/** Untrusted JSON, as a kubectl document is: every shape is checked before use. */
export type Json = unknown;

export const isObject = (value: Json): value is Record<string, Json> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The field of an object, or undefined when the value is not an object. */
export const field = (value: Json, key: string): Json => (isObject(value) ? value[key] : undefined);

/**
 * The fields of an item a reader reads: `true` keeps a field whole; an object keeps those of its
 * fields. Each reader declares its own next to the code that reads them, so that a large list
 * can be cut down to them before it crosses a thread (see `projected`).
 */
export type ItemFields = true | { readonly [key: string]: ItemFields };

/**
 * `value` with only the fields `fields` names. Whatever is not an object where `fields` expects
 * one (an array, a string, null) is kept as it is: a reader refuses it, quoting it, the same.
 * So a reader answers a projected item exactly as the item, problems and paths included.
 */
export function projected(value: Json, fields: ItemFields): Json {
  if (fields === true || !isObject(value)) return value;
  const kept: Record<string, Json> = {};
  for (const key of Object.keys(fields)) {
    if (Object.hasOwn(value, key)) kept[key] = projected(value[key], fields[key] as ItemFields);
  }
  return kept;
}

/**
 * A kubectl List (`{"items": [...]}`) read a few items at a time, so that a caller can let other
 * work run between them: a list of 100,000 pods takes about a second to check. `readItem` keeps
 * what an item gives and answers its problems, if any; `finish` answers what was kept
 * (`result`), or refuses every unusable item at once (up to MAX_LISTED_PROBLEMS), each with its
 * path, under `code`. `command` names what produces the document, for the refusal of one that is
 * not a List.
 */
export class KubectlListReader<T> {
  private readonly items: readonly Json[];
  private readonly problems: Problem[] = [];
  private next = 0;

  constructor(
    document: Json,
    code: DomainErrorCode,
    command: string,
    private readonly readItem: (item: Json, at: string) => readonly Problem[] | undefined,
    private readonly result: () => T,
  ) {
    const items = field(document, 'items');
    if (!Array.isArray(items)) {
      throw DomainError.invalid(
        code,
        'items',
        `expected the JSON of \`${command}\`: an object with an items list`,
      );
    }
    this.items = items;
  }

  /** Whether every item is read, or enough of them were unusable to refuse the list. */
  get done(): boolean {
    // A list of millions of bad items is refused on its first ones, not read to the end.
    return this.next >= this.items.length || this.problems.length > MAX_LISTED_PROBLEMS;
  }

  /** Reads up to `count` more items. */
  read(count: number): void {
    const end = Math.min(this.items.length, this.next + count);
    while (this.next < end && !this.done) {
      const problems = this.readItem(this.items[this.next], `items[${this.next}]`);
      // One at a time, up to the bound: an item may answer more problems than a call takes arguments.
      for (const problem of problems ?? []) {
        if (this.problems.length > MAX_LISTED_PROBLEMS) break;
        this.problems.push(problem);
      }
      this.next++;
    }
  }

  /** What the items gave; refuses the list when one was unusable. Read to the end first. */
  finish(): T {
    if (this.problems.length > 0) throw invalidInput(this.problems);
    if (!this.done) throw new Error('a kubectl list was not read to the end');
    return this.result();
  }

  /** The whole list at once: for lists too small to need pauses, and for tests. */
  readAll(): T {
    this.read(Number.POSITIVE_INFINITY);
    return this.finish();
  }
}

/**
 * The names a list has given so far: Kubernetes names each node, and each pod in its namespace,
 * once, so a name seen twice is not one cluster's list.
 */
export class NamesSeen {
  private readonly seen = new Map<string, string>();

  constructor(
    private readonly code: DomainErrorCode,
    private readonly what: 'node' | 'pod',
  ) {}

  /** The refusal of `name` at item `at` when an earlier item had it; undefined the first time. */
  twice(name: string, at: string): { problems: Problem[] } | undefined {
    const first = this.seen.get(name);
    if (first === undefined) {
      this.seen.set(name, at);
      return undefined;
    }
    const message = `${this.what} ${name} is listed twice (also at ${first})`;
    return { problems: [{ code: this.code, path: `${at}.metadata.name`, message }] };
  }
}

/** What Kubernetes accepts for a name: a pattern, a length, and how to say it. */
export interface NameRule {
  readonly pattern: RegExp;
  readonly max: number;
  readonly what: string;
}

/**
 * Kubernetes' own rules for the names an import keeps: a document that breaks them is not
 * kubectl's output, and a name of megabytes would be repeated in every answer that names it.
 */
export const KUBERNETES_NAMES = {
  /** Pods, nodes and owners: DNS-1123 subdomains. */
  object: {
    pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    max: 253,
    what: 'a Kubernetes name (lowercase letters, digits, "-" and ".", at most 253)',
  },
  /** Namespaces: DNS-1123 labels. */
  namespace: {
    pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    max: 63,
    what: 'a namespace (lowercase letters, digits and "-", at most 63)',
  },
  /** Label values, such as the agentpool label's. */
  labelValue: {
    pattern: /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/,
    max: 63,
    what: 'a label value (letters, digits, "-", "_" and ".", at most 63)',
  },
  /** Owner kinds: ReplicaSet, StatefulSet, or a custom resource's kind. */
  kind: {
    pattern: /^[A-Za-z][-A-Za-z0-9_.]*$/,
    max: 63,
    what: 'a kind (a letter, then letters, digits, "-", "_" or ".", at most 63)',
  },
} as const satisfies Record<string, NameRule>;

/** Why `value` is not a name by `rule`, or undefined when it is one. */
export function nameProblem(value: string, rule: NameRule): string | undefined {
  if (value.length <= rule.max && rule.pattern.test(value)) return undefined;
  const shown = value.length > 64 ? `${JSON.stringify(value.slice(0, 61))}...` : JSON.stringify(value);
  return `${shown} is not ${rule.what}`;
}
