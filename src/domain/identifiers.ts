/**
 * Stored plans and spaces are named by id or by name in every path ({idOrName}); a name shaped
 * like an id (a UUID) would make that ambiguous, so names may not look like one.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function looksLikeId(name: string): boolean {
  return UUID.test(name);
}
