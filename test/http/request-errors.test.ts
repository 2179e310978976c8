import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { requestProblems } from '../../src/http/request-errors.js';
import { validationIssues } from '../../src/http/zod-validation.js';

const issue = (path: PropertyKey[], code = 'invalid_type') =>
  validationIssues([
    // Deliberately not the validator's wording: the code must not depend on it.
    { code, path, message: 'nicht gültig', expected: 'number', input: undefined } as z.core.$ZodIssue,
  ]);

describe('request problems: a missing field is told from a wrong one by the input, not by wording', () => {
  const body = { name: 'p', nodePools: [{ name: 'a', nodeCount: 'three' }], network: null };

  it.each([
    [['nodePools', 0, 'maxPods'], 'FIELD_REQUIRED', 'nodePools[0].maxPods'],
    [['nodePools', 0, 'nodeCount'], 'INVALID_TYPE', 'nodePools[0].nodeCount'],
    [['nodePools', 1], 'FIELD_REQUIRED', 'nodePools[1]'],
    [['network'], 'INVALID_TYPE', 'network'],
    [['network', 'plugin'], 'INVALID_TYPE', 'network.plugin'],
    [['outbound', 'type'], 'INVALID_TYPE', 'outbound.type'],
  ])('%j -> %s', (path, code, field) => {
    expect(requestProblems(issue(path), body)).toEqual([{ code, path: field, message: 'nicht gültig' }]);
  });

  it('a missing body is required; any other keyword keeps its own code', () => {
    expect(requestProblems(issue([]), undefined)[0]?.code).toBe('FIELD_REQUIRED');
    expect(requestProblems(issue(['name'], 'too_big'), body)[0]?.code).toBe('VALUE_OUT_OF_RANGE');
  });

  it('names a key that is not a plain name as a quoted index: one path, one field', () => {
    const labels = z.object({ labels: z.record(z.string(), z.string()) });
    const parsed = labels.safeParse({ labels: { 'example.com/team': 7, '0': 7, team: 7 } });
    const paths = requestProblems(validationIssues(parsed.error?.issues ?? []), {}).map((p) => p.path);
    expect(paths.sort()).toEqual(['labels.team', 'labels["0"]', 'labels["example.com/team"]']);
  });
});
