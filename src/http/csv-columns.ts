/** The header names a CSV lookup takes the addresses from, in the order it looks for them. */
export const CSV_COLUMNS = ['ip', 'src', 'srcIp', 'dst', 'dstIp'] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];
