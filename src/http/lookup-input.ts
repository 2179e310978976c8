import type { Team } from '../domain/auth/team.js';
import { ProblemCollector } from '../domain/design/problems.js';
import type { Problem } from '../domain/errors.js';
import { type LookupAddress, parseLookupAddress } from '../domain/lookup/lookup-address.js';
import { LOOKUP_LIMITS, type LookupOptions } from '../service/lookup-service.js';
import { observationTime } from '../service/pod-service.js';
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
