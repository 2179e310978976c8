import type { Database, Statement } from 'better-sqlite3';
import { type ChangeContext, SYSTEM_CHANGE } from '../../domain/auth/actor.js';
import { afterSeq, decodeCursor, firstPage } from '../cursor.js';
import type { Page, PageQuery, StoreClock } from '../page.js';
import { toToken as tokenOf } from '../token-row.js';
import type { StoredToken, TokenStore, TokenWrite } from '../token-store.js';
import type { AuditRows } from './audit-rows.js';
import { RecentRead } from './recent-read.js';
import type { UnitsOfWork } from './units-of-work.js';

interface TokenRow {
  id: string;
  seq: number;
  name: string;
  scopes: string;
  labels: string;
  secret_hash: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}

/** API tokens in SQLite; secrets are never stored, only their SHA-256. */
export class SqliteTokenStore implements TokenStore {
  constructor(
    private readonly db: Database,
    private readonly units: UnitsOfWork,
    private readonly clock: StoreClock,
    private readonly audit: AuditRows,
  ) {}

  create(token: TokenWrite, change: ChangeContext = SYSTEM_CHANGE): Promise<StoredToken> {
    return this.units.write(() => this.insert(token, change));
  }

  createFirstAdmin(token: TokenWrite, now: Date): Promise<StoredToken | undefined> {
    return this.units.write(() => (this.usableAdmin(now) ? undefined : this.insert(token, SYSTEM_CHANGE)));
  }

  hasUsableAdmin(now: Date): Promise<boolean> {
    return this.units.read(() => this.usableAdmin(now));
  }

  private usableAdmin(now: Date): boolean {
    const found = this.db
      .prepare(
        `SELECT 1 FROM tokens WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)
           AND EXISTS (SELECT 1 FROM json_each(tokens.scopes) WHERE value = 'admin') LIMIT 1`,
      )
      .get(now.toISOString());
    return found !== undefined;
  }

  find(id: string): Promise<(StoredToken & { secretHash: string }) | undefined> {
    return this.units.read(() => {
      const row = this.db.prepare('SELECT * FROM tokens WHERE id = ?').get(id) as TokenRow | undefined;
      return row === undefined ? undefined : { ...toToken(row), secretHash: row.secret_hash };
    });
  }

  list({ limit, cursor }: PageQuery): Promise<Page<StoredToken>> {
    const after = cursor === undefined ? 0 : decodeCursor(cursor, afterSeq, 'tokens').after;
    return this.units.read(() => {
      const found = this.db
        .prepare('SELECT * FROM tokens WHERE revoked_at IS NULL AND seq > ? ORDER BY seq LIMIT ?')
        .all(after, limit + 1) as TokenRow[];
      const { rows, nextCursor } = firstPage(found, limit, (last) => ({ after: last.seq }), 'tokens');
      return { items: rows.map(toToken), nextCursor };
    });
  }

  revoke(id: string, now: Date, change: ChangeContext = SYSTEM_CHANGE): Promise<boolean> {
    return this.units.write(() => {
      const { changes } = this.db
        .prepare('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL')
        .run(now.toISOString(), id);
      if (changes === 0) return false;
      const name = this.db.prepare('SELECT name FROM tokens WHERE id = ?').pluck().get(id) as string;
      this.audit.record(change, { action: 'token.revoke', target: { type: 'token', id, name } });
      return true;
    });
  }

  /**
   * Asked by every authenticated request: one prepared single-row read, answered at once and
   * shared by the requests that arrived before it (see RecentRead).
   */
  changeVersion(startedAfter?: number): number {
    return this.recentVersion.get(startedAfter);
  }

  private version: Statement<[], number> | undefined;
  private readonly recentVersion = new RecentRead(() => {
    this.version ??= this.db.prepare<[], number>('SELECT version FROM token_changes WHERE id = 1').pluck();
    return this.version.get() ?? 0;
  });

  private insert(token: TokenWrite, change: ChangeContext): StoredToken {
    this.db
      .prepare(
        `INSERT INTO tokens (id, seq, name, scopes, labels, secret_hash, created_at, expires_at)
         VALUES (?, (SELECT coalesce(max(seq), 0) + 1 FROM tokens), ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        token.id,
        token.name,
        JSON.stringify(token.scopes),
        JSON.stringify(token.labels),
        token.secretHash,
        this.clock.now().toISOString(),
        token.expiresAt,
      );
    this.audit.record(change, {
      action: 'token.create',
      target: { type: 'token', id: token.id, name: token.name },
    });
    return toToken(this.db.prepare('SELECT * FROM tokens WHERE id = ?').get(token.id) as TokenRow);
  }
}

/** A row with its JSON columns parsed; one that is not JSON reads as damaged (grants nothing). */
function toToken(row: TokenRow): StoredToken {
  return tokenOf({ ...row, scopes: parsedOrNull(row.scopes), labels: parsedOrNull(row.labels) });
}

function parsedOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
