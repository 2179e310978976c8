import { VERSION } from '../version.js';
import { describeStreamedLookup } from './streamed-lookup.js';

/**
 * Turns the document Fastify and zod produce into the one we publish: problem bodies as
 * application/problem+json, every status with a real description, the headers each answer
 * sends, parameter examples where clients look for them, and no twin or unused schemas.
 */
type Json = Record<string, unknown>;
interface Operation extends Json {
  operationId?: string;
  parameters?: Json[];
  responses?: Record<string, Json>;
}

const PROBLEM_TYPE = 'application/problem+json';

/** What each status means, in this API's words; operations may say more (RESPONSE_NOTES). */
const STATUS_DESCRIPTIONS: Record<string, string> = {
  '200': 'OK',
  '201': 'Created',
  '204': 'Done; no body',
  '302': 'Found: a redirect',
  '304': 'Not Modified: the ETag in If-None-Match is current; no body',
  '400': 'The query, a path parameter, a header or the JSON cannot be read; errors lists each problem',
  '401':
    'No token, or one that is unknown, expired or revoked (UNAUTHENTICATED); WWW-Authenticate says which',
  '403': 'The token lacks the scope this operation needs (FORBIDDEN)',
  '404': 'Nothing has this id or name (or no such route)',
  '408':
    'The request did not arrive in time (REQUEST_TIMEOUT): its headers within HEADERS_TIMEOUT_MS, all of it within REQUEST_TIMEOUT_MS, with no pause in its body of IDLE_TIMEOUT_MS; the connection closes',
  '409': 'Conflicts with what is stored (a name, a range, a change AKS cannot make to a running cluster)',
  '412': 'If-Match names a stale revision: read again and retry (REVISION_MISMATCH)',
  '413': 'The body is larger than the limit (BODY_TOO_LARGE)',
  '414': 'A path parameter is longer than 2,048 characters (URI_TOO_LONG)',
  '415': 'The body is not of a media type the operation takes (UNSUPPORTED_MEDIA_TYPE)',
  '422': 'The body breaks a rule: errors lists every problem, each with its field path and code',
  '428': 'If-Match is required (IF_MATCH_REQUIRED)',
  '431': 'The request headers are larger than the limit (HEADERS_TOO_LARGE); the connection closes',
  '429':
    'Over the rate limit of the token (or client address) in this replica (RATE_LIMITED): wait Retry-After seconds',
  '500': 'An unexpected error: logged with the request id, nothing internal revealed',
  '503':
    'Shed while the event loop or the heap is over its threshold (OVERLOADED), the replica is shutting down (SHUTTING_DOWN), the identity provider of a JWT cannot be reached (IDENTITY_PROVIDER_UNAVAILABLE), or the database cannot be reached (DATABASE_UNAVAILABLE): retry after Retry-After seconds',
  '4XX': 'A request the server cannot read (malformed HTTP), as a problem',
};

const RESPONSE_NOTES: Record<string, Record<string, string>> = {
  createPlan: {
    '201': 'Created: the plan, its capacity, and the blocks taken from spaces',
    '404': 'A space named by { fromSpace } does not exist',
  },
  calculatePlan: {
    '200': 'What the plan would be: spec, warnings, capacity and the first page of node slots',
    '404': 'A space named by { fromSpace } does not exist',
  },
  lookupAddress: {
    '400': 'The ip is not an IP address (IP_INVALID), or is missing; or at is not an RFC 3339 time',
  },
  checkHealth: { '503': 'The replica is shutting down (SHUTTING_DOWN): another replica answers' },
  checkReadiness: {
    '503': 'The database cannot serve (NOT_READY), or the replica is shutting down (SHUTTING_DOWN)',
  },
  lookupAddresses: {
    '200': 'The answers: JSON for a JSON body; NDJSON or CSV, streamed, for a streamed body',
    '422':
      'The body breaks its schema, an address does not parse (IP_INVALID at ips[i]), the lookup could pass 200,000 matches (LOOKUP_TOO_LARGE), or a CSV header has no address column (CSV_HEADER_INVALID)',
  },
  allocateBlock: {
    '201': 'Allocated (or, with a replayed Idempotency-Key, the first answer again)',
    '409': 'No free block of that size (SPACE_EXHAUSTED), or the CIDR is taken (CIDR_TAKEN)',
  },
  deleteSpace: { '409': 'The space still has allocations (SPACE_IN_USE)' },
  releaseAllocation: {
    '403':
      "The token lacks the scope this operation needs (FORBIDDEN), or, in a shared space, the block is another team's (ALLOCATION_OF_ANOTHER_TEAM)",
    '409': "The block is a plan's, released with it (ALLOCATION_HELD_BY_PLAN)",
  },
  replaceSpace: { '409': 'A removed CIDR still holds allocations, or the name is taken' },
  getIndex: { '200': 'Links for an API client' },
  getMetrics: { '200': 'The Prometheus text exposition (format 0.0.4)' },
  exportPlan: { '200': 'The file, as text', '400': 'The format is not terraform, az-cli or bicep' },
  exportCalculation: { '200': 'The file, as text' },
  getPlanMap: { '200': 'The picture, as SVG' },
  calculateMap: { '200': 'The picture, as SVG' },
  importPlan: {
    '200': 'A dry run: the plan as a calculation, with importWarnings',
    '201': 'Stored: the plan, with importWarnings',
    '403': 'Storing an import needs the write scope (a dry run needs read)',
  },
};

interface HeaderUse {
  readonly ETag?: readonly string[];
  readonly Location?: readonly string[];
  readonly Link?: readonly string[];
  readonly 'Idempotent-Replayed'?: readonly string[];
  readonly 'Retry-After'?: readonly string[];
  readonly 'Content-Disposition'?: readonly string[];
}

/** The response headers each operation sends, by status. */
const HEADERS: Record<string, HeaderUse> = {
  createPlan: { ETag: ['201'], Location: ['201'] },
  getPlan: { ETag: ['200', '304'] },
  replacePlan: { ETag: ['200'] },
  listPlans: { Link: ['200'] },
  listNodeSlots: { Link: ['200'] },
  createSpace: { ETag: ['201'], Location: ['201'] },
  createToken: { Location: ['201'] },
  listTokens: { Link: ['200'] },
  listAuditEntries: { Link: ['200'] },
  listPlanRevisions: { Link: ['200'] },
  getSpace: { ETag: ['200', '304'] },
  replaceSpace: { ETag: ['200'] },
  listSpaces: { Link: ['200'] },
  listAllocations: { Link: ['200'] },
  listConflicts: { Link: ['200'] },
  getAddressHistory: { Link: ['200'] },
  allocateBlock: { Location: ['201'], 'Idempotent-Replayed': ['201'] },
  exportPlan: { 'Content-Disposition': ['200'] },
  importPlan: { ETag: ['201'], Location: ['201'] },
  exportCalculation: { 'Content-Disposition': ['200'] },
};

const HEADER_COMPONENTS: Record<string, Json> = {
  'X-Request-Id': {
    description:
      "The request's id: the client's X-Request-Id when it sent a plain token, else a new one; in every log line",
    schema: { type: 'string' },
  },
  ETag: {
    description:
      'The revision and the id, quoted ("3.<id>"): send it back in If-Match or If-None-Match. A plan or space created again under a deleted one\'s name has other tags; the revision alone ("3", the tag of earlier releases) is still accepted',
    schema: { type: 'string' },
  },
  Location: { description: 'Where the new resource can be read', schema: { type: 'string' } },
  Link: {
    description: 'The next page: <url>; rel="next" (absent on the last page)',
    schema: { type: 'string' },
  },
  'Idempotent-Replayed': {
    description: 'true when the answer replays the first answer to this Idempotency-Key',
    schema: { type: 'string', enum: ['true'] },
  },
  'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'string' } },
  'Content-Disposition': {
    description: 'attachment; filename="<plan>.tf" (.sh for az-cli, .bicep for Bicep)',
    schema: { type: 'string' },
  },
  'WWW-Authenticate': {
    description:
      'Bearer realm="aks-ip-planner": on 401 with error="invalid_token" when a token was sent; on 403 with error="insufficient_scope" and the scope needed',
    schema: { type: 'string' },
  },
};

export function refineDocument(document: Json): Json {
  const paths = (document.paths ?? {}) as Record<string, Record<string, Operation>>;
  for (const operations of Object.values(paths)) {
    for (const operation of Object.values(operations)) refineOperation(operation);
  }
  const components = (document.components ?? {}) as Json;
  components.headers = HEADER_COMPONENTS;
  document.components = components;
  mergeInputTwins(document);
  dropUnusedSchemas(document);
  return {
    ...document,
    info: {
      ...(document.info as Json),
      version: VERSION,
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: '/', description: 'This service, where the document is read from' }],
  };
}

/** Probes are never rate limited or shed: they answer for the process itself. */
const PROBES = new Set(['checkHealth', 'checkReadiness']);

/**
 * GET /metrics answers Prometheus text, which no zod schema describes; its example is an excerpt
 * written here (a scrape's own answer changes with every run: CPU time, memory, durations).
 */
function describeMetrics(operation: Operation): void {
  operation.responses = operation.responses ?? {};
  operation.responses['200'] = {
    content: {
      'text/plain; version=0.0.4': {
        schema: { type: 'string' },
        example: [
          '# HELP aksip_range_utilization_ratio Required during an upgrade at the maxima over usable',
          '# TYPE aksip_range_utilization_ratio gauge',
          'aksip_range_utilization_ratio{plan="prod-weu-1",range_kind="node-subnet",cidr="10.240.0.0/24"} 0.741',
          "# HELP aksip_plan_verdict 1 for the plan's verdict (ok, at-risk, exhausted), 0 for the others",
          '# TYPE aksip_plan_verdict gauge',
          'aksip_plan_verdict{plan="prod-weu-1",verdict="ok"} 1',
          'aksip_plan_verdict{plan="prod-weu-1",verdict="at-risk"} 0',
          'aksip_plan_verdict{plan="prod-weu-1",verdict="exhausted"} 0',
          '',
        ].join('\n'),
      },
    },
  };
}

/** Exports and maps answer a file: the zod string their route declares is that media type, not JSON. */
function answersText(operation: Operation, mediaType: string): void {
  const ok = operation.responses?.['200'] as { content?: Record<string, unknown> } | undefined;
  const media = ok?.content?.['application/json'];
  if (ok === undefined || media === undefined) return;
  ok.content = { [mediaType]: media };
}

/** The problem pages answer HTML to a browser (Accept: text/html) and JSON otherwise. */
function alsoHtml(operation: Operation): void {
  const ok = operation.responses?.['200'] as { content?: Record<string, unknown> } | undefined;
  if (ok?.content === undefined) return;
  ok.content['text/html'] = { schema: { type: 'string', description: 'The same, as a page for a browser' } };
}

/** Statuses any operation of a shape can answer, whether or not its route names them. */
function impliedStatuses(operation: Operation): string[] {
  const inPath = (operation.parameters ?? []).some((p) => p.in === 'path');
  // A probe is never limited or shed, but a replica that is closing answers it 503 too.
  const edge = PROBES.has(operation.operationId ?? '') ? ['503'] : ['429', '503'];
  return [
    ...edge,
    // Any request can be too slow to arrive, or carry headers over the limit.
    '408',
    '431',
    ...(operation.security === undefined ? [] : ['401', '403']),
    ...(operation.requestBody === undefined ? [] : ['400', '413', '415', '422']),
    ...(inPath ? ['400', '414'] : []),
    '500',
  ];
}

function refineOperation(operation: Operation): void {
  const id = operation.operationId ?? '';
  for (const parameter of operation.parameters ?? []) hoistExample(parameter);
  if (id === 'lookupAddresses') describeStreamedLookup(operation);
  if (id === 'getMetrics') describeMetrics(operation);
  if (id === 'exportPlan' || id === 'exportCalculation') answersText(operation, 'text/plain');
  if (id === 'getPlanMap' || id === 'calculateMap') answersText(operation, 'image/svg+xml');
  if (id === 'listProblemTypes' || id === 'getProblemType') alsoHtml(operation);
  const responses = operation.responses ?? {};
  const problem = () => ({
    content: { [PROBLEM_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
  });
  for (const status of impliedStatuses(operation)) responses[status] ??= problem();
  if (responses['400'] === undefined) responses['4XX'] = problem();
  for (const [status, response] of Object.entries(responses)) {
    response.description = RESPONSE_NOTES[id]?.[status] ?? STATUS_DESCRIPTIONS[status] ?? 'Answer';
    const content = response.content as Record<string, unknown> | undefined;
    const isProblem = status.startsWith('4') || status.startsWith('5');
    if (isProblem && content?.['application/json'] !== undefined) {
      response.content = { [PROBLEM_TYPE]: content['application/json'] };
    }
    if (status === '204' || status === '304' || status === '302') delete response.content;
    response.headers = headersOf(id, status);
  }
  // Statuses in order, the 4XX catch-all after the numbered ones.
  operation.responses = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
}

function headersOf(operationId: string, status: string): Json {
  const headers: Json = { 'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' } };
  const uses = HEADERS[operationId] ?? {};
  for (const [name, statuses] of Object.entries(uses) as [string, readonly string[]][]) {
    if (statuses.includes(status)) headers[name] = { $ref: `#/components/headers/${name}` };
  }
  if (status === '401' || status === '403') {
    headers['WWW-Authenticate'] = { $ref: '#/components/headers/WWW-Authenticate' };
  }
  if (status === '429' || status === '503') {
    headers['Retry-After'] = { $ref: '#/components/headers/Retry-After' };
  }
  if (status === '302') headers.Location = { $ref: '#/components/headers/Location' };
  return headers;
}

/** Swagger UI and linters read a parameter's example from the parameter itself. */
function hoistExample(parameter: Json): void {
  const schema = parameter.schema as Json | undefined;
  if (schema?.example === undefined || parameter.example !== undefined) return;
  parameter.example = schema.example;
  delete schema.example;
}

/**
 * The zod provider writes every named schema twice, as read (X) and as written (XInput). Where
 * the two are the same, references to XInput point at X and the twin goes.
 */
function mergeInputTwins(document: Json): void {
  const schemas = ((document.components as Json).schemas ?? {}) as Record<string, unknown>;
  const twins = Object.keys(schemas).filter((name) => name.endsWith('Input') && name.slice(0, -5) in schemas);
  const renamed = new Map(twins.map((twin) => [twin, twin.slice(0, -5)]));
  const same = twins.filter((twin) => {
    const base = twin.slice(0, -5);
    return (
      JSON.stringify(renameRefs(schemas[twin], renamed)) ===
      JSON.stringify(renameRefs(schemas[base], renamed))
    );
  });
  const merge = new Map(same.map((twin) => [twin, twin.slice(0, -5)]));
  for (const twin of same) delete schemas[twin];
  Object.assign(document, renameRefs({ ...document }, merge));
}

function renameRefs(value: unknown, renamed: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => renameRefs(v, renamed));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => {
      if (key === '$ref' && typeof v === 'string') {
        const name = v.replace('#/components/schemas/', '');
        const target = renamed.get(name);
        return [key, target === undefined ? v : `#/components/schemas/${target}`];
      }
      return [key, renameRefs(v, renamed)];
    }),
  );
}

/** Schemas nothing refers to (after the twins merged) are left out. */
function dropUnusedSchemas(document: Json): void {
  const schemas = ((document.components as Json).schemas ?? {}) as Record<string, unknown>;
  for (;;) {
    const text = JSON.stringify({
      ...document,
      components: { ...(document.components as Json), schemas: {} },
    });
    const inSchemas = JSON.stringify(schemas);
    const unused = Object.keys(schemas).filter((name) => {
      const ref = `"#/components/schemas/${name}"`;
      const elsewhere = Object.entries(schemas).some(
        ([other, s]) => other !== name && JSON.stringify(s).includes(ref),
      );
      return !text.includes(ref) && !elsewhere && inSchemas.length > 0;
    });
    if (unused.length === 0) return;
    for (const name of unused) delete schemas[name];
  }
}
