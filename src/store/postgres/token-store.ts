import { type ChangeContext, SYSTEM_CHANGE } from '../../domain/auth/actor.js';
import { afterSeq, decodeCursor, firstPage } from '../cursor.js';
import type { Page, PageQuery, StoreClock } from '../page.js';
import { type TokenRecord, toToken } from '../token-row.js';
import type { StoredToken, TokenStore, TokenWrite } from '../token-store.js';
import type { PgAuditRows } from './audit-rows.js';
import { lockTokenWrites } from './locks.js';
import type { Sql } from './sql.js';
import type { PgUnitsOfWork } from './units-of-work.js';

/** API tokens in PostgreSQL; secrets are never stored, only their SHA-256. */
export class PgTokenStore implements TokenStore {
  constructor(
    private readonly units: PgUnitsOfWork,
    private readonly clock: StoreClock,
    private readonly audit: PgAuditRows,
    private readonly version: (startedAfter?: number) => Promise<number>,
  ) {}

  create(token: TokenWrite, change: ChangeContext = SYSTEM_CHANGE): Promise<StoredToken> {
    return this.units.write((sql) => this.insert(sql, token, change));
  }

  /** Replicas starting together take turns under the token-writes lock: one creates it. */
  createFirstAdmin(token: TokenWrite, now: Date): Promise<StoredToken | undefined> {
    return this.units.write(async (sql) => {
      await lockTokenWrites(sql);
      return (await usableAdmin(sql, now)) ? undefined : this.insert(sql, token, SYSTEM_CHANGE);
    });
  }

  hasUsableAdmin(now: Date): Promise<boolean> {
    return this.units.read((sql) => usableAdmin(sql, now));
  }

  find(id: string): Promise<(StoredToken & { secretHash: string }) | undefined> {
    return this.units.read(async (sql) => {
      const row = await sql.one<TokenRecord>('SELECT * FROM tokens WHERE id = $1', [id]);
      return row === undefined ? undefined : { ...toToken(row), secretHash: row.secret_hash };
    });
  }

  list({ limit, cursor }: PageQuery): Promise<Page<StoredToken>> {
    const after = cursor === undefined ? 0 : decodeCursor(cursor, afterSeq, 'tokens').after;
    return this.units.read(async (sql) => {
      const found = await sql.rows<TokenRecord>(
        'SELECT * FROM tokens WHERE revoked_at IS NULL AND seq > $1 ORDER BY seq LIMIT $2',
        [after, limit + 1],
      );
      const { rows, nextCursor } = firstPage(found, limit, (last) => ({ after: Number(last.seq) }), 'tokens');
      return { items: rows.map(toToken), nextCursor };
    });
  }

  revoke(id: string, now: Date, change: ChangeContext = SYSTEM_CHANGE): Promise<boolean> {
    return this.units.write(async (sql) => {
      const revoked = await sql.one<{ name: string }>(
        'UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL RETURNING name',
        [now.toISOString(), id],
      );
      if (revoked === undefined) return false;
      await this.audit.record(sql, change, {
        action: 'token.revoke',
        target: { type: 'token', id, name: revoked.name },
      });
      return true;
    });
  }

  /** Read on every authenticated request; concurrent requests share one query. */
  changeVersion(startedAfter?: number): Promise<number> {
    return this.version(startedAfter);
  }

  private async insert(sql: Sql, token: TokenWrite, change: ChangeContext): Promise<StoredToken> {
    await lockTokenWrites(sql);
    const row = await sql.one<TokenRecord>(
      `INSERT INTO tokens (id, seq, name, scopes, labels, secret_hash, created_at, expires_at)
       VALUES ($1, (SELECT coalesce(max(seq), 0) + 1 FROM tokens), $2, $3, $4, $5, $6, $7) RETURNING *`,
      [
        token.id,
        token.name,
        JSON.stringify(token.scopes),
        JSON.stringify(token.labels),
        token.secretHash,
        this.clock.now().toISOString(),
        token.expiresAt,
      ],
    );
    await this.audit.record(sql, change, {
      action: 'token.create',
      target: { type: 'token', id: token.id, name: token.name },
    });
    return toToken(row as TokenRecord);
  }
}

async function usableAdmin(sql: Sql, now: Date): Promise<boolean> {
  const found = await sql.one(
    `SELECT 1 FROM tokens WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $1)
       AND EXISTS (SELECT 1 FROM json_array_elements_text(scopes) s WHERE s = 'admin') LIMIT 1`,
    [now.toISOString()],
  );
  return found !== undefined;
}
