import type { StoredToken } from '../../service/token-service.js';

/** A token as lists show it: never its secret. */
export function presentToken(token: StoredToken) {
  return {
    id: token.id,
    name: token.name,
    scopes: [...token.scopes],
    labels: token.labels,
    createdAt: token.createdAt,
    expiresAt: token.expiresAt,
  };
}
