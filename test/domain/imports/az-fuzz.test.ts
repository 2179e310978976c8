/**
 * Hostile az JSON: the fixtures with up to three of their values replaced by arbitrary JSON. An
 * import either plans (and the plan draws and exports) or refuses with a DomainError (422);
 * nothing else may escape. This found a non-array subnets list, a null body and negative or
 * huge pool counts reaching the layout unchecked.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { DomainError } from '../../../src/domain/errors.js';
import { exportDesign } from '../../../src/domain/exports/index.js';
import { type AzImport, planFromAz } from '../../../src/domain/imports/az-cluster.js';
import { svgMap } from '../../../src/domain/map/svg-map.js';
import { planDesign } from '../../../src/domain/plan/planner.js';
import * as az from './az-fixtures.js';

type Path = (string | number)[];

function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, child]) => pathsOf(child, [...prefix, key]))];
}

function replaced(value: unknown, [head, ...rest]: Path, next: unknown): unknown {
  if (head === undefined) return next;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<
    string | number,
    unknown
  >;
  copy[head] = replaced(copy[head], rest, next);
  return copy;
}

const base = {
  cluster: az.podSubnetStatic,
  subnets: ['aks-nodes', 'aks-pods', 'batch-nodes', 'batch-pods'].map((s, i) =>
    az.subnet(s, `10.${10 + i}.0.0/22`),
  ),
  vnet: az.vnet,
};

it('plans, draws and exports hostile az JSON, or refuses it with a DomainError', () => {
  const paths = pathsOf(base);
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 2 })), {
        minLength: 1,
        maxLength: 3,
      }),
      (changes) => {
        const input = changes.reduce<unknown>((v, [path, next]) => replaced(v, path, next), base);
        try {
          const design = planDesign(planFromAz(input as AzImport).design);
          expect(svgMap(design)).toMatch(/<\/svg>\n$/);
          for (const format of ['terraform', 'az-cli', 'bicep'] as const)
            exportDesign(design, format, 'fuzz');
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
        }
      },
    ),
    { numRuns: 1000 },
  );
});
