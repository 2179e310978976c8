/** One CSV record on one line: its fields, and whether it is written as RFC 4180 writes one. */
export interface CsvRecord {
  readonly fields: string[];
  /**
   * False when a field written without quotes holds a quote or a carriage return, which RFC 4180
   * allows only inside quotes: read leniently here, but a reader of the record as it is may take
   * them for a field's edge or the end of the row.
   */
  readonly strict: boolean;
}

/**
 * The fields of one CSV record on one line (RFC 4180 quoting: "a,b" and "" inside quotes), or
 * undefined when its quotes do not close. Records may not span lines here: flow logs do not.
 */
export function csvRecord(line: string): CsvRecord | undefined {
  const fields: string[] = [];
  let strict = true;
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const quote = line.indexOf('"', i);
        if (quote < 0) return undefined;
        value += line.slice(i, quote);
        if (line[quote + 1] === '"') {
          value += '"';
          i = quote + 2;
        } else {
          i = quote + 1;
          break;
        }
      }
      fields.push(value);
      if (i === line.length) return { fields, strict };
      if (line[i] !== ',') return undefined;
      i++;
    } else {
      const comma = line.indexOf(',', i);
      const field = line.slice(i, comma < 0 ? line.length : comma);
      strict &&= !field.includes('"') && !field.includes('\r');
      fields.push(field);
      if (comma < 0) return { fields, strict };
      i = comma + 1;
    }
  }
}

/** A field as CSV writes it: quoted when it holds a comma, a quote or a line break. */
export function csvField(value: string | number | undefined): string {
  if (value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
