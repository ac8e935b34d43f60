import pg from 'pg';

/** One connection for the length of `fn`, closed whatever `fn` does: the benchmark's steps each talk to the server this way. */
export async function withClient<T>(databaseUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
