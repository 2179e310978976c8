import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Migration files, whatever the backend: plain SQL named NNN-name.sql, applied in version order,
 * each recorded with its checksum.
 */
const MIGRATION_FILE = /^(\d{3})-[a-z0-9-]+\.sql$/;

export interface Migration {
  readonly version: string;
  readonly name: string;
  readonly sql: string;
  /** SHA-256 of the file, recorded when it is applied: a file edited afterwards is refused. */
  readonly checksum: string;
}

/** A migration file that differs from the one the database recorded when it ran it. */
export class MigrationEditedError extends Error {
  readonly code = 'MIGRATION_EDITED';
  constructor(readonly migration: string) {
    super(`migration ${migration} was edited after it was applied`);
  }
}

export function checksumOf(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}

/** The plain SQL files of `dir`, in version order. */
export function readMigrations(dir: string): Migration[] {
  return readdirSync(dir)
    .filter((file) => MIGRATION_FILE.test(file))
    .sort()
    .map((file) => {
      const sql = readFileSync(join(dir, file), 'utf8');
      return { version: file.slice(0, 3), name: file, sql, checksum: checksumOf(sql) };
    });
}

/**
 * What a migrator does given what the database recorded (version -> checksum, null for a
 * migration recorded before checksums were kept): refuses an edited file, adopts the
 * checksums of old records, and answers the migrations still to run.
 */
export function plan(
  migrations: readonly Migration[],
  recorded: ReadonlyMap<string, string | null>,
): { adopt: Migration[]; pending: Migration[] } {
  const adopt: Migration[] = [];
  for (const m of migrations) {
    if (!recorded.has(m.version)) continue;
    const checksum = recorded.get(m.version);
    if (checksum === null || checksum === undefined) adopt.push(m);
    else if (checksum !== m.checksum) throw new MigrationEditedError(m.name);
  }
  return { adopt, pending: migrations.filter((m) => !recorded.has(m.version)) };
}
