import { DOMAIN_ERRORS, type DomainErrorCode, type ErrorKind } from '../domain/error-codes.js';

/**
 * The one place that maps error codes to HTTP statuses: the domain's codes by their kind, and
 * the codes the HTTP layer raises itself. `/problems/{code}` pages, the README's error table and
 * every problem body's status and title come from here.
 */
const STATUS_BY_KIND: Record<ErrorKind, number> = {
  invalid: 422,
  'not-found': 404,
  conflict: 409,
  forbidden: 403,
  stale: 412,
  'precondition-required': 428,
  'bad-query': 400,
};

interface HttpEntry {
  readonly status: number;
  readonly title: string;
  readonly fix: string;
}

/** Codes of the HTTP layer: request shape, transport, and the service's own state. */
const HTTP_ERRORS = {
  UNKNOWN_FIELD: {
    status: 422,
    title: 'Unknown field',
    fix: 'Remove the field: the request schema does not have it.',
  },
  FIELD_REQUIRED: { status: 422, title: 'Required field missing', fix: 'Give the field the message names.' },
  INVALID_TYPE: {
    status: 422,
    title: 'Wrong type',
    fix: 'Give the field a value of the type the schema says (a number, a string, a list, an object).',
  },
  INVALID_VALUE: { status: 422, title: 'Value not allowed', fix: 'Use one of the values the schema lists.' },
  INVALID_FORMAT: {
    status: 422,
    title: 'Wrong format',
    fix: 'Write the value in the format the schema names.',
  },
  VALUE_OUT_OF_RANGE: {
    status: 422,
    title: 'Value out of range',
    fix: 'Give a value (or a list length) between the bounds the message names.',
  },
  REQUEST_INVALID: {
    status: 422,
    title: 'Invalid request',
    fix: 'Correct the request as the errors list says.',
  },
  NESTING_TOO_DEEP: {
    status: 422,
    title: 'Body nested too deeply',
    fix: 'A body may nest at most 32 levels: send the design, patch or document as it is, without extra nesting.',
  },
  MALFORMED_JSON: { status: 400, title: 'Malformed JSON', fix: 'Send a body that is valid JSON.' },
  RANGE_NOT_SATISFIABLE: {
    status: 416,
    title: 'Range not satisfiable',
    fix: 'Ask for a byte range inside the file (the Swagger UI files take Range), or leave Range out.',
  },
  ITEM_TOO_LARGE: {
    status: 422,
    title: 'List item too large',
    fix: 'Send the list kubectl printed: no node or pod holds 500,000 values in metadata, spec and status, and a list item that does is refused whole.',
  },
  KEY_FORBIDDEN: {
    status: 400,
    title: 'Key not allowed',
    fix: 'Remove the "__proto__" key (or the "prototype" key of a "constructor" object): no body may hold one.',
  },
  BAD_REQUEST: { status: 400, title: 'Bad request', fix: 'Send a well-formed HTTP request.' },
  URL_INVALID: {
    status: 400,
    title: 'Invalid URL',
    fix: 'Percent-encode the path as UTF-8 (%20 for a space).',
  },
  UNAUTHENTICATED: {
    status: 401,
    title: 'Authentication required',
    fix: 'Send Authorization: Bearer <token> with a token that is not expired or revoked; an admin creates tokens with POST /v1/tokens.',
  },
  FORBIDDEN: {
    status: 403,
    title: 'Scope too weak',
    fix: 'Use a token with the scope the message names: read for reading, write for changes, admin for tokens.',
  },
  REQUEST_TIMEOUT: {
    status: 408,
    title: 'Request timeout',
    fix: 'Send the whole request promptly, then retry.',
  },
  BODY_TOO_LARGE: {
    status: 413,
    title: 'Body too large',
    fix: "Send at most the route's limit: 1 MiB for a batch lookup, 256 KiB for a design, 64 KiB for a space, 16 KiB for an allocation or a node, 4 MiB for an az import, 32 MiB for a node import, 64 MiB for a pod import. Split a large batch, or stream addresses as NDJSON.",
  },
  URI_TOO_LONG: { status: 414, title: 'URI too long', fix: 'Path parameters are at most 2,048 characters.' },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    title: 'Unsupported media type',
    fix: 'Send the body as application/json (or a lookup stream as application/x-ndjson, text/plain or text/csv), without a Content-Encoding such as gzip.',
  },
  HEADERS_TOO_LARGE: {
    status: 431,
    title: 'Request headers too large',
    fix: 'Send fewer or shorter headers.',
  },
  ROUTE_NOT_FOUND: {
    status: 404,
    title: 'No such route',
    fix: 'Check the method and the path against the API reference at /docs.',
  },
  EXPECTATION_FAILED: {
    status: 417,
    title: 'Expectation failed',
    fix: 'Leave the Expect header out, or send Expect: 100-continue.',
  },
  METHOD_NOT_ALLOWED: {
    status: 405,
    title: 'Method not allowed',
    fix: 'Use one of the methods the Allow header lists for this path (see the API reference at /docs).',
  },
  NOT_READY: {
    status: 503,
    title: 'Not ready',
    fix: 'The database cannot serve (unreachable, replaced or not migrated): the operator checks the logs and DATABASE_PATH or DATABASE_URL.',
  },
  RATE_LIMITED: {
    status: 429,
    title: 'Too many requests',
    fix: 'Wait the Retry-After seconds; batch lookups (POST /v1/lookup, or a stream) instead of one request per address. Limits are per token and per replica.',
  },
  OVERLOADED: {
    status: 503,
    title: 'Overloaded',
    fix: 'Retry after Retry-After seconds; the service sheds requests while its event loop or memory is over its threshold.',
  },
  SHUTTING_DOWN: {
    status: 503,
    title: 'Shutting down',
    fix: 'Retry: this replica is stopping and another one (or this one, restarted) will answer.',
  },
  IDENTITY_PROVIDER_UNAVAILABLE: {
    status: 503,
    title: 'Identity provider unavailable',
    fix: 'Retry after Retry-After seconds; if it lasts, the operator checks OIDC_ISSUER (or OIDC_JWKS_URL) is reachable from the service.',
  },
  DATABASE_UNAVAILABLE: {
    status: 503,
    title: 'Database unavailable',
    fix: "Retry after Retry-After seconds; nothing was changed, unless PostgreSQL stopped answering while a write committed (retry an allocation with the same Idempotency-Key; a plan's create that landed answers 409). If it lasts, the operator checks that DATABASE_URL is reachable from the replicas (on SQLite: that no other process holds the database file's write lock for long).",
  },
  INTERNAL_ERROR: {
    status: 500,
    title: 'Internal error',
    fix: 'A defect: the error is logged with the request id; report the X-Request-Id of the answer.',
  },
} as const satisfies Record<string, HttpEntry>;

export type HttpErrorCode = keyof typeof HTTP_ERRORS;
export type ErrorCode = DomainErrorCode | HttpErrorCode;

export interface CatalogueEntry {
  readonly code: ErrorCode;
  readonly status: number;
  readonly title: string;
  readonly fix: string;
}

function entryOf(code: ErrorCode): CatalogueEntry {
  if (code in HTTP_ERRORS) return { code, ...HTTP_ERRORS[code as HttpErrorCode] };
  const entry = DOMAIN_ERRORS[code as DomainErrorCode];
  return { code, status: STATUS_BY_KIND[entry.kind], title: entry.title, fix: entry.fix };
}

/** Every code, by status and then by name. */
export const CATALOGUE: readonly CatalogueEntry[] = (
  [...Object.keys(DOMAIN_ERRORS), ...Object.keys(HTTP_ERRORS)] as ErrorCode[]
)
  .map(entryOf)
  .sort((a, b) => a.status - b.status || a.code.localeCompare(b.code));

const BY_CODE = new Map(CATALOGUE.map((e) => [e.code, e]));

export function catalogueEntry(code: ErrorCode): CatalogueEntry {
  const entry = BY_CODE.get(code);
  if (entry === undefined) throw new Error(`${code} is not in the error catalogue`);
  return entry;
}

/** The catalogue entry of a path segment: the code in kebab case (/problems/cidr-host-bits-set), or as it is. */
export function entryForSlug(slug: string): CatalogueEntry | undefined {
  return BY_CODE.get(slug.toUpperCase().replaceAll('-', '_') as ErrorCode);
}

export function slugOf(code: ErrorCode): string {
  return code.toLowerCase().replaceAll('_', '-');
}

/** A problem of one field, as problem bodies list them. */
export interface FieldProblem {
  readonly code: ErrorCode;
  readonly path: string;
  readonly message: string;
}
