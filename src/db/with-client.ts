import pg from 'pg';

/**
 * One connection, not from a pool, for the length of `fn`, closed whatever `fn` does: for what runs
 * once (creating and migrating a database, the tests' and the benchmark's set-up and readings).
 */
export async function withClient<T>(databaseUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
