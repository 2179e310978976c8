export type Verdict = 'ok' | 'at-risk' | 'exhausted';

/** Utilization at or above this share of the usable addresses is at risk. */
export const AT_RISK_NUMERATOR = 4n;
export const AT_RISK_DENOMINATOR = 5n;

/** exhausted when the requirement exceeds what is usable, at-risk from 80%, else ok. */
export function verdictFor(required: bigint, usable: bigint): Verdict {
  if (required > usable) return 'exhausted';
  if (required * AT_RISK_DENOMINATOR >= usable * AT_RISK_NUMERATOR) return 'at-risk';
  return 'ok';
}

const SEVERITY: Record<Verdict, number> = { ok: 0, 'at-risk': 1, exhausted: 2 };

export function worstVerdict(verdicts: readonly Verdict[]): Verdict {
  return verdicts.reduce<Verdict>((worst, v) => (SEVERITY[v] > SEVERITY[worst] ? v : worst), 'ok');
}

/** required / usable rounded to three decimals (0 for an empty range). */
export function utilization(required: bigint, usable: bigint): number {
  if (usable <= 0n) return required > 0n ? Number.POSITIVE_INFINITY : 0;
  return Math.round(Number((required * 1000n * 2n + usable) / (usable * 2n))) / 1000;
}
