import pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import * as schema from './schema';
import { observeStatements, type StatementObserver } from './observe-statements';

export type Db = NodePgDatabase<typeof schema>;

/**
 * Loader sessions skip JIT: it costs more than it saves on batch statements. With `observe`, every
 * statement of every client is timed (the worker's statement metrics).
 */
export function createPool(databaseUrl: string, max = 10, observe?: StatementObserver): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max, options: '-c jit=off' });
  // An idle client's error (server restart, terminated backend) must not crash the process.
  pool.on('error', () => {});
  // So must a checked-out client's (a backend terminated mid-transaction): its next query fails instead, and the pool drops it on release.
  pool.on('connect', (client) => {
    client.on('error', () => {});
    if (observe) observeStatements(client, observe);
  });
  return pool;
}

export function createDb(pool: pg.Pool): Db {
  return drizzle(pool, { schema });
}

export type { Pool, PoolClient } from 'pg';
