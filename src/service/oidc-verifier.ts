import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  type JWTPayload,
  jwtVerify,
} from 'jose';
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
/**
 * The provider's clocks and this replica's disagree a little: a token just issued (nbf) or just
 * expired is judged with a minute's grace rather than refused for a few seconds of drift.
 */
const CLOCK_TOLERANCE_SECONDS = 60;
/**
 * How long a failed discovery is remembered: meanwhile requests are answered 503 at once
 * instead of each waiting on the provider. The same as the Retry-After of that answer.
 */
export const DISCOVERY_RETRY_MS = 5000;

type KeySet = ReturnType<typeof createRemoteJWKSet>;

/** The unavailable identity provider: a request is refused with 503, not 401. */
export class IdentityProviderUnavailable extends Error {}

/** What the verifier reaches outside itself: replaced in tests. */
export interface OidcDeps {
  readonly fetchJson?: (url: string) => Promise<unknown>;
  readonly now?: () => number;
  /** Told once per failed discovery (not per refused request). */
  readonly warn?: (message: string) => void;
}

/**
 * Verifies JWTs from a portal's identity provider with jose: signature against the issuer's
 * published keys (fetched once, refetched when a new key id appears), issuer, audience,
 * expiry and not-before. Roles in `rolesClaim` map to scopes.
 */
export class OidcVerifier {
  /** The key set, or the one discovery every request waits on. */
  private keys: Promise<KeySet> | undefined;
  private failure: { readonly error: IdentityProviderUnavailable; readonly until: number } | undefined;
  private readonly fetchJson: (url: string) => Promise<unknown>;
  private readonly now: () => number;
  private readonly warn: (message: string) => void;

  constructor(
    private readonly options: OidcOptions,
    deps: OidcDeps = {},
  ) {
    this.fetchJson = deps.fetchJson ?? defaultFetchJson;
    this.now = deps.now ?? Date.now;
    this.warn = deps.warn ?? (() => {});
  }

  /** Whether a bearer token is shaped like a JWT (API tokens are not). */
  static looksLikeJwt(bearer: string): boolean {
    return JWT_SHAPE.test(bearer);
  }

  async verify(jwt: string): Promise<OidcOutcome> {
    // A token no key could make acceptable is refused before the provider is asked anything:
    // while it is down, such a token is still a 401, and it never costs a fetch.
    const unfit = unfitReason(jwt);
    if (unfit !== undefined) return { kind: 'invalid', reason: unfit };
    const keys = await this.keySet();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(jwt, keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: ALGORITHMS,
        // A token without an expiry would never expire.
        requiredClaims: ['exp', 'sub'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
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
    const scope = strongest(scopes);
    if (scope === undefined) return { kind: 'no-role', subject };
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

  /**
   * The key set, found once: concurrent requests share one discovery, and a failed one is
   * remembered for DISCOVERY_RETRY_MS, so an outage costs one fetch per period, not one per
   * request. (jose shares and times out the key set's own fetches.)
   */
  private keySet(): Promise<KeySet> {
    if (this.keys !== undefined) return this.keys;
    const failure = this.failure;
    if (failure !== undefined && this.now() < failure.until) return Promise.reject(failure.error);
    this.keys = this.jwksUrl()
      .then((url) => createRemoteJWKSet(new URL(url)))
      .catch((error: unknown) => {
        throw this.failed(error);
      });
    return this.keys;
  }

  /** Forgets the failed discovery (only one is ever in flight), and remembers its failure. */
  private failed(error: unknown): IdentityProviderUnavailable {
    this.keys = undefined;
    const unavailable =
      error instanceof IdentityProviderUnavailable ? error : new IdentityProviderUnavailable(String(error));
    this.failure = { error: unavailable, until: this.now() + DISCOVERY_RETRY_MS };
    this.warn(`OpenID discovery failed, retried in ${DISCOVERY_RETRY_MS / 1000} s: ${unavailable.message}`);
    return unavailable;
  }

  private async jwksUrl(): Promise<string> {
    if (this.options.jwksUrl !== undefined) return this.options.jwksUrl;
    const discovery = `${this.options.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    let document: unknown;
    try {
      document = await this.fetchJson(discovery);
    } catch (error) {
      throw new IdentityProviderUnavailable(`${discovery}: ${(error as Error).message}`);
    }
    const { issuer, jwks_uri: jwksUri } = (document ?? {}) as { issuer?: unknown; jwks_uri?: unknown };
    // OpenID Connect Discovery 1.0, 4.3: a document naming another issuer is not this issuer's.
    if (issuer !== this.options.issuer) {
      throw new IdentityProviderUnavailable(
        `${discovery} names the issuer ${JSON.stringify(issuer)}, not OIDC_ISSUER ${JSON.stringify(this.options.issuer)}`,
      );
    }
    if (typeof jwksUri !== 'string') throw new IdentityProviderUnavailable(`${discovery} names no jwks_uri`);
    return jwksUri;
  }
}

/** Why no key could make this token acceptable (not a JWS, or an algorithm refused), if so. */
function unfitReason(jwt: string): string | undefined {
  let alg: unknown;
  try {
    ({ alg } = decodeProtectedHeader(jwt));
    decodeJwt(jwt); // its claims are a JSON object
  } catch (error) {
    return error instanceof errors.JOSEError ? error.code : 'unreadable token';
  }
  return typeof alg === 'string' && ALGORITHMS.includes(alg) ? undefined : 'ERR_JOSE_ALG_NOT_ALLOWED';
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
