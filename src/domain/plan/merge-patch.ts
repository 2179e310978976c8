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

function mergeNamed(target: { name: string }[], patch: { name: string }[]): Json[] {
  const merged: Json[] = target.map((entry) => {
    const change = patch.find((p) => p.name === entry.name);
    return change === undefined ? entry : mergePatch(entry, change);
  });
  for (const change of patch) {
    if (!target.some((t) => t.name === change.name)) merged.push(change);
  }
  return merged;
}
