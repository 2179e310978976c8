/** Control characters (C0 and DEL): raw in a script, they act on the terminal that shows it. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters it finds
const CONTROL = /[\u0000-\u001f\u007f]/g;

/**
 * A shell word nothing inside is expanded in, whatever the text holds: in single quotes, or in
 * bash's $'...' with control characters as \xHH escapes, so that a script stays one flag a line
 * and prints as it runs.
 */
export function shellWord(text: string): string {
  if (text.search(CONTROL) === -1) return `'${text.replaceAll("'", `'\\''`)}'`;
  const escaped = text
    .replace(/[\\']/g, '\\$&')
    .replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `$'${escaped}'`;
}
