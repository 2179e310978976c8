import pg from 'pg';
import { type Migration, readMigrations } from '../migration-files.js';
import { StoreUnavailableError } from '../store-unavailable.js';
import { migratePostgres } from './migrate.js';
import { POSTGRES_MIGRATIONS_DIR } from './migrations-dir.js';
import { SharedRead } from './shared-read.js';
import { PgUnitsOfWork, translate } from './units-of-work.js';

export interface PostgresOptions {
  /** postgres://user:password@host:port/database, TLS through the URL (sslmode=require). */
  readonly url: string;
  readonly poolSize: number;
  /** Longest a statement may run before the database cancels it. */
  readonly statementTimeoutMs: number;
  /** How long to wait for a connection, and between attempts while the database is away. */
  readonly connectTimeoutMs: number;
  readonly retryMs: number;
  readonly migrationsDir?: string;
  /** Where to say that the database is away or back; never the URL's password. */
  readonly log?: { warn(message: string): void; info(message: string): void };
}

/** How long a readiness answer is reused: probes come often. */
const READY_TTL_MS = 1000;

/**
 * The pool, the schema and the notifications of one PostgreSQL database. A database that cannot
 * be reached at start-up does not stop the process: it keeps trying in the background, and
 * until it has migrated, readiness is false and every unit of work is StoreUnavailableError.
 */
export class PgConnection {
  readonly pool: pg.Pool;
  readonly units: PgUnitsOfWork;
  private readonly migrations: readonly Migration[];
  private migrated = false;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;
  private listener: pg.Client | undefined;
  private readonly planListeners: (() => void)[] = [];
  private ready = { at: Number.NEGATIVE_INFINITY, answer: false };
  /** The readiness query in flight: concurrent probes share it rather than each taking a connection. */
  private probing: Promise<boolean> | undefined;
  private markMigrated: () => void = () => {};
  /** Settles once the database has been reached and migrated. */
  readonly migratedOnce = new Promise<void>((resolve) => {
    this.markMigrated = resolve;
  });
  /** Both change counters in one query: a request checks its token, then reads plans. */
  private readonly versions = new SharedRead(() => this.counters());

  constructor(private readonly options: PostgresOptions) {
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize,
      statement_timeout: options.statementTimeoutMs,
      // The client's own deadline, a connect timeout after the server's: a database that stopped
      // answering on an open connection (frozen, or its packets dropped) never lets its statement
      // timeout fire, and a request waiting for it answered nothing until its connection was cut.
      query_timeout: options.statementTimeoutMs + options.connectTimeoutMs,
      // A replica that stalls inside a transaction must not hold its locks for ever.
      idle_in_transaction_session_timeout: Math.max(options.statementTimeoutMs, 10_000),
      connectionTimeoutMillis: options.connectTimeoutMs,
      application_name: 'aks-ip-planner',
    });
    // An idle connection the server drops is replaced on the next checkout; it must not crash us.
    this.pool.on('error', (error) => this.options.log?.warn(`database connection lost: ${error.message}`));
    this.units = new PgUnitsOfWork(this.pool, () => this.migrated, options.statementTimeoutMs);
    this.migrations = readMigrations(options.migrationsDir ?? POSTGRES_MIGRATIONS_DIR);
  }

  /**
   * Connects and migrates. Unreachable: answers false and keeps trying in the background. Any
   * other failure (an edited migration, bad credentials' SQL errors) is thrown: it needs a person.
   */
  async start(): Promise<boolean> {
    try {
      await migratePostgres(this.pool, this.migrations);
    } catch (error) {
      const translated = translate(error);
      if (!(translated instanceof StoreUnavailableError)) throw translated;
      this.options.log?.warn(`${translated.message}; retrying every ${this.options.retryMs} ms`);
      this.scheduleRetry();
      return false;
    }
    this.migrated = true;
    this.ready = { at: Number.NEGATIVE_INFINITY, answer: false };
    this.markMigrated();
    await this.listen();
    return true;
  }

  /** The plan change version, read by a query started at or after `startedAfter` (default: now). */
  async planVersion(startedAfter?: number): Promise<number> {
    return (await this.versions.get(startedAfter)).plans;
  }

  /** The token change version, as `planVersion`. */
  async tokenVersion(startedAfter?: number): Promise<number> {
    return (await this.versions.get(startedAfter)).tokens;
  }

  /** Called on every plan change another replica (or this one) commits, soon after the commit. */
  onPlanChanges(listener: () => void): void {
    this.planListeners.push(listener);
  }

  /** Migrated, and a query answers now (cached for a second). */
  async isReady(now = Date.now()): Promise<boolean> {
    if (!this.migrated || this.closed) return false;
    if (now - this.ready.at < READY_TTL_MS) return this.ready.answer;
    this.probing ??= this.ping().finally(() => {
      this.probing = undefined;
    });
    const answer = await this.probing;
    this.ready = { at: now, answer };
    return answer;
  }

  /**
   * One query, given up after the connect timeout on the client's side: a server that stopped
   * answering on an open connection (frozen, or packets dropped) never lets its statement
   * timeout fire, and a probe that waits for it answers nothing at all.
   */
  private ping(): Promise<boolean> {
    // node-postgres reads query_timeout from the query too; its type declares it on clients only.
    const query = { text: 'SELECT 1', query_timeout: this.options.connectTimeoutMs };
    return this.pool.query(query).then(
      () => true,
      () => false,
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retry);
    await this.listener?.end().catch(() => {});
    await this.pool.end();
  }

  private scheduleRetry(): void {
    if (this.closed) return;
    this.retry = setTimeout(() => {
      void this.start().then(
        (done) => done && this.options.log?.info('database reachable and migrated'),
        (error: Error) => this.options.log?.warn(`database cannot be used: ${error.message}`),
      );
    }, this.options.retryMs);
    this.retry.unref();
  }

  /**
   * LISTEN on its own connection; when it drops, it listens again and tells the listeners, since
   * notifications sent meanwhile are lost (lookups check the change log anyway).
   */
  private async listen(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.options.url, application_name: 'aks-ip-planner' });
    const again = () => {
      if (this.listener !== client || this.closed) return;
      this.listener = undefined;
      setTimeout(() => void this.listen().catch(() => again()), this.options.retryMs).unref();
    };
    client.on('error', again);
    client.on('end', again);
    client.on('notification', (message) => {
      if (message.channel === 'plan_changes') this.notifyPlanChanges();
    });
    this.listener = client;
    try {
      await client.connect();
      await client.query('LISTEN plan_changes');
      this.notifyPlanChanges();
    } catch {
      await client.end().catch(() => {});
      again();
    }
  }

  private notifyPlanChanges(): void {
    for (const listener of this.planListeners) listener();
  }

  private async counters(): Promise<{ plans: number; tokens: number }> {
    if (!this.migrated) throw new StoreUnavailableError('not connected and migrated yet');
    try {
      const { rows } = await this.pool.query({
        text: `SELECT (SELECT coalesce(max(seq), 0) FROM plan_changes),
                      (SELECT version FROM token_changes WHERE id = 1)`,
        rowMode: 'array',
      });
      return { plans: Number(rows[0]?.[0] ?? 0), tokens: Number(rows[0]?.[1] ?? 0) };
    } catch (error) {
      throw translate(error);
    }
  }
}
