import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { type Actor, type ChangeContext, SYSTEM_CHANGE } from '../domain/auth/actor.js';
import { type Scope, strongest } from '../domain/auth/scopes.js';
import { DomainError, notFound } from '../domain/errors.js';
import { checkLabels, type Labels } from '../domain/labels.js';
import type { Page, PageQuery } from '../store/page.js';
import type { StoredToken, TokenStore, TokenWrite } from '../store/token-store.js';
import { LAST_STORED_INSTANT } from './stored-time.js';

export type { StoredToken } from '../store/token-store.js';

/** Who is calling: a stored token, the ADMIN_TOKEN of the environment, or nobody. */
export interface Principal extends Actor {
  readonly kind: 'token' | 'environment' | 'oidc' | 'anonymous';
  readonly scope: Scope;
  readonly labels: Labels;
}

export interface TokenRequest {
  readonly name: string;
  readonly scopes: readonly Scope[];
  readonly expiresAt?: string | undefined;
}

/** A token as created: the only moment its secret exists outside the caller's hands. */
export interface IssuedToken {
  readonly token: StoredToken;
  readonly secret: string;
}

/**
 * Tokens look like `aksip_<id>_<secret>`: the prefix makes a leaked token easy to recognise
 * (secret scanners), the id names the token in lists and audit entries, the secret is 256
 * random bits.
 */
export const TOKEN_PREFIX = 'aksip_';
const TOKEN_SHAPE = /^aksip_([0-9a-f]{12})_[A-Za-z0-9_-]{43}$/;
const CACHE_LIMIT = 10_000;

/** Random bytes: the system's unless examples fix them. */
export type RandomBytes = (size: number) => Buffer;

export interface TokenOptions {
  /** An admin token given by the environment, never stored. */
  readonly adminToken?: string | undefined;
  readonly now?: (() => Date) | undefined;
  readonly random?: RandomBytes | undefined;
}

interface Verified {
  readonly principal: Principal;
  readonly expiresAtMs: number;
}

/**
 * Issues, lists, revokes and checks API tokens. Checked tokens are cached by the hash of their
 * text while the store's token version stands still, so a request costs one cheap read and a
 * hash, and a revocation anywhere is seen by the next request.
 */
export class TokenService {
  private readonly verified = new Map<string, Verified>();
  private version = -1;
  private readonly adminHash: Buffer | undefined;
  private readonly now: () => Date;
  private readonly random: RandomBytes;

  constructor(
    private readonly store: TokenStore,
    options: TokenOptions = {},
  ) {
    this.adminHash =
      options.adminToken === undefined ? undefined : Buffer.from(sha256(options.adminToken), 'hex');
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? randomBytes;
  }

  async issue(
    request: TokenRequest,
    labels: Labels = {},
    change: ChangeContext = SYSTEM_CHANGE,
  ): Promise<IssuedToken> {
    checkLabels(labels);
    const expiresAt = request.expiresAt === undefined ? null : this.futureTime(request.expiresAt);
    const { write, secret } = this.newToken(request.name, request.scopes, labels, expiresAt);
    return { token: await this.store.create(write, change), secret };
  }

  /** Whether someone holding a stored token can administer the service. */
  hasUsableAdmin(): Promise<boolean> {
    return this.store.hasUsableAdmin(this.now());
  }

  /** The first admin token, when the store has no usable one; undefined otherwise. */
  async bootstrapAdmin(): Promise<IssuedToken | undefined> {
    const { write, secret } = this.newToken('bootstrap admin', ['admin'], {}, null);
    const token = await this.store.createFirstAdmin(write, this.now());
    return token === undefined ? undefined : { token, secret };
  }

  list(query: PageQuery): Promise<Page<StoredToken>> {
    return this.store.list(query);
  }

  /** One unrevoked token, without its secret's hash. */
  async get(id: string): Promise<StoredToken> {
    const found = await this.store.find(id);
    if (found === undefined || found.revokedAt !== null) throw notFound.token(id);
    const { secretHash: _, ...token } = found;
    return token;
  }

  async revoke(id: string, change: ChangeContext = SYSTEM_CHANGE): Promise<void> {
    if (!(await this.store.revoke(id, this.now(), change))) throw notFound.token(id);
  }

  /** Whether the bearer token is the ADMIN_TOKEN of the environment. */
  isEnvironmentAdmin(bearer: string): boolean {
    return this.isAdminHash(sha256(bearer));
  }

  private isAdminHash(hex: string): boolean {
    return this.adminHash !== undefined && timingSafeEqual(Buffer.from(hex, 'hex'), this.adminHash);
  }

  /**
   * The caller a bearer token names, or undefined when it is unknown, expired or revoked: as of
   * `receivedAt` (performance.now() when the request arrived; default now) or later. A token
   * found in the cache is answered at once when the store reads its version in this process
   * (SQLite): every authenticated request asks, and the promises on that path cost about 5 of
   * the 30 µs of server CPU a no-op request took (measured).
   */
  authenticate(bearer: string, receivedAt?: number): Principal | undefined | Promise<Principal | undefined> {
    const key = sha256(bearer);
    if (this.isAdminHash(key)) return ENVIRONMENT_ADMIN;
    const version = this.store.changeVersion(receivedAt);
    return typeof version === 'number'
      ? this.atVersion(bearer, key, version)
      : version.then((read) => this.atVersion(bearer, key, read));
  }

  private atVersion(
    bearer: string,
    key: string,
    version: number,
  ): Principal | undefined | Promise<Principal | undefined> {
    if (version > this.version) {
      this.verified.clear();
      this.version = version;
    }
    const cached = version === this.version ? this.verified.get(key) : undefined;
    if (cached !== undefined) return cached.expiresAtMs > this.now().getTime() ? cached.principal : undefined;
    return this.verify(bearer, key, version);
  }

  private async verify(bearer: string, key: string, version: number): Promise<Principal | undefined> {
    const found = await this.checked(bearer, key);
    if (found === undefined) return undefined;
    // Cached only under the version it was read at: a revocation may have moved it meanwhile,
    // and a request that saw the revocation must not find this token valid in the cache.
    if (version !== this.version) return found.principal;
    if (this.verified.size >= CACHE_LIMIT) this.verified.clear();
    this.verified.set(key, found);
    return found.principal;
  }

  private async checked(bearer: string, hash: string): Promise<Verified | undefined> {
    const id = TOKEN_SHAPE.exec(bearer)?.[1];
    const stored = id === undefined ? undefined : await this.store.find(id);
    if (stored === undefined || stored.revokedAt !== null) return undefined;
    if (!timingSafeEqual(Buffer.from(hash, 'hex'), Buffer.from(stored.secretHash, 'hex'))) return undefined;
    const expiresAtMs = stored.expiresAt === null ? Number.POSITIVE_INFINITY : Date.parse(stored.expiresAt);
    if (expiresAtMs <= this.now().getTime()) return undefined;
    const scope = strongest(stored.scopes);
    // A token granting nothing authenticates nobody: 401 like a revoked one, rather than a
    // caller with no scope that every route would have to remember to refuse.
    if (scope === undefined) return undefined;
    const principal: Principal = {
      kind: 'token',
      id: stored.id,
      name: stored.name,
      scope,
      labels: stored.labels,
    };
    return { principal, expiresAtMs };
  }

  private newToken(
    name: string,
    scopes: readonly Scope[],
    labels: Labels,
    expiresAt: string | null,
  ): { write: TokenWrite; secret: string } {
    const id = this.random(6).toString('hex');
    const secret = `${TOKEN_PREFIX}${id}_${this.random(32).toString('base64url')}`;
    const secretHash = sha256(secret);
    return { write: { id, name, scopes: [...new Set(scopes)], labels, secretHash, expiresAt }, secret };
  }

  private futureTime(text: string): string {
    const at = Date.parse(text);
    if (Number.isNaN(at) || at <= this.now().getTime() || at > LAST_STORED_INSTANT) {
      throw DomainError.invalid(
        'TOKEN_EXPIRY_INVALID',
        'expiresAt',
        `expiresAt ${JSON.stringify(text)} is not a time after now`,
      );
    }
    return new Date(at).toISOString();
  }
}

const ENVIRONMENT_ADMIN: Principal = {
  kind: 'environment',
  id: 'ADMIN_TOKEN',
  name: 'ADMIN_TOKEN',
  scope: 'admin',
  labels: {},
};

/** Nobody: the caller when authentication is off, or an anonymous reader. */
export function anonymous(scope: Scope): Principal {
  return { kind: 'anonymous', id: 'anonymous', name: 'anonymous', scope, labels: {} };
}

/**
 * SHA-256 in hex, with the one-shot `hash` (Node 20.12+): paid on every request, and a third of
 * the cost of createHash, or of asking `hash` for a Buffer.
 */
function sha256(text: string): string {
  return hash('sha256', text, 'hex');
}
