import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';
import { type Scope, strongest } from '../domain/auth/scopes.js';
import type { Principal } from './token-service.js';

export interface OidcOptions {
  readonly issuer: string;
  readonly audience: string;
  /** The issuer's key set; found by discovery when not given. */
  readonly jwksUrl?: string | undefined;
  /** The claim holding the caller's roles (an array, or a space-separated string). */
  readonly rolesClaim: string;
  /** The claim naming the caller's team, which becomes its `team` label. */
  readonly teamClaim?: string | undefined;
}

/** What a JWT from the identity provider says about its caller. */
export type OidcOutcome =
  | { readonly kind: 'principal'; readonly principal: Principal }
  /** A valid identity that holds none of the service's roles. */
  | { readonly kind: 'no-role'; readonly subject: string }
  /** A valid identity without the one team the configured team claim must name. */
  | { readonly kind: 'no-team'; readonly subject: string; readonly claim: string }
  | { readonly kind: 'invalid'; readonly reason: string };

const ROLE_SCOPES: Record<string, Scope> = {
  'ipam.read': 'read',
  'ipam.write': 'write',
  'ipam.admin': 'admin',
};
/** Asymmetric algorithms only: a shared secret or "none" can never sign a token we accept. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** The unavailable identity provider: a request is refused with 503, not 401. */
export class IdentityProviderUnavailable extends Error {}

/**
 * Verifies JWTs from a portal's identity provider with jose: signature against the issuer's
 * published keys (fetched once, refetched when a new key id appears), issuer, audience,
 * expiry and not-before. Roles in `rolesClaim` map to scopes.
 */
export class OidcVerifier {
  private keys: ReturnType<typeof createRemoteJWKSet> | undefined;

  constructor(
    private readonly options: OidcOptions,
    private readonly fetchJson: (url: string) => Promise<unknown> = defaultFetchJson,
  ) {}

  /** Whether a bearer token is shaped like a JWT (API tokens are not). */
  static looksLikeJwt(bearer: string): boolean {
    return JWT_SHAPE.test(bearer);
  }

  async verify(jwt: string): Promise<OidcOutcome> {
    const keys = await this.keySet();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(jwt, keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: ALGORITHMS,
        // A token without an expiry would never expire.
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      if (keySetUnavailable(error)) throw new IdentityProviderUnavailable((error as Error).message);
      return { kind: 'invalid', reason: error instanceof errors.JOSEError ? error.code : 'unreadable token' };
    }
    const subject = typeof payload.sub === 'string' ? payload.sub : undefined;
    if (subject === undefined) return { kind: 'invalid', reason: 'no sub claim' };
    const scopes = rolesOf(payload[this.options.rolesClaim]).flatMap((role) => {
      const scope = ROLE_SCOPES[role];
      return scope === undefined ? [] : [scope];
    });
    if (scopes.length === 0) return { kind: 'no-role', subject };
    const scope = strongest(scopes);
    const team = this.teamOf(payload);
    // With a team claim configured, an identity without one must not act for everyone.
    if (team === undefined && this.options.teamClaim !== undefined && scope !== 'admin')
      return { kind: 'no-team', subject, claim: this.options.teamClaim };
    const name = [payload.name, payload.preferred_username, payload.email].find((v) => typeof v === 'string');
    const principal: Principal = {
      kind: 'oidc',
      id: subject,
      name: (name as string | undefined) ?? subject,
      scope,
      labels: team === undefined ? {} : { team },
    };
    return { kind: 'principal', principal };
  }

  /** The one team the claim names: a non-empty string, or a list holding exactly one. */
  private teamOf(payload: JWTPayload): string | undefined {
    if (this.options.teamClaim === undefined) return undefined;
    const claim = payload[this.options.teamClaim];
    const value = Array.isArray(claim) && claim.length === 1 ? claim[0] : claim;
    return typeof value === 'string' && value !== '' ? value : undefined;
  }

  private async keySet(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    if (this.keys !== undefined) return this.keys;
    const url = this.options.jwksUrl ?? (await this.discoverJwksUrl());
    this.keys = createRemoteJWKSet(new URL(url));
    return this.keys;
  }

  private async discoverJwksUrl(): Promise<string> {
    const discovery = `${this.options.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    let document: unknown;
    try {
      document = await this.fetchJson(discovery);
    } catch (error) {
      throw new IdentityProviderUnavailable(`${discovery}: ${(error as Error).message}`);
    }
    const jwksUri = (document as { jwks_uri?: unknown } | null)?.jwks_uri;
    if (typeof jwksUri !== 'string') throw new IdentityProviderUnavailable(`${discovery} names no jwks_uri`);
    return jwksUri;
  }
}

/** The key set could not be fetched (timeout, network, an HTTP error): not the token's fault. */
function keySetUnavailable(error: unknown): boolean {
  if (error instanceof errors.JWKSTimeout) return true;
  if (!(error instanceof errors.JOSEError)) return true;
  return error.code === 'ERR_JOSE_GENERIC' && /JSON Web Key Set/.test(error.message);
}

function rolesOf(claim: unknown): string[] {
  if (typeof claim === 'string') return claim.split(' ').filter(Boolean);
  return Array.isArray(claim) ? claim.filter((r): r is string => typeof r === 'string') : [];
}

async function defaultFetchJson(url: string): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
}
