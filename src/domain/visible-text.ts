/**
 * Characters a reader never sees as themselves: C0 controls but tab and line feed, DEL and C1
 * controls, which a terminal acts on (escape sequences retitle it, move the cursor, erase what
 * came before), and the bidirectional controls, which reorder the text around them.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters it finds
const HIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * What generated code writes as an escape inside its strings: every control character (C0, DEL,
 * C1), the bidirectional controls and the Unicode line separators, so that a file shows what its
 * strings hold and keeps one statement a line.
 */
export const UNSEEN_IN_CODE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters it finds
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/** Every character that ends a line somewhere: a terminal, an editor, a JavaScript parser. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters it finds
export const LINE_BREAKS = /[\n\r\u2028\u2029\u0085\v\f]/g;

/**
 * Text as a reader of a terminal, a log or a generated file should see it: every hidden
 * character written as `\uXXXX`, so that what is shown is what is there. Line feeds and tabs
 * stay; use `oneLineText` where the text must not start a line of its own.
 */
export function visibleText(text: string): string {
  return text.replace(HIDDEN, escaped);
}

/** `visibleText` on one line: line breaks are written as `\uXXXX` too. */
export function oneLineText(text: string): string {
  return visibleText(text).replace(LINE_BREAKS, escaped);
}

function escaped(character: string): string {
  return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
