/**
 * Reading the JSON `az` prints: fields by any of their spellings, counts and texts as az writes
 * them, ARM enum values in any case, and a warning for every value given that cannot be read.
 */

/** JSON as parsed: nothing about it is known until a reader has looked. */
export type Json = unknown;

/** Something of the cluster the plan does not carry, or carries as an assumption. */
export interface ImportWarning {
  readonly path: string;
  readonly message: string;
}

export const isObject = (value: Json): value is Record<string, Json> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A field by any of its spellings: az writes `dnsServiceIp`, ARM `dnsServiceIP`. */
export function field(value: Json, ...keys: string[]): Json {
  if (!isObject(value)) return undefined;
  for (const key of keys) if (value[key] !== undefined && value[key] !== null) return value[key];
  return undefined;
}
export const text = (value: Json) => (typeof value === 'string' && value !== '' ? value : undefined);
/** A whole number as az prints counts, ports and minutes; anything else is undefined. */
export const count = (value: Json) =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
/**
 * A value read by `read`, with a warning when one was given that `read` cannot take (a number
 * as text, a negative count): what the plan assumes instead is said, as for an unknown enum value.
 */
export function readOrWarn<T>(
  value: Json,
  read: (value: Json) => T | undefined,
  at: { path: string; why: string },
  warnings: ImportWarning[],
): T | undefined {
  const found = read(value);
  if (value !== undefined && found === undefined)
    warnings.push({ path: at.path, message: `${JSON.stringify(value).slice(0, 64)} ${at.why}` });
  return found;
}

/** The whole number in `object[key]` (at `path`), warned about when given as anything else. */
export const countOrWarn = (object: Json, path: string, assumed: string, warnings: ImportWarning[]) =>
  readOrWarn(
    field(object, path.split('.').at(-1) ?? ''),
    count,
    { path, why: `is not a count (a whole number from 0 to 2^53 - 1): ${assumed}` },
    warnings,
  );
/** `text`, warned about when given as anything else: the default is planned instead. */
export const textOrWarn = (value: Json, path: string, warnings: ImportWarning[]) =>
  readOrWarn(value, text, { path, why: 'is not text: planned with the default' }, warnings);
export const texts = (value: Json) =>
  Array.isArray(value) ? value.map(text).filter((t) => t !== undefined) : undefined;
/**
 * An enum field as given: its text, or any other value written as JSON, so that a value of the
 * wrong type (a list, a number) is refused or warned about as an unknown value, not taken for an
 * absent one.
 */
export const asGiven = (value: Json) =>
  typeof value === 'string'
    ? text(value)
    : value === undefined || value === null
      ? undefined
      : JSON.stringify(value);
/** The IP families of a network profile as az prints them, in lower case. */
export const ipFamiliesOf = (profile: Json) =>
  texts(field(profile, 'ipFamilies'))?.map((f) => f.toLowerCase());
/** A dual-stack cluster names two families; one that names IPv6 alone is planned as IPv4 (with a warning). */
export const isDualStackProfile = (profile: Json) => (ipFamiliesOf(profile)?.length ?? 0) > 1;

/**
 * An ARM enum value in the spelling the planner knows, or undefined. ARM compares enum values
 * case-insensitively: `Overlay` is `overlay`, and must plan as it.
 */
export function known<T extends string>(value: string | undefined, values: readonly T[]): T | undefined {
  const lower = value?.toLowerCase();
  return values.find((v) => v.toLowerCase() === lower);
}

/**
 * `known`, with a warning for a value the planner does not know (an API version newer than it):
 * what the plan assumes instead is said, never silently defaulted.
 */
export function knownOrWarn<T extends string>(
  value: string | undefined,
  values: readonly T[],
  warning: { path: string; message: (value: string) => string },
  warnings: ImportWarning[],
): T | undefined {
  const found = known(value, values);
  if (value !== undefined && found === undefined)
    warnings.push({ path: warning.path, message: warning.message(value.slice(0, 64)) });
  return found;
}
