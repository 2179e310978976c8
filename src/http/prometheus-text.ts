/** Pieces of the Prometheus text format (0.0.4), written as prom-client writes them. */

/** A label as the text format writes it: backslash, newline and double quote escaped. */
export function labelPair(name: string, value: string): string {
  return `${name}="${NEEDS_ESCAPE.test(value) ? escaped(value).replaceAll('"', '\\"') : value}"`;
}

const NEEDS_ESCAPE = /[\\\n"]/;

/** Help text and label values: backslash and newline escaped. */
export function escaped(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');
}

/** A sample's value: NaN and infinities spelled as the format spells them. */
export function sampleValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value < 0 ? '-Inf' : '+Inf';
  return `${value}`;
}
