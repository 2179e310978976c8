import type { FastifyInstance } from 'fastify';
import { type Captured, EXAMPLE_STEPS, type ExampleStep } from './examples.js';

type Json = Record<string, unknown>;

/** What one example step sent and got back. */
export interface StepResult {
  readonly step: ExampleStep;
  /** The path parameters the step was sent with (ids captured from earlier answers included). */
  readonly params: Captured;
  readonly url: string;
  /** The headers the step was sent with (ETags of earlier answers included). */
  readonly headers: Captured;
  readonly status: number;
  readonly contentType: string;
  readonly body: unknown;
}

function operationsOf(document: Json): Map<string, { method: string; path: string; operation: Json }> {
  const found = new Map<string, { method: string; path: string; operation: Json }>();
  for (const [path, operations] of Object.entries(document.paths as Record<string, Record<string, Json>>)) {
    for (const [method, operation] of Object.entries(operations)) {
      found.set(String(operation.operationId), { method: method.toUpperCase(), path, operation });
    }
  }
  return found;
}

/** The admin token the example story runs with: give it to the app as its ADMIN_TOKEN. */
export const EXAMPLE_ADMIN_TOKEN = 'example-admin-token';

/** Runs every example step against the app, in order, passing ids from answer to later step. */
export async function runExamples(app: FastifyInstance, document: Json): Promise<StepResult[]> {
  const operations = operationsOf(document);
  const captured: Record<string, string> = {};
  const results: StepResult[] = [];
  for (const [index, step] of EXAMPLE_STEPS.entries()) {
    const target = operations.get(step.operationId);
    if (target === undefined) throw new Error(`no operation ${step.operationId} in the document`);
    const params: Captured = step.params?.(captured) ?? {};
    const path = target.path.replace(/\{(\w+)\}/g, (_, name: string) =>
      encodeURIComponent(params[name] ?? ''),
    );
    const headers: Captured = step.headers?.(captured) ?? {};
    const url = step.query === undefined ? path : `${path}?${new URLSearchParams(step.query)}`;
    const res = await app.inject({
      method: target.method as 'GET',
      url,
      // Fixed request ids keep the examples (audit entries name them) the same on every run.
      headers: {
        authorization: `Bearer ${EXAMPLE_ADMIN_TOKEN}`,
        'x-request-id': `example-${index + 1}`,
        ...headers,
      },
      ...(step.body === undefined ? {} : { payload: step.body as Json }),
    });
    const contentType = String(res.headers['content-type'] ?? '').split(';')[0] ?? '';
    const body = res.body === '' ? undefined : contentType.endsWith('json') ? res.json() : res.body;
    if (step.capture !== undefined && res.statusCode < 300)
      Object.assign(captured, step.capture(body as Json));
    results.push({ step, params, url, headers, status: res.statusCode, contentType, body });
  }
  return results;
}

/**
 * Writes the examples into the document: named request body examples (media-type examples, so
 * Swagger UI offers them in a drop-down), parameter examples from each operation's first step,
 * and the first real answer of each operation and status as its response example.
 */
export function attachExamples(document: Json, results: readonly StepResult[]): Json {
  const operations = operationsOf(document);
  const seenResponses = new Set<string>();
  const seenParameters = new Set<string>();
  for (const result of results) {
    const { step } = result;
    const target = operations.get(step.operationId);
    if (target === undefined) continue;
    const { operation } = target;
    if (step.body !== undefined) addRequestExample(operation, step);
    if (!seenParameters.has(step.operationId)) {
      seenParameters.add(step.operationId);
      addParameterExamples(operation, result);
    }
    const key = `${step.operationId} ${result.status}`;
    if (!seenResponses.has(key) && result.body !== undefined) {
      seenResponses.add(key);
      addResponseExample(operation, result);
    }
  }
  return document;
}

function addRequestExample(operation: Json, step: ExampleStep): void {
  const media = ((operation.requestBody as Json).content as Record<string, Json>)['application/json'] as Json;
  const schema = media.schema as Json;
  delete schema.examples;
  const examples = (media.examples ?? {}) as Json;
  examples[step.name] = { summary: step.summary, value: step.body };
  media.examples = examples;
}

function addParameterExamples(operation: Json, { step, params, headers }: StepResult): void {
  const given: Record<string, Record<string, string>> = {
    path: params,
    query: step.query ?? {},
    header: headers,
  };
  for (const parameter of (operation.parameters ?? []) as Json[]) {
    const value = given[String(parameter.in)]?.[String(parameter.name)];
    const type = (parameter.schema as Json | undefined)?.type;
    if (value !== undefined)
      parameter.example = type === 'integer' || type === 'number' ? Number(value) : value;
  }
}

function addResponseExample(operation: Json, result: StepResult): void {
  const response = (operation.responses as Record<string, Json>)[String(result.status)];
  const media = (response?.content as Record<string, Json> | undefined)?.[result.contentType];
  if (media === undefined) return;
  media.examples = { [result.step.name]: { summary: result.step.summary, value: result.body } };
}
