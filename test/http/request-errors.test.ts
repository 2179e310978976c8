import type { FastifySchemaValidationError } from 'fastify';
import { describe, expect, it } from 'vitest';
import { requestProblems } from '../../src/http/request-errors.js';

const issue = (instancePath: string, keyword = 'invalid_type'): FastifySchemaValidationError => ({
  keyword,
  instancePath,
  schemaPath: '',
  params: {},
  // Deliberately not the validator's wording: the code must not depend on it.
  message: 'nicht gültig',
});

describe('request problems: a missing field is told from a wrong one by the input, not by wording', () => {
  const body = { name: 'p', nodePools: [{ name: 'a', nodeCount: 'three' }], network: null };

  it.each([
    ['/nodePools/0/maxPods', 'FIELD_REQUIRED', 'nodePools[0].maxPods'],
    ['/nodePools/0/nodeCount', 'INVALID_TYPE', 'nodePools[0].nodeCount'],
    ['/nodePools/1', 'FIELD_REQUIRED', 'nodePools[1]'],
    ['/network', 'INVALID_TYPE', 'network'],
    ['/network/plugin', 'INVALID_TYPE', 'network.plugin'],
    ['/outbound/type', 'INVALID_TYPE', 'outbound.type'],
  ])('%s -> %s', (path, code, field) => {
    expect(requestProblems([issue(path)], body)).toEqual([{ code, path: field, message: 'nicht gültig' }]);
  });

  it('a missing body is required; any other keyword keeps its own code', () => {
    expect(requestProblems([issue('/')], undefined)[0]?.code).toBe('FIELD_REQUIRED');
    expect(requestProblems([issue('/name', 'too_big')], body)[0]?.code).toBe('VALUE_OUT_OF_RANGE');
  });
});
