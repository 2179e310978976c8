/**
 * Field paths of error bodies, as api.md writes them: `nodePools[0].maxPods`. A key that is not
 * a plain name (a label key such as `example.com/team`, or a number used as an object key) is
 * written as a quoted index, `labels["example.com/team"]`, so that a path names one field.
 */
export function fieldPath(segments: readonly PropertyKey[]): string {
  return segments.reduce<string>((path, segment) => childPath(path, segment), '');
}

/** The path of `key` (an array index as a number, an object key as a string) under `parent`. */
export function childPath(parent: string, key: PropertyKey): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  const name = String(key);
  if (PLAIN.test(name)) return parent === '' ? name : `${parent}.${name}`;
  return `${parent}[${JSON.stringify(name)}]`;
}

/** Field names of the API, header names among them (if-match). */
const PLAIN = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;
