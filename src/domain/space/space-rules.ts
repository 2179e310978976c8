import { VNET_INVALID_RANGES } from '../aks-limits.js';
import { ProblemCollector } from '../design/problems.js';
import { type DomainError, invalidInput } from '../errors.js';
import { looksLikeId } from '../identifiers.js';
import { Cidr } from '../ip/index.js';

const SPACE_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,62}[A-Za-z0-9])?$/;

/** Addresses no Azure virtual network may hold: a space hands out blocks for VNets only. */
const VNET_INVALID = VNET_INVALID_RANGES.map((text) => Cidr.parse(text));

/** Parses and checks a new space: a valid name and CIDRs that do not overlap each other. */
export function parseSpace(name: string, texts: readonly string[]): Cidr[] {
  const problems = new ProblemCollector();
  if (!SPACE_NAME.test(name)) {
    problems.add(
      'SPACE_NAME_INVALID',
      'name',
      `"${name}" is not a valid space name: 1-64 letters, digits, '.', '-' or '_'`,
    );
  } else if (looksLikeId(name)) {
    problems.add(
      'SPACE_NAME_INVALID',
      'name',
      `"${name}" looks like an id (a UUID); a space name must not, so that a name or an id always names one space`,
    );
  }
  const cidrs: { cidr: Cidr; path: string }[] = [];
  texts.forEach((text, i) => {
    const path = `cidrs[${i}]`;
    const cidr = problems.cidr(text, path);
    if (cidr === undefined) return;
    const invalid = VNET_INVALID.find((range) => range.overlaps(cidr));
    if (invalid !== undefined) {
      problems.add(
        'RANGE_NOT_ALLOWED_IN_VNET',
        path,
        `${cidr} overlaps ${invalid}, which can never be part of an Azure virtual network: a space holds what VNets may`,
      );
    }
    const other = cidrs.find((c) => c.cidr.overlaps(cidr));
    if (other !== undefined) {
      problems.add('SPACE_CIDRS_OVERLAP', path, `${cidr} (${path}) overlaps ${other.cidr} (${other.path})`);
    }
    cidrs.push({ cidr, path });
  });
  if (problems.problems.length > 0) throw invalidInput(problems.problems);
  return cidrs.map((c) => c.cidr);
}

/**
 * A space may gain CIDRs and lose CIDRs that hold nothing; a CIDR that still holds an
 * allocation stays (SPACE_CIDR_IN_USE names it and one allocation inside it).
 */
export function removedCidrsInUse(
  before: readonly Cidr[],
  after: readonly Cidr[],
  allocated: readonly Cidr[],
): DomainError | undefined {
  const problems = before
    .filter((cidr) => !after.some((kept) => kept.equals(cidr)))
    .flatMap((cidr) => {
      // Widened or narrowed ranges keep what they still cover: only an allocation left out counts.
      const held = allocated.find((a) => cidr.overlaps(a) && !after.some((kept) => kept.covers(a)));
      return held === undefined
        ? []
        : [
            {
              code: 'SPACE_CIDR_IN_USE' as const,
              path: 'cidrs',
              message: `${cidr} still holds allocations (${held} among them): release them before removing it`,
            },
          ];
    });
  return problems.length === 0 ? undefined : invalidInput(problems);
}

/** Whether two lists name the same ranges, in any order: a space's free blocks then stay as they are. */
export function sameRanges(a: readonly Cidr[], b: readonly Cidr[]): boolean {
  const key = (cidrs: readonly Cidr[]) => [...new Set(cidrs.map(String))].sort().join(' ');
  return key(a) === key(b);
}
