export type Verdict = 'ok' | 'at-risk' | 'exhausted';

/** Utilization at or above this share of the usable addresses is at risk. */
export const AT_RISK_NUMERATOR = 4n;
export const AT_RISK_DENOMINATOR = 5n;

/**
 * exhausted when the requirement exceeds what is usable, or nothing is (an IPv6 service /128
 * has no address for any service), at-risk from 80%, else ok.
 */
export function verdictFor(required: bigint, usable: bigint): Verdict {
  if (required > usable || usable <= 0n) return 'exhausted';
  if (required * AT_RISK_DENOMINATOR >= usable * AT_RISK_NUMERATOR) return 'at-risk';
  return 'ok';
}

const SEVERITY: Record<Verdict, number> = { ok: 0, 'at-risk': 1, exhausted: 2 };

export function worstVerdict(verdicts: readonly Verdict[]): Verdict {
  return verdicts.reduce<Verdict>((worst, v) => (SEVERITY[v] > SEVERITY[worst] ? v : worst), 'ok');
}

/**
 * required / usable rounded to three decimals (infinite, null in JSON, for a range with no
 * usable address), never rounded across a verdict's line: 3,272 of 4,091 (79.98%, ok) reads
 * 0.799, not 0.8, and one address short of 65,534 (exhausted) reads 1.001, not 1, so that the
 * figure and the verdict always agree.
 */
export function utilization(required: bigint, usable: bigint): number {
  // A range with no usable address holds nothing: JSON says null, "no usable address".
  if (usable <= 0n) return Number.POSITIVE_INFINITY;
  const thousandths = (required * 1000n * 2n + usable) / (usable * 2n);
  const atRisk = (AT_RISK_NUMERATOR * 1000n) / AT_RISK_DENOMINATOR;
  if (verdictFor(required, usable) === 'ok' && thousandths >= atRisk) return Number(atRisk - 1n) / 1000;
  if (required > usable && thousandths <= 1000n) return 1.001;
  return Number(thousandths) / 1000;
}

/** Utilization as people read it: a whole percentage, or that the range has no usable address. */
export function utilizationText(utilization: number): string {
  return Number.isFinite(utilization) ? `${Math.round(utilization * 100)}%` : 'no usable address';
}
