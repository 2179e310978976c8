/** Domain codes whose HTTP status is not 422 (input the design rules refuse). */
const STATUS_BY_CODE: Record<string, number> = {
  PLAN_NOT_FOUND: 404,
  PLAN_NAME_TAKEN: 409,
  REVISION_MISMATCH: 412,
  IF_MATCH_REQUIRED: 428,
  CURSOR_INVALID: 400,
};

export function statusForCode(code: string): number {
  return STATUS_BY_CODE[code] ?? 422;
}
