/**
 * Stored plans and spaces are named by id or by name in every path ({idOrName}); a name shaped
 * like an id (a UUID) would make that ambiguous, so names may not look like one.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function looksLikeId(name: string): boolean {
  return UUID.test(name);
}

/**
 * The first of `name(1)`, `name(2)`, ... that is not taken: where names are one per scope (Azure
 * subnets in a VNet, Terraform resources of a type), a later one that clashes is numbered.
 */
export function firstFreeName(isTaken: (candidate: string) => boolean, name: (n: number) => string): string {
  let n = 1;
  while (isTaken(name(n))) n++;
  return name(n);
}
