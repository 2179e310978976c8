import { AKS } from '../../aks-limits.js';
import type { ProblemCollector } from '../../design/problems.js';
import type { PlanSpec } from '../../design/spec.js';
import { looksLikeId } from '../../identifiers.js';

/** AKS cluster names: 1-63 letters, digits, '-' and '_', starting and ending alphanumeric. */
const PLAN_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$/;
/** AKS pool names: lowercase letters and digits, starting with a letter. */
const POOL_NAME = /^[a-z][a-z0-9]*$/;

export function checkNames(spec: PlanSpec, problems: ProblemCollector): void {
  if (!PLAN_NAME.test(spec.name)) {
    problems.add(
      'PLAN_NAME_INVALID',
      'name',
      `"${spec.name}" is not a valid cluster name: 1-63 letters, digits, '-' or '_', starting and ending with a letter or digit`,
    );
  } else if (looksLikeId(spec.name)) {
    problems.add(
      'PLAN_NAME_INVALID',
      'name',
      `"${spec.name}" looks like an id (a UUID); a plan name must not, so that a name or an id always names one plan`,
    );
  }
  const seen = new Set<string>();
  spec.nodePools.forEach((pool, i) => {
    const path = `nodePools[${i}].name`;
    const maxLength = pool.osType === 'Windows' ? AKS.maxWindowsPoolNameLength : AKS.maxLinuxPoolNameLength;
    if (!POOL_NAME.test(pool.name) || pool.name.length > maxLength) {
      problems.add(
        'POOL_NAME_INVALID',
        path,
        `"${pool.name}" is not a valid ${pool.osType} pool name: lowercase letters and digits, starting with a letter, at most ${maxLength} characters`,
      );
    }
    if (seen.has(pool.name)) {
      problems.add('DUPLICATE_POOL_NAME', path, `pool name "${pool.name}" is used more than once`);
    }
    seen.add(pool.name);
  });
}
