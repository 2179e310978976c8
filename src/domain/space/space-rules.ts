import { invalidInput } from '../errors.js';
import type { Cidr } from '../ip/index.js';
import { ProblemCollector } from '../plan/problems.js';

const SPACE_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,62}[A-Za-z0-9])?$/;
/** A name that reads as an id would make `{idOrName}` ambiguous. */
export const LOOKS_LIKE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parses and checks a new space: a valid name and CIDRs that do not overlap each other. */
export function parseSpace(name: string, texts: readonly string[]): Cidr[] {
  const problems = new ProblemCollector();
  if (!SPACE_NAME.test(name)) {
    problems.add(
      'SPACE_NAME_INVALID',
      'name',
      `"${name}" is not a valid space name: 1-64 letters, digits, '.', '-' or '_'`,
    );
  } else if (LOOKS_LIKE_ID.test(name)) {
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
    const other = cidrs.find((c) => c.cidr.overlaps(cidr));
    if (other !== undefined) {
      problems.add('SPACE_CIDRS_OVERLAP', path, `${cidr} (${path}) overlaps ${other.cidr} (${other.path})`);
    }
    cidrs.push({ cidr, path });
  });
  if (problems.problems.length > 0) throw invalidInput(problems.problems);
  return cidrs.map((c) => c.cidr);
}
