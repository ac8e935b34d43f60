import type pg from 'pg';

/** A pool or a client inside a transaction: every query function takes one first. */
export type Queryable = pg.Pool | pg.PoolClient;

/** Runs fn in one transaction on its own client; rolls back on any error. */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
