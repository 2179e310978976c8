import { isIP } from 'node:net';
import { z } from 'zod';
import type { TrustProxy } from './http/app.js';
import type { AuthOptions } from './http/auth.js';
import { DEFAULT_EDGE, type EdgeOptions } from './http/edge.js';
import { DEFAULT_TIMEOUTS, type Timeouts } from './http/timeouts.js';
import { DEFAULT_DESIGN_CACHE_BYTES } from './service/design-cache.js';
import type { OidcOptions } from './service/oidc-verifier.js';
import { DEFAULT_RECORD_INDEX } from './service/record-index.js';
import { StartupError } from './startup-error.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** More proxies in a row than any real deployment has: a larger number is a typing mistake. */
const MAX_PROXY_HOPS = 10;

/** Each variable with the sentence that says what a good value is. */
const ConfigSchema = z.object({
  PORT: wholeNumber(0, 65535).default(8080).describe('a TCP port number from 0 to 65535 (0: any free port)'),
  HOST: z.string().min(1).default('0.0.0.0').describe('an address or host name to listen on'),
  // Trimmed as the SQLite driver trims it: ":memory: " opened a throwaway database unnoticed.
  DATABASE_PATH: z
    .string()
    .trim()
    .min(1)
    .default('./data/ipam.db')
    .describe('the path of a SQLite file, or :memory:'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/[^\s]+$/)
    .optional()
    .describe(
      'a PostgreSQL connection URL, postgres://user:password@host:5432/database (add ?sslmode=require for Azure), or unset for SQLite',
    ),
  DATABASE_POOL_SIZE: wholeNumber(1, 1000)
    .default(10)
    .describe('a whole number of connections from 1 to 1000 per replica'),
  DATABASE_STATEMENT_TIMEOUT_MS: milliseconds(15_000),
  DATABASE_CONNECT_TIMEOUT_MS: milliseconds(3_000),
  LOG_LEVEL: z
    .enum(LOG_LEVELS)
    .default('info')
    .describe(`one of ${LOG_LEVELS.join(', ')}`),
  REQUEST_TIMEOUT_MS: milliseconds(DEFAULT_TIMEOUTS.requestMs),
  IDLE_TIMEOUT_MS: milliseconds(DEFAULT_TIMEOUTS.idleMs),
  KEEP_ALIVE_TIMEOUT_MS: milliseconds(DEFAULT_TIMEOUTS.keepAliveMs),
  HEADERS_TIMEOUT_MS: milliseconds(DEFAULT_TIMEOUTS.headersMs),
  AUTH: z
    .enum(['tokens', 'none'])
    .default('tokens')
    .describe('tokens (the default), or none to let every caller do everything in a local experiment'),
  ADMIN_TOKEN: z
    .string()
    .min(32)
    .max(512)
    .regex(/^[\x21-\x7e]+$/)
    .optional()
    .describe('a secret of 32 to 512 printable characters without spaces, e.g. from `openssl rand -hex 32`'),
  ANONYMOUS_READ: flag('callers without a token may use the read routes'),
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((text) =>
      text
        .split(',')
        .map((o) => o.trim())
        .filter((o) => o !== ''),
    )
    .refine((origins) => origins.every(isOrigin))
    .describe(
      'a comma-separated list of origins such as https://portal.example.com (scheme, host and port only)',
    ),
  RATE_LIMIT_PER_MINUTE: wholeNumber(1, 10_000_000)
    .default(DEFAULT_EDGE.rateLimitPerMinute)
    .describe('a whole number of requests from 1 to 10000000'),
  TRUST_PROXY: z
    .string()
    .default('false')
    .refine((text) => trustProxyOf(text) !== undefined)
    .transform((text) => trustProxyOf(text) as TrustProxy)
    .describe(
      `false (the default: X-Forwarded-For is ignored), true (one proxy, such as the ingress, in front), a whole number of proxies in front from 1 to ${MAX_PROXY_HOPS}, or a comma-separated list of the proxies' addresses or CIDRs`,
    ),
  OVERLOAD_EVENT_LOOP_DELAY_MS: wholeNumber(0, 60_000)
    .default(DEFAULT_EDGE.maxEventLoopDelayMs)
    .describe('a whole number of milliseconds from 0 (no check) to 60000'),
  OIDC_ISSUER: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe(
      'the issuer URL of the identity provider, e.g. https://login.microsoftonline.com/<tenant>/v2.0',
    ),
  OIDC_AUDIENCE: z
    .string()
    .min(1)
    .max(400)
    .optional()
    .describe('the audience (client id or App ID URI) tokens are issued for'),
  OIDC_JWKS_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe("the URL of the issuer's key set, when discovery should not be used"),
  OIDC_ROLES_CLAIM: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe('the name of the claim holding ipam.read, ipam.write or ipam.admin (default roles)'),
  OIDC_TEAM_CLAIM: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe("the name of the claim holding the caller's team (its team label)"),
  AUDIT_RETENTION_DAYS: wholeNumber(1, 36500)
    .optional()
    .describe('a whole number of days from 1 to 36500, or unset to keep every entry'),
  HISTORY_RETENTION_DAYS: wholeNumber(1, 36500)
    .default(90)
    .describe('a whole number of days from 1 to 36500: pod address intervals closed longer ago are pruned'),
  HISTORY_MEMORY_ENTRIES: wholeNumber(0, 100_000_000)
    .default(DEFAULT_RECORD_INDEX.maxEntries)
    .describe(
      'a whole number from 0 to 100000000: recorded pod intervals and nodes held in memory for lookups (about 280 bytes each); plans past it are answered from the database',
    ),
  SHUTDOWN_GRACE_SECONDS: wholeNumber(0, 3600)
    .default(20)
    .describe('a whole number of seconds from 0 to 3600'),
  METRICS_PUBLIC: flag("GET /metrics answers without a token (every team's plans are then visible)"),
  METRICS_MAX_PLANS: wholeNumber(1, 100_000)
    .default(1000)
    .describe('a whole number of plans from 1 to 100000'),
  DESIGN_CACHE_MB: wholeNumber(1, 65536)
    .default(DEFAULT_DESIGN_CACHE_BYTES / 1024 / 1024)
    .describe('a whole number of mebibytes from 1 to 65536'),
});

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly databasePath: string;
  /** PostgreSQL instead of SQLite, when DATABASE_URL is set. */
  readonly postgres: PostgresConfig | undefined;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly timeouts: Timeouts;
  readonly designCacheBytes: number;
  readonly auth: AuthOptions;
  readonly adminToken: string | undefined;
  readonly edge: EdgeOptions;
  /** Which X-Forwarded-For entries name proxies rather than the client. */
  readonly trustProxy: TrustProxy;
  readonly shutdownGraceMs: number;
  readonly auditRetentionDays: number | undefined;
  /** Pod address intervals closed longer ago than this are pruned. */
  readonly historyRetentionDays: number;
  /** Recorded pod intervals and nodes the lookups hold in memory. */
  readonly historyMemoryEntries: number;
  readonly oidc: OidcOptions | undefined;
  readonly metrics: { readonly public: boolean; readonly maxPlans: number };
}

export interface PostgresConfig {
  readonly url: string;
  readonly poolSize: number;
  readonly statementTimeoutMs: number;
  readonly connectTimeoutMs: number;
}

/** OIDC is on when issuer and audience are both given; one without the other is a mistake. */
function oidcOf(c: {
  OIDC_ISSUER?: string | undefined;
  OIDC_AUDIENCE?: string | undefined;
  OIDC_JWKS_URL?: string | undefined;
  OIDC_ROLES_CLAIM?: string | undefined;
  OIDC_TEAM_CLAIM?: string | undefined;
}): OidcOptions | undefined {
  if (c.OIDC_ISSUER === undefined && c.OIDC_AUDIENCE === undefined) {
    // A key set or a claim's name without OIDC would be ignored: the operator meant OIDC on.
    const stray = (['OIDC_JWKS_URL', 'OIDC_ROLES_CLAIM', 'OIDC_TEAM_CLAIM'] as const).find(
      (name) => c[name] !== undefined,
    );
    if (stray !== undefined)
      throw new StartupError(
        `${stray} is set, but OIDC is off: set OIDC_ISSUER and OIDC_AUDIENCE too, or unset ${stray}`,
      );
    return undefined;
  }
  if (c.OIDC_ISSUER === undefined || c.OIDC_AUDIENCE === undefined) {
    const missing = c.OIDC_ISSUER === undefined ? 'OIDC_ISSUER' : 'OIDC_AUDIENCE';
    throw new StartupError(`${missing} is not set: set OIDC_ISSUER and OIDC_AUDIENCE together, or neither`);
  }
  return {
    issuer: c.OIDC_ISSUER,
    audience: c.OIDC_AUDIENCE,
    jwksUrl: c.OIDC_JWKS_URL,
    rolesClaim: c.OIDC_ROLES_CLAIM ?? 'roles',
    teamClaim: c.OIDC_TEAM_CLAIM,
  };
}

/**
 * `true` is one hop, not Fastify's "trust every hop": with every hop trusted the client's own
 * left-most X-Forwarded-For entry would name it, and it could pick a fresh address per request.
 */
function trustProxyOf(text: string): TrustProxy | undefined {
  const value = text.trim();
  if (value === 'false') return false;
  if (value === 'true') return 1;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return hops >= 1 && hops <= MAX_PROXY_HOPS ? hops : undefined;
  }
  const proxies = value.split(',').map((p) => p.trim());
  return proxies.every(isAddressOrCidr) ? proxies : undefined;
}

function isAddressOrCidr(text: string): boolean {
  const [address = '', prefix, ...rest] = text.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

function isOrigin(text: string): boolean {
  try {
    return new URL(text).origin === text;
  } catch {
    return false;
  }
}

/** Variables whose values are secrets: a refusal names their length, never their text. */
const SECRETS = new Set(['ADMIN_TOKEN', 'DATABASE_URL']);

function shown(name: string, value: string | undefined): string {
  if (SECRETS.has(name)) return `(a secret of ${value?.length ?? 0} characters)`;
  return JSON.stringify(value ?? '');
}

function flag(what: string) {
  return z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe(`true or false (the default): whether ${what}`);
}

/**
 * A whole number written in decimal digits, from min to max. Anything else is refused, where
 * Number() would read "0x1F90" as 8080, "1e3" as 1000 and "" as 0.
 */
function wholeNumber(min: number, max: number) {
  return z.preprocess(
    (value) => (typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value),
    z.number().int().min(min).max(max),
  );
}

function milliseconds(fallback: number) {
  return wholeNumber(1, 3_600_000)
    .default(fallback)
    .describe('a whole number of milliseconds from 1 to 3600000');
}

/** The only reader of the environment: parsed once at start-up, refusing bad values loudly. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = ConfigSchema.safeParse(setVariables(env));
  if (!result.success) {
    const [issue] = result.error.issues;
    const name = String(issue?.path[0] ?? 'configuration') as keyof typeof ConfigSchema.shape;
    const wanted = ConfigSchema.shape[name]?.description ?? 'a valid value';
    // The value as it was checked: without the white space around it.
    throw new StartupError(
      `${name} ${shown(name, env[name]?.trim())} is not valid: set ${name} to ${wanted}`,
    );
  }
  const c = result.data;
  return {
    port: c.PORT,
    host: c.HOST,
    databasePath: c.DATABASE_PATH,
    postgres:
      c.DATABASE_URL === undefined
        ? undefined
        : {
            url: c.DATABASE_URL,
            poolSize: c.DATABASE_POOL_SIZE,
            statementTimeoutMs: c.DATABASE_STATEMENT_TIMEOUT_MS,
            connectTimeoutMs: c.DATABASE_CONNECT_TIMEOUT_MS,
          },
    logLevel: c.LOG_LEVEL,
    timeouts: {
      requestMs: c.REQUEST_TIMEOUT_MS,
      idleMs: c.IDLE_TIMEOUT_MS,
      keepAliveMs: c.KEEP_ALIVE_TIMEOUT_MS,
      headersMs: c.HEADERS_TIMEOUT_MS,
    },
    designCacheBytes: c.DESIGN_CACHE_MB * 1024 * 1024,
    auth: { mode: c.AUTH, anonymousRead: c.ANONYMOUS_READ },
    adminToken: c.ADMIN_TOKEN,
    edge: {
      ...DEFAULT_EDGE,
      corsOrigins: c.CORS_ORIGINS,
      rateLimitPerMinute: c.RATE_LIMIT_PER_MINUTE,
      maxEventLoopDelayMs: c.OVERLOAD_EVENT_LOOP_DELAY_MS,
    },
    trustProxy: c.TRUST_PROXY,
    shutdownGraceMs: c.SHUTDOWN_GRACE_SECONDS * 1000,
    auditRetentionDays: c.AUDIT_RETENTION_DAYS,
    historyRetentionDays: c.HISTORY_RETENTION_DAYS,
    historyMemoryEntries: c.HISTORY_MEMORY_ENTRIES,
    oidc: oidcOf(c),
    metrics: { public: c.METRICS_PUBLIC, maxPlans: c.METRICS_MAX_PLANS },
  };
}

/**
 * The variables set that are one slip away from a setting's name (a letter missing, extra, wrong
 * or two swapped, or another case), each with the setting meant: such a variable is ignored,
 * and its setting keeps its default without a word (DATABSE_URL runs on a local SQLite file).
 * One slip only: a Kubernetes service named "database" sets DATABASE_PORT, two from DATABASE_PATH.
 * Nor when the setting is set as well: Marathon sets PORTS and PORT0 beside PORT.
 */
export function misspeltVariables(env: NodeJS.ProcessEnv): { variable: string; meant: string }[] {
  const settings = Object.keys(ConfigSchema.shape);
  return Object.keys(env).flatMap((variable) => {
    if (settings.includes(variable)) return [];
    const meant = settings.find((name) => oneSlipApart(variable.toUpperCase(), name));
    return meant === undefined || env[meant] !== undefined ? [] : [{ variable, meant }];
  });
}

/** Whether a is b, or b with one letter missing, added, changed, or two neighbours swapped. */
function oneSlipApart(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (a[i] === b[i]) i++;
  const rest = (x: string, from: number) => x.slice(from);
  return (
    rest(a, i + 1) === rest(b, i + 1) || // changed
    rest(a, i) === rest(b, i + 1) || // missing from a
    rest(a, i + 1) === rest(b, i) || // added to a
    (a[i] === b[i + 1] && a[i + 1] === b[i] && rest(a, i + 2) === rest(b, i + 2)) // swapped
  );
}

/**
 * Secrets that are still refused empty: one that came through empty must not run the service
 * on a database of its own (each replica on a local SQLite file) or with an admin token of its own.
 */
const EMPTY_REFUSED = new Set(['DATABASE_URL', 'ADMIN_TOKEN']);

/**
 * The variables that have a value, without the white space around it: a Kubernetes secret made
 * from a file keeps the file's last newline, and no value here means anything by its spaces (a
 * token is sent in a header, which drops them). An empty one is unset, as a Helm chart or a
 * compose file writes "no value", so its default applies rather than a 0 or an empty name.
 */
function setVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(env).flatMap(([name, value]) => {
      const trimmed = value?.trim();
      return trimmed === undefined || (trimmed === '' && !EMPTY_REFUSED.has(name)) ? [] : [[name, trimmed]];
    }),
  );
}
