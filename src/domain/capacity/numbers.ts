/**
 * 1,581: counts in explanations are written the way the documentation writes them. By hand, not
 * toLocaleString: layouts write thousands of these (max reach lays a design out twice per pool),
 * and the locale machinery costs more than the rest of a range's capacity.
 */
export function formatCount(n: bigint | number): string {
  const digits = BigInt(n).toString();
  const sign = digits.startsWith('-') ? '-' : '';
  const plain = sign === '' ? digits : digits.slice(1);
  const head = plain.length % 3 || 3;
  let text = plain.slice(0, head);
  for (let i = head; i < plain.length; i += 3) text += `,${plain.slice(i, i + 3)}`;
  return sign + text;
}

/** "1 node", "1,581 nodes": a count with its noun, singular for one. */
export function counted(n: bigint | number, noun: string): string {
  return `${formatCount(n)} ${noun}${BigInt(n) === 1n ? '' : 's'}`;
}
