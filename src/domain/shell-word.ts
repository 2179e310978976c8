import { UNSEEN_IN_CODE } from './visible-text.js';

/**
 * A shell word nothing inside is expanded in, whatever the text holds: in single quotes, or in
 * bash's $'...' when it holds characters a reader would not see (control, bidirectional, line
 * separator), each written as the \xHH escapes of its UTF-8 bytes (the same in any locale), so
 * that a script shows what it runs and stays one flag a line. No shell word holds NUL (bash ends
 * the word there, silently naming something else): it is written as U+FFFD.
 */
export function shellWord(text: string): string {
  const whole = text.replaceAll('\u0000', '\ufffd');
  if (whole.search(UNSEEN_IN_CODE) === -1) return `'${whole.replaceAll("'", `'\\''`)}'`;
  const escaped = whole.replace(/[\\']/g, '\\$&').replace(UNSEEN_IN_CODE, utf8Escapes);
  return `$'${escaped}'`;
}

function utf8Escapes(character: string): string {
  return [...new TextEncoder().encode(character)]
    .map((byte) => `\\x${byte.toString(16).padStart(2, '0')}`)
    .join('');
}
