import type { Team } from '../domain/auth/team.js';
import { ProblemCollector } from '../domain/design/problems.js';
import { DomainError, type Problem } from '../domain/errors.js';
import { parseSelector } from '../domain/labels.js';
import { type LookupAddress, parseLookupAddress } from '../domain/lookup/lookup-address.js';
import { LOOKUP_LIMITS, type LookupOptions } from '../service/lookup-service.js';
import { observationTime } from '../service/pod-service.js';
import { mapInSlices, type TimeSlices } from '../service/time-slices.js';
import type { FieldProblem } from './error-catalogue.js';
import { selectorsOf } from './pages.js';

export type ParsedAddresses = { addresses: LookupAddress[] } | { detail: string; problems: Problem[] };

/** Parses every address, reporting all the bad ones with their positions (`ips[3]`, or `ip`). */
export function parseAddresses(texts: readonly string[], path: (i: number) => string): ParsedAddresses {
  const addresses: LookupAddress[] = [];
  let problems: ProblemCollector | undefined;
  texts.forEach((text, i) => {
    const address = parseLookupAddress(text);
    if (address !== undefined) addresses.push(address);
    else {
      // The collector words the reason; only bad addresses pay for it.
      problems ??= new ProblemCollector();
      problems.address(text, path(i));
    }
  });
  const [first] = problems?.problems ?? [];
  return first === undefined ? { addresses } : { detail: first.message, problems: problems?.problems ?? [] };
}

/** Addresses of a batch parsed between looks at the clock. */
const ADDRESSES_PER_CHECK = 500;

/**
 * `parseAddresses` of a JSON batch, letting the event loop in whenever a slice has run its
 * time: 10,000 IPv6 addresses take up to half a second to read.
 */
export async function parseBatch(
  texts: readonly string[],
  path: (i: number) => string,
  slices?: TimeSlices,
): Promise<ParsedAddresses> {
  const starts = Array.from(
    { length: Math.ceil(texts.length / ADDRESSES_PER_CHECK) },
    (_, k) => k * ADDRESSES_PER_CHECK,
  );
  const parts = await mapInSlices(
    starts,
    (start) => parseAddresses(texts.slice(start, start + ADDRESSES_PER_CHECK), (i) => path(start + i)),
    slices,
  );
  const addresses = parts.flatMap((part) => ('addresses' in part ? part.addresses : []));
  const problems = parts.flatMap((part) => ('problems' in part ? part.problems : []));
  const [first] = problems;
  return first === undefined ? { addresses } : { detail: first.message, problems };
}

/**
 * The problems of a body's label selectors, each at its index (`labels[2]`): a body's problem
 * is 422 where the query's `label` is 400.
 */
export function bodySelectorProblems(labels: readonly string[] | undefined): Problem[] {
  return (labels ?? []).flatMap((text, i) => {
    try {
      parseSelector(text);
      return [];
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return [{ code: error.code, path: `labels[${i}]`, message: error.message }];
    }
  });
}

const list = (value: string | readonly string[] | undefined) =>
  value === undefined ? undefined : typeof value === 'string' ? [value] : value;

/** Lookup options from query parameters and, where given, the body's own fields (which win). */
export function lookupOptions(
  query: {
    limitPerIp?: number | undefined;
    plan?: string | string[] | undefined;
    label?: string | string[] | undefined;
    at?: string | undefined;
  },
  team: Team,
  body: {
    limitPerIp?: number | undefined;
    plans?: string[] | undefined;
    labels?: string[] | undefined;
    at?: string | undefined;
  } = {},
): LookupOptions {
  const at = body.at ?? query.at;
  return {
    limitPerIp: body.limitPerIp ?? query.limitPerIp ?? LOOKUP_LIMITS.defaultPerIp,
    plans: body.plans ?? list(query.plan),
    labels: selectorsOf(body.labels ?? query.label),
    team,
    at: at === undefined ? undefined : observationTime(at, 'at'),
  };
}

/** The options a JSON batch may give in its body or in the query, by query name: body name. */
const BODY_NAMES = { limitPerIp: 'limitPerIp', plan: 'plans', label: 'labels', at: 'at' } as const;

/**
 * What a JSON batch's query says that it cannot mean, refused rather than ignored: an option
 * given twice, in the query and in the body (a query filter naming no plan would otherwise be
 * ignored beside the body's), and a CSV column.
 */
export function batchQueryProblems(
  query: Record<string, unknown>,
  body: Record<string, unknown>,
): FieldProblem[] {
  const twice = Object.entries(BODY_NAMES)
    .filter(([inQuery, inBody]) => query[inQuery] !== undefined && body[inBody] !== undefined)
    .map(([inQuery, inBody]) => ({
      code: 'INVALID_VALUE' as const,
      path: inQuery,
      message: `${inQuery} is given in the query and as ${inBody} in the body: give it in one of them`,
    }));
  // A JSON batch has no columns: a pipeline that meant a CSV stream learns it here.
  const column =
    query.column === undefined
      ? []
      : [
          {
            code: 'INVALID_VALUE' as const,
            path: 'column',
            message: 'column names the address column of a text/csv body: a JSON batch has none',
          },
        ];
  return [...twice, ...column];
}
