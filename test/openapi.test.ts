import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { openapiYaml } from '../scripts/openapi-document.js';

type Operation = {
  operationId?: string;
  summary?: string;
  description?: string;
  parameters?: { in: string; name: string; required?: boolean; description?: string; example?: unknown }[];
  requestBody?: {
    content: Record<string, { examples?: Record<string, { summary?: string; value: unknown }> }>;
  };
  responses: Record<
    string,
    { description: string; content?: Record<string, unknown>; headers?: Record<string, unknown> }
  >;
};

const committed = readFileSync(new URL('../openapi.yaml', import.meta.url), 'utf8');
const document = parse(committed) as {
  info: { version: string };
  paths: Record<string, Record<string, Operation>>;
};
const operations = Object.entries(document.paths).flatMap(([path, ops]) =>
  Object.entries(ops).map(([method, op]) => ({ where: `${method.toUpperCase()} ${path}`, op })),
);

describe('openapi.yaml', () => {
  it('is what the running app serves (run `npm run openapi` after changing a schema)', async () => {
    expect(committed).toBe(await openapiYaml());
  });

  it('has the version of package.json', () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(document.info.version).toBe(version);
  });

  it('gives every operation a unique camelCase operationId, a summary and a description', () => {
    const ids = operations.map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { where, op } of operations) {
      expect(op.operationId, where).toMatch(/^[a-z][A-Za-z]+$/);
      expect(op.summary, where).toBeTruthy();
      expect(op.description, where).toBeTruthy();
    }
  });

  it('declares every error as application/problem+json, and every status with a real description', () => {
    for (const { where, op } of operations) {
      for (const [status, response] of Object.entries(op.responses)) {
        expect(response.description, `${where} ${status}`).not.toBe('Default Response');
        if (status.startsWith('4') || status.startsWith('5')) {
          expect(Object.keys(response.content ?? {}), `${where} ${status}`).toEqual([
            'application/problem+json',
          ]);
        }
      }
    }
  });

  it('requires If-Match where the server answers 428 without it', () => {
    for (const { where, op } of operations.filter(({ op }) => '428' in op.responses)) {
      const ifMatch = op.parameters?.find((p) => p.in === 'header' && p.name === 'if-match');
      expect(ifMatch?.required, where).toBe(true);
    }
  });

  it('declares the headers the answers send', () => {
    const headers = (where: string, status: string) =>
      Object.keys(operations.find((o) => o.where === where)?.op.responses[status]?.headers ?? {});
    expect(headers('POST /v1/plans', '201')).toEqual(
      expect.arrayContaining(['ETag', 'Location', 'X-Request-Id']),
    );
    expect(headers('GET /v1/plans', '200')).toContain('Link');
    expect(headers('POST /v1/spaces/{id}/allocations', '201')).toContain('Idempotent-Replayed');
    expect(headers('GET /v1/plans/{id}', '304')).toContain('ETag');
    expect(headers('GET /v1/plans/{id}/addresses/{ip}/history', '200')).toContain('Link');
    // A token without the scope is told which it needs, as a missing one is told how to send it.
    for (const { where, op } of operations.filter(({ op }) => '403' in op.responses)) {
      expect(Object.keys(op.responses['403']?.headers ?? {}), where).toContain('WWW-Authenticate');
    }
  });

  it('declares what probes and problem pages answer besides JSON', () => {
    const responses = (where: string) => operations.find((o) => o.where === where)?.op.responses ?? {};
    // A replica that is closing answers its probes 503 SHUTTING_DOWN.
    expect(Object.keys(responses('GET /healthz'))).toContain('503');
    expect(Object.keys(responses('GET /readyz'))).toContain('503');
    for (const page of ['GET /problems', 'GET /problems/{code}']) {
      expect(Object.keys(responses(page)['200']?.content ?? {}), page).toEqual([
        'application/json',
        'text/html',
      ]);
    }
  });

  it('describes and exemplifies every path and query parameter', () => {
    for (const { where, op } of operations) {
      for (const p of (op.parameters ?? []).filter((p) => p.in === 'path' || p.in === 'query')) {
        expect(p.description, `${where} ${p.name}`).toBeTruthy();
        expect(p.example, `${where} ${p.name}`).toBeDefined();
      }
    }
  });

  it('offers named request examples with summaries, and a real answer as the response example', () => {
    for (const { where, op } of operations.filter(({ op }) => op.requestBody !== undefined)) {
      const examples = op.requestBody?.content['application/json']?.examples ?? {};
      expect(Object.keys(examples).length, where).toBeGreaterThan(0);
      for (const example of Object.values(examples)) expect(example.summary, where).toBeTruthy();
    }
    const plans = Object.keys(
      operations.find((o) => o.where === 'POST /v1/plans')?.op.requestBody?.content['application/json']
        ?.examples ?? {},
    );
    expect(plans).toEqual(
      expect.arrayContaining([
        'node-subnet',
        'overlay',
        'dual-stack',
        'pod-subnet-dynamic',
        'pod-subnet-static',
        'kubenet',
        'egress',
      ]),
    );
  });
});
