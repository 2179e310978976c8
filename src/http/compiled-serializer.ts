import fastJson from 'fast-json-stringify';
import { z } from 'zod';

/**
 * A response serializer compiled from the route's zod schema by fast-json-stringify, for hot
 * routes: it writes JSON straight from the schema's shape instead of running zod over every
 * response first. The zod schema stays the one source of truth (and of the OpenAPI document).
 */
export function compiledSerializer({ schema }: { schema: unknown }): (data: unknown) => string {
  return fastJson(serializerSchema(schema as z.ZodType) as unknown as Parameters<typeof fastJson>[0]);
}

type JsonSchema = { readonly [key: string]: unknown };

/**
 * The JSON Schema a serializer is compiled from: the zod schema's, with each `anyOf` whose
 * branches are of different types (a count that is a number or a decimal string, a CIDR or a
 * `{ fromSpace }`, a value or null) written as one schema of several types.
 *
 * fast-json-stringify picks an `anyOf` branch by validating the value against each with Ajv,
 * and compiles those validators on first use: the first page of plans after start-up held the
 * event loop for 0.2-1 s compiling them, and every later value paid a validation per branch.
 * A schema of several types is picked by the value's own type, with nothing compiled later.
 * Validation keywords go with it; a serializer does not validate.
 */
export function serializerSchema(schema: z.ZodType): JsonSchema {
  // Without the registry of named components, every schema is inline: no $ref to resolve
  // (fast-json-stringify validates an allOf of one $ref too), and every anyOf in sight.
  const json = z.toJSONSchema(schema, { target: 'draft-7', unrepresentable: 'any', metadata: z.registry() });
  return simplified(json) as JsonSchema;
}

function simplified(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(simplified);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    // Property names are not keywords: each value is a schema.
    out[key] =
      key === 'properties' || key === '$defs' || key === 'definitions'
        ? eachSimplified(value)
        : simplified(value);
  }
  const merged = Array.isArray(out.anyOf) ? typedUnion(out.anyOf) : undefined;
  if (merged === undefined) return out;
  const { anyOf: _, ...rest } = out;
  return { ...rest, ...merged };
}

function eachSimplified(schemas: unknown): unknown {
  if (schemas === null || typeof schemas !== 'object') return schemas;
  return Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, simplified(schema)]));
}

/** What a serializer needs to write one value of each branch's type. */
const SHAPE_KEYWORDS = ['properties', 'required', 'additionalProperties', 'items'] as const;

/**
 * Keywords a branch may carry and still be merged: its shape, and keywords that only validate
 * or describe. Any other (`format` writes a Date, `default` fills a missing property, `const`,
 * `$ref`, tuples) changes what is written, and keeps the union as it is.
 */
const MERGEABLE = new Set<string>([
  ...SHAPE_KEYWORDS,
  'type',
  'description',
  'title',
  'example',
  'examples',
  'enum',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'uniqueItems',
  'propertyNames',
]);

/**
 * fast-json-stringify tries a value against the types in order (null first), and its string
 * test also takes any object with a toString of its own, arrays included: arrays and objects
 * are tried before strings, as a validator would tell them apart.
 */
const TRIED_FIRST = ['array', 'object'];

/**
 * Branches of distinct types (nested `anyOf`s flattened) as one schema of those types;
 * undefined when two branches share a type or one carries a keyword that changes what is
 * written (see MERGEABLE): those need a validator to tell apart, and stay as they are.
 */
function typedUnion(branches: readonly unknown[]): JsonSchema | undefined {
  const flat = branches.flatMap((branch) => {
    const b = branch as JsonSchema;
    return Array.isArray(b.anyOf) && b.type === undefined ? (b.anyOf as unknown[]) : [branch];
  });
  const types: string[] = [];
  const shape: Record<string, unknown> = {};
  for (const branch of flat) {
    const b = branch as JsonSchema;
    // A branch may be a union merged already (a nullable count).
    const own = typeof b.type === 'string' ? [b.type] : Array.isArray(b.type) ? (b.type as string[]) : [];
    if (own.length === 0 || own.some((type) => types.includes(type))) return undefined;
    if (Object.keys(b).some((key) => !MERGEABLE.has(key))) return undefined;
    types.push(...own);
    for (const key of SHAPE_KEYWORDS) if (key in b) shape[key] = b[key];
  }
  const ordered = [
    ...types.filter((t) => TRIED_FIRST.includes(t)),
    ...types.filter((t) => !TRIED_FIRST.includes(t)),
  ];
  return { type: ordered, ...shape };
}
