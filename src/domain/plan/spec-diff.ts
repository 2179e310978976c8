/** One difference between two specs: the path and both values (null where absent). */
export interface SpecChange {
  readonly path: string;
  readonly from: unknown;
  readonly to: unknown;
}

type Json = unknown;

function isRecord(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Named entries (node pools) are matched by name, so a reordering is not a change. */
function isNamedList(value: Json): value is { name: string }[] {
  return Array.isArray(value) && value.every((v) => isRecord(v) && typeof v.name === 'string');
}

/** Every leaf that differs between two JSON values, with paths like `nodePools[1].nodeCount`. */
export function diffSpecs(from: Json, to: Json, path = ''): SpecChange[] {
  if (isRecord(from) && isRecord(to)) {
    const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])];
    return keys.flatMap((key) => diffSpecs(from[key], to[key], path === '' ? key : `${path}.${key}`));
  }
  if (isNamedList(from) && isNamedList(to) && from.length + to.length > 0) return diffNamed(from, to, path);
  if (canonicalJson(from) === canonicalJson(to)) return [];
  return [{ path, from: from ?? null, to: to ?? null }];
}

/** JSON with every object's keys in one order: a body's keys and the store's compare as equal. */
function canonicalJson(value: Json): string {
  const keyed = (v: Json): Json => {
    if (Array.isArray(v)) return v.map(keyed);
    if (!isRecord(v)) return v;
    const keys = Object.keys(v).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    return Object.fromEntries(keys.filter((k) => v[k] !== undefined).map((k) => [k, keyed(v[k])]));
  };
  return JSON.stringify(keyed(value)) ?? 'undefined';
}

/**
 * Entries matched by name; a new order of the entries both lists hold is a change of its own
 * (`nodePools` from ["system","apps"] to ["apps","system"]): pools take addresses in spec order.
 */
function diffNamed(from: { name: string }[], to: { name: string }[], path: string): SpecChange[] {
  const changes: SpecChange[] = [];
  const kept = (list: { name: string }[], other: { name: string }[]) =>
    list.map((e) => e.name).filter((name) => other.some((o) => o.name === name));
  const [before, after] = [kept(from, to), kept(to, from)];
  if (before.join('\n') !== after.join('\n')) changes.push({ path, from: before, to: after });
  to.forEach((entry, i) => {
    const before = from.find((f) => f.name === entry.name);
    changes.push(...diffSpecs(before, entry, `${path}[${i}]`));
  });
  from.forEach((entry) => {
    if (!to.some((t) => t.name === entry.name))
      changes.push({ path: `${path}[name=${entry.name}]`, from: entry, to: null });
  });
  return changes;
}
