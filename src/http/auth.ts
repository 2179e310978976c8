import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ChangeContext } from '../domain/auth/actor.js';
import { grants, type RouteScope, type Scope } from '../domain/auth/scopes.js';
import { Team } from '../domain/auth/team.js';
import type { Caller } from '../service/caller.js';
import {
  DISCOVERY_RETRY_MS,
  IdentityProviderUnavailable,
  type OidcOutcome,
  OidcVerifier,
} from '../service/oidc-verifier.js';
import { anonymous, type Principal, type TokenService } from '../service/token-service.js';
import { sendProblem } from './problem.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route: every route says so, or the application refuses to start. */
    scope?: RouteScope;
    /**
     * When the request only reads (a dry run), by its query: it then needs the read scope only.
     * Decided with the token, before the body is read: a reader never makes a write route parse one.
     */
    readOnlyWhen?: (query: unknown) => boolean;
  }
  interface FastifyRequest {
    /** The caller, once authenticated; null on public routes. */
    principal: Principal | null;
  }
}

export interface AuthOptions {
  /** `none` lets every caller do everything: for local experiments only. */
  readonly mode: 'tokens' | 'none';
  /** Lets callers without a token use the read routes. */
  readonly anonymousRead: boolean;
}

export const DEFAULT_AUTH: AuthOptions = { mode: 'tokens', anonymousRead: false };

/** Routes the Swagger UI plugin registers itself: its pages and files are public. */
const SWAGGER_UI = /^\/docs(\/|$)/;
const BEARER = /^Bearer +([\x21-\x7e]+) *$/i;
const REALM = 'Bearer realm="aks-ip-planner"';

/** The OpenAPI security scheme every scoped operation names. */
export const SECURITY_SCHEME = 'bearerAuth';
export const SECURITY_SCHEMES = {
  [SECURITY_SCHEME]: {
    type: 'http' as const,
    scheme: 'bearer',
    description:
      'An API token (aksip_<id>_<secret>) or, where OIDC is configured, a JWT. Scopes nest: admin includes write, which includes read; each operation names the scope it needs.',
  },
};

/**
 * Authentication and scopes for every route. A route without a declared scope is a defect
 * caught when it is registered; a request is checked before its body is read, so an
 * unauthenticated caller cannot make the service parse a large body.
 */
export function registerAuth(
  app: FastifyInstance,
  tokens: TokenService,
  options: AuthOptions,
  oidc?: OidcVerifier,
): void {
  app.decorateRequest('principal', null);
  app.addHook('onRoute', (route) => {
    const scope = route.config?.scope;
    if (scope === undefined) {
      // Swagger UI's own pages and files, and CORS preflights (which never carry a token).
      if (!SWAGGER_UI.test(route.url) && route.method !== 'OPTIONS') {
        throw new Error(`route ${String(route.method)} ${route.url} declares no scope in config.scope`);
      }
      route.config = { ...route.config, scope: 'public' };
    } else if (route.schema !== undefined) {
      // The document says which scope each operation needs (OpenAPI 3.1 role names), or none.
      const security = scope === 'public' ? [] : [{ [SECURITY_SCHEME]: [scope] }];
      route.schema = { ...route.schema, security };
    }
  });
  // A callback hook: a cached token is decided without a promise (see TokenService.authenticate).
  app.addHook('onRequest', (request, reply, done) => {
    // Unknown routes have no scope: they answer 404 to everybody.
    const { config } = request.routeOptions;
    const needed = config.readOnlyWhen?.(request.query) === true ? 'read' : (config.scope ?? 'public');
    if (needed === 'public') return done();
    const decision = decide(request, needed, tokens, options, oidc);
    if (decision instanceof Promise) decision.then((settled) => apply(settled, request, reply, done), done);
    else apply(decision, request, reply, done);
  });
}

/** A caller let through, or the answer that refuses the request. */
type Decision = Principal | ((reply: FastifyReply) => FastifyReply);

function apply(
  decision: Decision,
  request: FastifyRequest,
  reply: FastifyReply,
  done: (error?: Error) => void,
): void {
  if (typeof decision === 'function') {
    decision(reply); // answered: the request goes no further
    return;
  }
  request.principal = decision;
  done();
}

function decide(
  request: FastifyRequest,
  needed: Scope,
  tokens: TokenService,
  options: AuthOptions,
  oidc: OidcVerifier | undefined,
): Decision | Promise<Decision> {
  if (options.mode === 'none') return anonymous('admin');
  const header = request.headers.authorization;
  if (header === undefined && options.anonymousRead && needed === 'read') return anonymous('read');
  const bearer = header === undefined ? undefined : BEARER.exec(header)?.[1];
  if (bearer === undefined)
    return (reply) => unauthenticated(reply, header === undefined ? 'missing' : 'malformed');
  if (oidc !== undefined && OidcVerifier.looksLikeJwt(bearer) && !tokens.isEnvironmentAdmin(bearer)) {
    return verifyJwt(oidc, bearer).then((outcome) => jwtDecision(outcome, needed));
  }
  const principal = tokens.authenticate(bearer, request.receivedAt);
  return principal instanceof Promise
    ? principal.then((found) => tokenDecision(found, needed))
    : tokenDecision(principal, needed);
}

function tokenDecision(principal: Principal | undefined, needed: Scope): Decision {
  if (principal === undefined) return (reply) => unauthenticated(reply, 'unknown');
  if (!grants(principal.scope, needed)) return (reply) => forbidden(reply, principal, needed);
  return principal;
}

function jwtDecision(
  outcome: OidcOutcome | { kind: 'unavailable'; reason: string },
  needed: Scope,
): Decision {
  if (outcome.kind === 'unavailable') return (reply) => unavailable(reply, outcome.reason);
  if (outcome.kind === 'invalid') return (reply) => unauthenticated(reply, 'jwt', outcome.reason);
  if (outcome.kind === 'no-role') return (reply) => noRole(reply, outcome.subject);
  if (outcome.kind === 'no-team') return (reply) => noTeam(reply, outcome.subject, outcome.claim);
  const { principal } = outcome;
  if (!grants(principal.scope, needed)) return (reply) => forbidden(reply, principal, needed);
  return principal;
}

/** Who is making this request's changes, for the audit trail and plan history. */
export function changeOf(request: FastifyRequest): ChangeContext {
  const { kind, id, name } = principalOf(request);
  return { actor: { kind, id, name }, requestId: request.id };
}

/** The team the caller acts for: what it may see and change. */
export function teamOf(request: FastifyRequest): Team {
  return request.principal === null ? Team.EVERYONE : Team.of(request.principal);
}

/** Who is calling, for use cases that change things: the actor and the team. */
export function callerOf(request: FastifyRequest): Caller {
  const team = teamOf(request);
  return { change: { ...changeOf(request), team: team.labels }, team };
}

/** The caller of a route that needs a scope: set by the hook before any handler runs. */
export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === null) throw new Error(`${request.url} has no authenticated caller`);
  return request.principal;
}

async function verifyJwt(
  oidc: OidcVerifier,
  jwt: string,
): Promise<OidcOutcome | { kind: 'unavailable'; reason: string }> {
  try {
    return await oidc.verify(jwt);
  } catch (error) {
    if (error instanceof IdentityProviderUnavailable) return { kind: 'unavailable', reason: error.message };
    throw error;
  }
}

function unauthenticated(
  reply: FastifyReply,
  why: 'missing' | 'malformed' | 'unknown' | 'jwt',
  reason = '',
): FastifyReply {
  const detail = {
    missing: 'this route needs an API token: send Authorization: Bearer <token>',
    malformed: 'the Authorization header is not "Bearer <token>"',
    unknown: 'the bearer token is unknown, expired or revoked',
    jwt: `the identity token was refused (${reason}): it must be signed by the configured issuer for this audience and not expired`,
  }[why];
  const challenge = why === 'missing' ? REALM : `${REALM}, error="invalid_token"`;
  reply.header('www-authenticate', challenge);
  return sendProblem(reply, 'UNAUTHENTICATED', detail);
}

function noRole(reply: FastifyReply, subject: string): FastifyReply {
  reply.header('www-authenticate', `${REALM}, error="insufficient_scope"`);
  return sendProblem(
    reply,
    'FORBIDDEN',
    `identity ${subject} holds none of the roles ipam.read, ipam.write, ipam.admin`,
  );
}

function noTeam(reply: FastifyReply, subject: string, claim: string): FastifyReply {
  reply.header('www-authenticate', `${REALM}, error="insufficient_scope"`);
  return sendProblem(reply, 'FORBIDDEN', `identity ${subject} names no single team in its ${claim} claim`);
}

function unavailable(reply: FastifyReply, reason: string): FastifyReply {
  // As long as a failed discovery is remembered: asking sooner gets the same answer.
  reply.header('retry-after', String(DISCOVERY_RETRY_MS / 1000));
  return sendProblem(
    reply,
    'IDENTITY_PROVIDER_UNAVAILABLE',
    `the identity provider cannot be reached: ${reason}`,
  );
}

function forbidden(reply: FastifyReply, principal: Principal, needed: Scope): FastifyReply {
  reply.header('www-authenticate', `${REALM}, error="insufficient_scope", scope="${needed}"`);
  return sendProblem(
    reply,
    'FORBIDDEN',
    `${callerNamed(principal)} has the ${principal.scope} scope; this route needs ${needed}`,
  );
}

/** A caller as refusals name it: a token by its id, an OIDC identity by its subject. */
export function callerNamed(principal: Principal | null): string {
  if (principal === null) return 'an unauthenticated caller';
  return principal.kind === 'oidc' ? `identity ${principal.id}` : `token ${principal.id}`;
}
