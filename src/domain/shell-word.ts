/** A shell word in single quotes: nothing inside is expanded, whatever the text holds. */
export function shellWord(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
