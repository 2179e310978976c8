/**
 * The parameters of a statement built piece by piece, for either backend: `add` keeps a value
 * and answers its placeholder (? for SQLite, $1, $2, ... for PostgreSQL), so the SQL that both
 * stores build alike (label filters, pages, audit filters) is written once.
 */
export class Params {
  readonly values: unknown[] = [];

  constructor(
    private readonly style: '?' | '$',
    ...initial: unknown[]
  ) {
    for (const value of initial) this.add(value);
  }

  add(value: unknown): string {
    this.values.push(value);
    return this.style === '?' ? '?' : `$${this.values.length}`;
  }
}
