import type { Pool, PoolClient } from 'pg';

/**
 * A connection from the pool for one unit of work. The server may end it between statements
 * (a restart, a timeout): node-postgres then emits 'error' on the client, which would end the
 * process unheard; here it is kept, and `release` drops such a connection from the pool.
 */
export async function checkout(
  pool: Pool,
): Promise<{ client: PoolClient; release: (failed?: Error) => void }> {
  const client = await pool.connect();
  let lost: Error | undefined;
  const keep = (error: Error) => {
    lost = error;
  };
  client.on('error', keep);
  return {
    client,
    release: (failed) => {
      client.removeListener('error', keep);
      client.release(failed ?? lost);
    },
  };
}

/** The statements of one transaction, on the connection that holds it. */
export class Sql {
  constructor(private readonly client: PoolClient) {}

  async rows<R>(text: string, params: readonly unknown[] = []): Promise<R[]> {
    return (await this.client.query(text, params as unknown[])).rows as R[];
  }

  async one<R>(text: string, params: readonly unknown[] = []): Promise<R | undefined> {
    return (await this.rows<R>(text, params))[0];
  }

  /** Runs a statement; answers how many rows it changed. */
  async run(text: string, params: readonly unknown[] = []): Promise<number> {
    return (await this.client.query(text, params as unknown[])).rowCount ?? 0;
  }
}
