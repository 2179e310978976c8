type Json = unknown;

function isRecord(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNamed(value: Json): value is { name: string } & Record<string, Json> {
  return isRecord(value) && typeof value.name === 'string';
}

/**
 * RFC 7396 JSON merge patch, with one extension for node pools: a list of named objects
 * patches the target's entries of the same name (and appends new names), so that a variant
 * can say `nodePools: [{ name: "system", maxPods: 30 }]`. null removes a field.
 */
export function mergePatch(target: Json, patch: Json): Json {
  if (Array.isArray(patch) && Array.isArray(target) && patch.every(isNamed) && target.every(isNamed)) {
    return mergeNamed(target, patch);
  }
  if (!isRecord(patch)) return patch;
  const result: Record<string, Json> = isRecord(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/**
 * Each target entry takes the first change of its name. Other changes are appended: a new name
 * is a new entry, the change patched onto nothing (its nulls dropped, as RFC 7396 patches a
 * member that is not there); a name changed again is the pool as the earlier changes left it,
 * changed once more, so that a pool named twice is refused as a design naming it twice is (a
 * second change silently dropped, or winning, would plan something the caller did not write).
 */
function mergeNamed(target: { name: string }[], patch: { name: string }[]): Json[] {
  const applied = new Set<number>();
  const merged: Json[] = target.map((entry) => {
    const at = patch.findIndex((p) => p.name === entry.name);
    if (at < 0) return entry;
    applied.add(at);
    return mergePatch(entry, patch[at]);
  });
  patch.forEach((change, i) => {
    if (applied.has(i)) return;
    // The pool as the changes before this one left it: complete as far as they were.
    const before = merged.findLast((entry) => isNamed(entry) && entry.name === change.name);
    merged.push(mergePatch(before ?? {}, change));
  });
  return merged;
}
