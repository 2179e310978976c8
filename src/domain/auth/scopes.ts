/**
 * What a caller may do. Scopes nest: `admin` includes `write`, which includes `read`, so a
 * caller's power is its strongest scope.
 */
export const SCOPES = ['read', 'write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** What a route needs: a scope, or nothing at all (`public`: probes, docs, problem pages). */
export type RouteScope = Scope | 'public';

const RANK: Record<Scope, number> = { read: 1, write: 2, admin: 3 };

/** Whether a caller holding `held` may use a route that needs `needed`. */
export function grants(held: Scope, needed: RouteScope): boolean {
  return needed === 'public' || RANK[held] >= RANK[needed];
}

/**
 * The strongest of the scopes given; undefined for none, which grants nothing: starting from
 * `read` would hand read access to a token whose scopes were lost or damaged.
 */
export function strongest(scopes: readonly Scope[]): Scope | undefined {
  return scopes.reduce<Scope | undefined>(
    (best, s) => (best === undefined || RANK[s] > RANK[best] ? s : best),
    undefined,
  );
}
