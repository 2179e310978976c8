import { AKS_FORBIDDEN_RANGES, SPECIAL_PURPOSE_RANGES, VNET_INVALID_RANGES } from '../../aks-limits.js';
import { Cidr } from '../../ip/index.js';
import type { ProblemCollector } from '../problems.js';

const aksForbidden = AKS_FORBIDDEN_RANGES.map((text) => Cidr.parse(text));
const vnetInvalid = VNET_INVALID_RANGES.map((text) => Cidr.parse(text));
const specialPurpose = SPECIAL_PURPOSE_RANGES.map((text) => Cidr.parse(text));

/** Refuses a pod or service CIDR that holds addresses no pod or service can have (either family). */
export function checkUnicastRange(cidr: Cidr, path: string, problems: ProblemCollector): void {
  for (const special of specialPurpose) {
    if (special.family === cidr.family && cidr.overlaps(special)) {
      problems.add(
        'RANGE_SPECIAL_PURPOSE',
        path,
        `${cidr} overlaps ${special}, whose addresses no pod or service can have`,
      );
    }
  }
}

/** Refuses a range that overlaps what AKS reserves for itself (VNet, pod and service ranges). */
export function checkAksForbidden(cidr: Cidr, path: string, problems: ProblemCollector): void {
  for (const forbidden of aksForbidden) {
    if (cidr.overlaps(forbidden)) {
      problems.add(
        'RANGE_FORBIDDEN',
        path,
        `${cidr} overlaps ${forbidden}, which AKS reserves and refuses in cluster ranges`,
      );
    }
  }
}

/** Refuses a VNet range holding addresses no Azure virtual network may contain. */
export function checkVnetAllowed(cidr: Cidr, path: string, problems: ProblemCollector): void {
  for (const invalid of vnetInvalid) {
    // 169.254.0.0/16 is also AKS-forbidden: report it once.
    if (cidr.overlaps(invalid) && !aksForbidden.some((f) => f.equals(invalid))) {
      problems.add(
        'RANGE_NOT_ALLOWED_IN_VNET',
        path,
        `${cidr} overlaps ${invalid}, which can never be part of an Azure virtual network`,
      );
    }
  }
}
