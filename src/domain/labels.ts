import { DomainError, invalidInput, type Problem } from './errors.js';
import { childPath } from './field-path.js';

/** Labels: keys to string values that portals and teams find plans and spaces by. */
export type Labels = Readonly<Record<string, string>>;

export const MAX_LABELS = 32;

/** A name segment, as Kubernetes writes label names and values: alphanumeric ends, "-", "_", "." inside. */
const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/;
/** An optional key prefix: a DNS subdomain (lowercase), at most 253 characters. */
const PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** Why a label key is not valid, or undefined. Keys are `name` or `prefix/name`, as in Kubernetes. */
function keyProblem(key: string): string | undefined {
  const parts = key.split('/');
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  if (parts.length > 2) return 'a key has at most one "/"';
  if (prefix !== undefined && (prefix.length > 253 || !PREFIX.test(prefix))) {
    return `the prefix "${prefix}" is not a DNS subdomain`;
  }
  if (name === undefined || !NAME.test(name)) {
    return 'a key name is 1-63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit';
  }
  return undefined;
}

function valueProblem(value: string): string | undefined {
  return value === '' || NAME.test(value)
    ? undefined
    : 'a value is empty, or 1-63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit';
}

/** Checks labels as Kubernetes checks them; every bad key or value is reported at once. */
export function checkLabels(labels: Labels, path = 'labels'): Labels {
  const problems = labelProblems(labels, path);
  if (problems.length > 0) throw invalidInput(problems);
  return labels;
}

/** What is wrong with labels, as Kubernetes checks them: every bad key or value. */
export function labelProblems(labels: Labels, path = 'labels'): Problem[] {
  const problems: Problem[] = [];
  const keys = Object.keys(labels);
  if (keys.length > MAX_LABELS) {
    problems.push({ code: 'LABELS_INVALID', path, message: `${keys.length} labels: at most ${MAX_LABELS}` });
  }
  for (const key of keys) {
    const why = keyProblem(key) ?? valueProblem(labels[key] ?? '');
    if (why !== undefined) {
      problems.push({
        code: 'LABELS_INVALID',
        path: childPath(path, key),
        message: `label ${JSON.stringify(key)}: ${why}`,
      });
    }
  }
  return problems;
}

/** One term of a label selector: the key has the value, or (no value) the key is present. */
export interface LabelSelector {
  readonly key: string;
  readonly value?: string;
}

/** Parses `team=payments` (equality) or `team` (presence), as kubectl's -l does for one term. */
export function parseSelector(text: string): LabelSelector {
  const at = text.indexOf('=');
  const [key, value] = at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
  const why = keyProblem(key) ?? (value === undefined ? undefined : valueProblem(value));
  if (why !== undefined) {
    throw DomainError.invalid(
      'LABEL_SELECTOR_INVALID',
      'label',
      `label selector ${JSON.stringify(text)}: ${why}`,
    );
  }
  return value === undefined ? { key } : { key, value };
}

/**
 * True when `labels` satisfy every selector (an AND, as kubectl's comma-separated terms). Own
 * keys only: `hasOwnProperty` or `constructor` is no label of every plan.
 */
export function matchesSelectors(labels: Labels, selectors: readonly LabelSelector[]): boolean {
  return selectors.every((s) =>
    !Object.hasOwn(labels, s.key) ? false : s.value === undefined || labels[s.key] === s.value,
  );
}
