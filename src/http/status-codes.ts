/** Domain codes whose HTTP status is not 422 (input the design rules refuse). */
const STATUS_BY_CODE: Record<string, number> = {
  PLAN_NOT_FOUND: 404,
  PLAN_NAME_TAKEN: 409,
  KUBENET_SUBNET_SHARED: 409,
  SPACE_NOT_FOUND: 404,
  ALLOCATION_NOT_FOUND: 404,
  SPACE_NAME_TAKEN: 409,
  SPACE_IN_USE: 409,
  SPACE_EXHAUSTED: 409,
  CIDR_TAKEN: 409,
  REVISION_MISMATCH: 412,
  IF_MATCH_REQUIRED: 428,
  CURSOR_INVALID: 400,
};

/** Changes AKS cannot make to a running cluster conflict with the stored plan. */
const REFUSED_CHANGE = /_CHANGE_REFUSED$/;

export function statusForCode(code: string): number {
  if (REFUSED_CHANGE.test(code)) return 409;
  return STATUS_BY_CODE[code] ?? 422;
}
